// One harness per test file: a fresh database, the real container and app, and helpers to
// call the admin and SCIM surfaces through app.request() (the real HTTP pipeline).
import { randomBytes } from "node:crypto";
import { after } from "node:test";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createContainer, type Container } from "../../src/container.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { generateSecret } from "../../src/lib/secrets.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Harness {
  app: ReturnType<typeof createApp>;
  container: Container;
  database: TestDatabase;
  adminToken: string;
  request(method: string, path: string, opts?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<HttpResult>;
  admin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  scim(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  /** A new tenant with one SCIM token. */
  createTenant(name?: string): Promise<{ tenantId: string; token: string; tokenId: string }>;
  close(): Promise<void>;
}

export async function createHarness(env: Record<string, string | undefined> = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", DATABASE_URL: database.url,
    // Signing keys are encrypted at rest; each test process gets its own random key.
    ROSTER_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"), ...env });
  const logger = createLogger(config.LOG_LEVEL);
  const container = createContainer({ config, logger, databaseUrl: database.url });
  const adminToken = generateSecret("rsa_");
  await container.services.adminCredentials.bootstrap(adminToken);
  const app = createApp(container);

  const request: Harness["request"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const harness: Harness = {
    app,
    container,
    database,
    adminToken,
    request,
    admin: (method, path, body) => request(method, `/admin/v1${path}`, { body, token: adminToken }),
    scim: (token, method, path, body, headers) =>
      request(method, `/scim/v2${path}`, { body, token, headers: { "content-type": "application/scim+json", ...headers } }),
    async createTenant(name = `tenant-${Math.random().toString(36).slice(2, 8)}`) {
      const t = await harness.admin("POST", "/tenants", { name });
      if (t.status !== 201) throw new Error(`createTenant: ${t.status} ${t.text}`);
      const tok = await harness.admin("POST", `/tenants/${t.body.id}/scim-tokens`, { name: "test" });
      if (tok.status !== 201) throw new Error(`createToken: ${tok.status} ${tok.text}`);
      return { tenantId: t.body.id, token: tok.body.token, tokenId: tok.body.record.id };
    },
    async close() {
      await container.close();
      await database.drop();
    },
  };
  return harness;
}

/** createHarness() plus an after() hook that closes it: the usual top of a test file. */
export async function useHarness(env: Record<string, string | undefined> = {}): Promise<Harness> {
  const h = await createHarness(env);
  after(() => h.close());
  return h;
}

/** Formats a response for assertion messages, so a failure prints the whole exchange. */
export function show(r: HttpResult): string {
  return `HTTP ${r.status}\n${r.text}`;
}
