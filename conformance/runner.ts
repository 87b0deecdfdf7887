// The case registry and the run loop: feature detection from /ServiceProviderConfig, skip logic,
// per-case exchange capture, and cleanup of everything the run created (also after failures).
import { AssertionFailed, SkipCase, URN, check, isObject, show, status } from "./assert.ts";
import { ScimClient, type Exchange, type ScimResponse } from "./client.ts";
import { Fixtures, patchOp } from "./fixtures.ts";

export type Feature = "patch" | "bulk" | "filter" | "changePassword" | "sort" | "etag" | "cursor";

export interface Features {
  patch: boolean; bulk: boolean; filter: boolean; changePassword: boolean; sort: boolean; etag: boolean; cursor: boolean;
  bulkMaxOperations: number; bulkMaxPayloadSize: number; filterMaxResults: number;
  /** Whether /ServiceProviderConfig itself answered; when not, optional features count as absent. */
  discovered: boolean;
}

export interface CaseDef {
  id: string;
  title: string;
  /** Where the expectation comes from, e.g. "RFC 7644 §3.4.2.2". */
  source: string;
  requires?: Feature[];
  needsToken2?: boolean;
  run(ctx: Ctx): Promise<void>;
}

export interface Suite { profile: string; cases: CaseDef[] }

export type Outcome = "PASS" | "FAIL" | "SKIP";

export interface CaseResult {
  profile: string; id: string; title: string; source: string;
  outcome: Outcome; message?: string; durationMs: number; exchanges: Exchange[];
  /** The exchange a failed assertion pointed at (else the case's last one). */
  failedExchange?: Exchange;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resource = any;

/** What a case gets: the two clients, the advertised features, fixtures and tracked creation helpers. */
export class Ctx {
  private readonly created: { client: ScimClient; path: string }[] = [];
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly a: ScimClient,
    readonly b: ScimClient | undefined,
    readonly features: Features,
    readonly fx: Fixtures,
  ) {}

  /** Token B's client; only called from cases marked needsToken2. */
  get other(): ScimClient {
    if (!this.b) throw new SkipCase("needs --token2");
    return this.b;
  }

  track(client: ScimClient, path: string): void {
    this.created.push({ client, path });
  }

  /** POST /Users and insist on 201 with an id; the user is deleted at the end of the run. */
  async createUser(body: Record<string, unknown> = this.fx.user(), client = this.a): Promise<Resource> {
    return this.create(client, "/Users", body);
  }

  async createGroup(body: Record<string, unknown> = this.fx.group(), client = this.a): Promise<Resource> {
    return this.create(client, "/Groups", body);
  }

  private async create(client: ScimClient, endpoint: string, body: Record<string, unknown>): Promise<Resource> {
    const res = await client.post(endpoint, body);
    if (isObject(res.body) && typeof res.body.id === "string") this.track(client, `${endpoint}/${res.body.id}`);
    if (res.status !== 201 || !isObject(res.body) || typeof res.body.id !== "string") {
      throw new AssertionFailed(`setup: POST ${endpoint} expected 201 with an id, got ${res.status}`, res);
    }
    return res.body;
  }

