// Deprovisioning latency, end to end, with Roster's web and worker processes running as they
// would in production (the worker on its own). Users holding live sessions are deactivated
// through SCIM at a fixed rate; for each, a prober measures from the PATCH's response until
//  - introspection (RFC 7662) answers active=false, and
//  - Roster's own token middleware (`GET /auth/v1/me`, JWT + deny-list: what an app that
//    verifies offline and checks the deny-list sees) refuses the access token.
// The worker's own figure (event commit → every session revoked) comes from the receipts.
import pg from "pg";
import { startProcess } from "../helpers/process.ts";
import type { Target } from "./targets.ts";
import { ROSTER_NODE_FLAGS, stopTarget } from "./targets.ts";

export interface DeprovisionOptions {
  databaseUrl: string;
  redisUrl: string;
  keyEncryptionKey: string;
  adminToken: string;
  tenantId: string;
  scimToken: string;
  quick: boolean;
  progress: (msg: string) => void;
  startRoster: (env: Record<string, string>) => Promise<Target>;
}

export interface LatencySummary {
  n: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

const RATE = 100; // deactivations per second

function summarise(values: number[], rate: number): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { n: sorted.length, rate, p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1] ?? NaN) };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    // A probe that fails to connect under load is a "not yet", not the end of the run.
    if (await check().catch(() => false)) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Number.POSITIVE_INFINITY;
}

async function runBackend(o: DeprovisionOptions, backend: "redis" | "postgres") {
  const env: Record<string, string> = {
    DATABASE_URL: o.databaseUrl,
    ROSTER_ADMIN_TOKEN: o.adminToken,
    ROSTER_KEY_ENCRYPTION_KEY: o.keyEncryptionKey,
    ROSTER_RUN_WORKERS: "false",
    LOG_LEVEL: "warn",
    ...(backend === "redis" ? { REDIS_URL: o.redisUrl } : {}),
  };
  // The load rounds ran without a relay and left tens of thousands of events (and their jobs)
  // unrelayed; measured behind that backlog, the figure would be the backlog's drain time. Those
  // users hold no sessions, so the bench marks their events relayed and measures steady state.
  const backlog = new pg.Client({ connectionString: o.databaseUrl });
  await backlog.connect();
  const skipped = await backlog.query(`UPDATE "Event" SET "relayedAt" = now() WHERE "relayedAt" IS NULL`);
  await backlog.end();
  if (skipped.rowCount) o.progress(`deprovision (${backend}): skipped a backlog of ${skipped.rowCount} load-round events`);
  const web = await o.startRoster(env);
  const worker = startProcess("workers/main.ts", { ...env }, ROSTER_NODE_FLAGS);
  await worker.waitFor(/roster worker ready/, 60_000);
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${web.url}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${o.adminToken}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  try {
    const count = o.quick ? 200 : 1000;
    o.progress(`deprovision (${backend}): ${count} users with a live session each`);
    const users: { id: string; access: string }[] = [];
    for (let i = 0; i < count; i++) {
      const created = await fetch(`${web.url}/scim/v2/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${o.scimToken}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ userName: `deprov-${backend}-${Date.now()}-${i}@bench.example` }),
      });
      const id = ((await created.json()) as { id: string }).id;
      const session = (await (await admin("POST", `/tenants/${o.tenantId}/sessions`, { userId: id })).json()) as { access_token: string };
      users.push({ id, access: session.access_token });
    }

    o.progress(`deprovision (${backend}): deactivating at ${RATE}/s`);
    const introspection: number[] = [];
    const middleware: number[] = [];
    const started = performance.now();
    await Promise.all(
      users.map(async (u, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / RATE));
        const patched = await fetch(`${web.url}/scim/v2/Users/${u.id}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${o.scimToken}`, "content-type": "application/scim+json" },
          body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] }),
        });
        if (patched.status !== 200) throw new Error(`PATCH ${patched.status}`);
        const [intro, mw] = await Promise.all([
          waitUntil(async () => {
            const r = await fetch(`${web.url}/auth/v1/introspect`, {
              method: "POST",
              headers: { authorization: `Bearer ${o.adminToken}`, "content-type": "application/x-www-form-urlencoded" },
              body: `token=${u.access}`,
            });
            return ((await r.json()) as { active: boolean }).active === false;
          }, 10_000),
          waitUntil(async () => (await fetch(`${web.url}/auth/v1/me`, { headers: { authorization: `Bearer ${u.access}` } })).status === 401, 10_000),
        ]);
        introspection.push(intro);
        middleware.push(mw);
      }),
    );
    const achievedRate = Math.round(count / ((performance.now() - started) / 1000));
    const client = new pg.Client({ connectionString: o.databaseUrl });
    await client.connect();
    const receipts = await client.query(`SELECT "elapsedMs" FROM "DeprovisionReceipt" WHERE "tenantId" = $1 AND "userId" = ANY($2::text[])`, [o.tenantId, users.map((u) => u.id)]);
    await client.end();
    return {
      introspection: summarise(introspection, achievedRate),
      middleware: summarise(middleware, achievedRate),
      worker: summarise(receipts.rows.map((r) => r.elapsedMs as number), achievedRate),
    };
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
    await stopTarget(web);
  }
}

export async function measureDeprovision(o: DeprovisionOptions): Promise<Record<string, LatencySummary>> {
  const out: Record<string, LatencySummary> = {};
  for (const backend of ["redis", "postgres"] as const) {
    const r = await runBackend(o, backend);
    out[`${backend}: PATCH → introspection refuses`] = r.introspection;
    out[`${backend}: PATCH → token middleware (deny-list) refuses`] = r.middleware;
    out[`${backend}: event commit → all sessions revoked (worker receipts)`] = r.worker;
    o.progress(`deprovision (${backend}): deny-list p50 ${r.middleware.p50} ms, p99 ${r.middleware.p99} ms; worker p99 ${r.worker.p99} ms`);
  }
  return out;
}
