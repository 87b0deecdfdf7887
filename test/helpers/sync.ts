// Helpers for the directory-sync tests (worker-*, webhook-*, event-feed-*): a harness whose
// queues live under their own Redis prefix (test files run in parallel on one Redis), the
// worker runtime, SCIM shortcuts, polling, and a local webhook receiver.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { after } from "node:test";
import { startSync, type SyncOptions, type SyncRuntime } from "../../workers/runtime.ts";
import { createHarness, show, type Harness } from "./harness.ts";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Fast retries and sweeps so fault tests finish in seconds. */
export function syncEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    REDIS_URL,
    QUEUE_PREFIX: `t${randomBytes(5).toString("hex")}`,
    RELAY_SWEEP_MS: "200",
    WEBHOOK_RETRY_BASE_MS: "100",
    WEBHOOK_RETRY_MAX_MS: "800",
    WEBHOOK_TIMEOUT_MS: "1000",
    WEBHOOK_MAX_ATTEMPTS: "6",
    ...extra,
  };
}

export interface SyncHarness extends Harness {
  sync?: SyncRuntime;
  startSync(opts?: SyncOptions): Promise<SyncRuntime>;
}

/** A harness (own database, own queue prefix) closed after the file; workers stopped first. */
export async function useSyncHarness(env: Record<string, string | undefined> = {}, opts: { start?: boolean } = {}): Promise<SyncHarness> {
  const h = (await createHarness(syncEnv(env))) as SyncHarness;
  const runtimes: SyncRuntime[] = [];
  h.startSync = async (o) => {
    const rt = await startSync(h.container, o);
    runtimes.push(rt);
    h.sync ??= rt;
    return rt;
  };
  after(async () => {
    for (const rt of runtimes) await rt.stop();
    await h.close();
  });
  if (opts.start ?? true) await h.startSync();
  return h;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function scimCreateUser(h: Harness, token: string, userName = `u-${randomBytes(6).toString("hex")}@example.com`): Promise<string> {
  const r = await h.scim(token, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });
  assert.equal(r.status, 201, show(r));
  return r.body.id as string;
}

/** Okta's deactivation: PATCH replace {"active": false}. */
export async function scimDeactivate(h: Harness, token: string, userId: string, active = false) {
  const r = await h.scim(token, "PATCH", `/Users/${userId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", value: { active } }],
  });
  assert.equal(r.status, 200, show(r));
  return r;
}

export async function scimRename(h: Harness, token: string, userId: string, displayName: string) {
  const r = await h.scim(token, "PATCH", `/Users/${userId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "displayName", value: displayName }],
  });
  assert.equal(r.status, 200, show(r));
}

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/**
 * A real local HTTP receiver. `behave` decides each answer: a status code, or "hang" (never
 * answers: the sender's timeout fires). Every request is recorded, answered or not.
 */
export async function startReceiver(behave: (req: IncomingMessage, body: string, n: number) => number | "hang" | Promise<number> = () => 200) {
  const received: ReceivedHook[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      received.push({ headers: req.headers as Record<string, string>, body, at: Date.now() });
      const outcome = await behave(req, body, received.length);
      if (outcome === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(outcome, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  after(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { url: `http://127.0.0.1:${port}/hook`, received };
}