  /** Shared setup computed once per run (e.g. the filter fixture users). A failure fails every user of it. */
  once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, fn());
    return this.memo.get(key) as Promise<T>;
  }

  /** PATCH and return the resource afterwards: the 200 body, or a GET after a 204 (RFC 7644 §3.5.2). */
  async patch(path: string, ops: Record<string, unknown>[], client = this.a, headers?: Record<string, string>): Promise<Resource> {
    const res = await client.patch(path, patchOp(...ops), { headers });
    status(res, 200, 204);
    if (res.status === 200 && isObject(res.body) && res.body.id !== undefined) return res.body;
    return this.read(path, client);
  }

  async read(path: string, client = this.a): Promise<Resource> {
    const res = await client.get(path);
    status(res, 200);
    check(isObject(res.body), "expected a JSON resource", res);
    return res.body;
  }

  /** Delete everything this run created, groups first; a 404 is fine (a case deleted it). */
  async cleanup(): Promise<{ deleted: number; failed: string[] }> {
    const failed: string[] = [];
    let deleted = 0;
    const order = [...this.created].reverse().sort((x, y) => rank(x.path) - rank(y.path));
    const seen = new Set<string>();
    for (const { client, path } of order) {
      const key = `${client.label} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      client.sink = [];
      try {
        const res = await client.delete(path);
        if (res.status === 204 || res.status === 200) deleted += 1;
        else if (res.status !== 404) failed.push(`${key} → ${res.status}`);
      } catch (err) {
        failed.push(`${key} → ${(err as Error).message}`);
      }
    }
    return { deleted, failed };
  }
}

function rank(path: string): number {
  return path.startsWith("/Groups") ? 0 : 1;
}

export async function detectFeatures(client: ScimClient): Promise<Features> {
  const none: Features = {
    patch: false, bulk: false, filter: false, changePassword: false, sort: false, etag: false, cursor: false,
    bulkMaxOperations: 0, bulkMaxPayloadSize: 0, filterMaxResults: 0, discovered: false,
  };
  client.sink = [];
  let res: ScimResponse;
  try { res = await client.get("/ServiceProviderConfig"); } catch { return none; }
  if (res.status !== 200 || !isObject(res.body)) return none;
  const b = res.body;
  const on = (name: string) => isObject(b[name]) && b[name].supported === true;
  return {
    patch: on("patch"), bulk: on("bulk"), filter: on("filter"), changePassword: on("changePassword"),
    sort: on("sort"), etag: on("etag"),
    // RFC 9865: cursor pagination is advertised as pagination.cursor = true.
    cursor: isObject(b.pagination) && b.pagination.cursor === true,
    bulkMaxOperations: Number(b.bulk?.maxOperations ?? 0), bulkMaxPayloadSize: Number(b.bulk?.maxPayloadSize ?? 0),
    filterMaxResults: Number(b.filter?.maxResults ?? 0), discovered: true,
  };
}

export interface RunHooks {
  onProfile(profile: string, count: number): void;
  onStart(index: number, total: number, c: CaseDef): void;
  onResult(r: CaseResult): void;
}

export async function runSuites(ctx: Ctx, suites: Suite[], hooks: RunHooks): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  let index = 0;
  for (const suite of suites) {
    hooks.onProfile(suite.profile, suite.cases.length);
    for (const c of suite.cases) {
      index += 1;
      hooks.onStart(index, total, c);
      const r = await runCase(ctx, suite.profile, c);
      results.push(r);
      hooks.onResult(r);
    }
  }
  return results;
}

async function runCase(ctx: Ctx, profile: string, c: CaseDef): Promise<CaseResult> {
  const exchanges: Exchange[] = [];
  const base = { profile, id: c.id, title: c.title, source: c.source, exchanges };
  const missing = (c.requires ?? []).filter((f) => !ctx.features[f]);
  if (missing.length) {
    return { ...base, outcome: "SKIP", message: `not advertised in /ServiceProviderConfig: ${missing.join(", ")}`, durationMs: 0 };
  }
  if (c.needsToken2 && !ctx.b) return { ...base, outcome: "SKIP", message: "needs --token2", durationMs: 0 };
  ctx.a.sink = exchanges;
  if (ctx.b) ctx.b.sink = exchanges;
  const started = performance.now();
  let outcome: Outcome = "PASS";
  let message: string | undefined;
  let failedExchange: Exchange | undefined;
  try {
    await c.run(ctx);
  } catch (err) {
    if (err instanceof SkipCase) { outcome = "SKIP"; message = err.message; }
    else {
      outcome = "FAIL";
      message = err instanceof Error ? err.message : `thrown: ${show(err)}`;
      failedExchange = err instanceof AssertionFailed && err.response ? err.response.exchange : exchanges[exchanges.length - 1];
    }
  }
  return { ...base, outcome, message, failedExchange, durationMs: Math.round(performance.now() - started) };
}

export { URN };
