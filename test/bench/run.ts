// `npm run bench [-- --quick]`: seeds a tenant, then drives Roster and a raw baseline with
// autocannon in alternating rounds (so machine noise hits both), and reports req/s, p50/p99,
// the Roster/baseline ratio, Roster's peak RSS and deprovisioning latency.
import autocannon from "autocannon";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../../src/db/migrate.ts";
import { generateSecret } from "../../src/lib/secrets.ts";
import { measureDeprovision } from "./deprovision.ts";
import { machineDescription, markdownTable, writeReport, type BenchReport, type ScenarioResult } from "./report.ts";
import { scenarios, type BenchData } from "./scenarios.ts";
import { seedTenant } from "./seed.ts";
import { peakRssMb, startBaseline, startRoster, stopTarget, type Target } from "./targets.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    connections: { type: "string", default: "32" },
    "skip-deprovision": { type: "boolean", default: false },
  },
});
const quick = args.quick!;
const USERS = quick ? 10_000 : 100_000;
const SECONDS = quick ? 2 : 8;
const ROUNDS = 2; // per target, alternating
const CONNECTIONS = Number(args.connections);
const server = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function dbUrl(name: string) {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main() {
  const dbName = `roster_bench_${quick ? "quick" : "full"}`;
  progress(`fresh database ${dbName}`);
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  const url = dbUrl(dbName);
  await applyMigrations(url);

  const adminToken = generateSecret("rsa_");
  const keyEncryptionKey = Buffer.alloc(32, 7).toString("base64");
  const rosterEnv = { DATABASE_URL: url, ROSTER_ADMIN_TOKEN: adminToken, ROSTER_KEY_ENCRYPTION_KEY: keyEncryptionKey, REDIS_URL, ROSTER_RUN_WORKERS: "false" };
  let roster: Target = await startRoster(rosterEnv);
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${roster.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<any>;
  };
  const tenant = await api("POST", "/admin/v1/tenants", { name: "bench" });
  const { token } = await api("POST", `/admin/v1/tenants/${tenant.id}/scim-tokens`, { name: "bench" });

  progress(`seeding ${USERS.toLocaleString("en")} users and 1,000 groups`);
  const seed = await seedTenant(url, tenant.id, USERS);
  progress(`seeded in ${(seed.ms / 1000).toFixed(1)} s (${seed.memberships.toLocaleString("en")} memberships)`);

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const ids = (await c.query(`SELECT id FROM "User" WHERE "tenantId" = $1`, [tenant.id])).rows.map((r) => r.id as string);
  const members = (await c.query(`SELECT "userId" FROM "GroupMember" WHERE "groupId" = $1`, [seed.bigGroupId])).rows.map((r) => r.userId as string);
  await c.end();
  const memberSet = new Set(members);
  const data: BenchData = {
    userIds: ids,
    users: USERS,
    bigGroupId: seed.bigGroupId,
    bigGroupMembers: seed.bigGroupMembers,
    memberIds: members,
    nonMemberIds: ids.filter((id) => !memberSet.has(id)),
  };

  const baseline = await startBaseline({ DATABASE_URL: url, BENCH_TENANT_ID: tenant.id });
  const headers = { authorization: `Bearer ${token}` };
  let round = 0;
  const results: ScenarioResult[] = [];
  const selected = scenarios.filter((s) => !args.only || args.only.split(",").includes(s.name));

  async function drive(target: Target, scenarioIndex: number, seconds: number) {
    const s = selected[scenarioIndex]!;
    const r = await autocannon({
      url: target.url,
      connections: s.connections ?? CONNECTIONS,
      duration: seconds,
      headers,
      requests: s.requests(data, round++, target.name),
    });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
  }

  for (let i = 0; i < selected.length; i++) {
    const s = selected[i]!;
    progress(`${s.name}: warm-up`);
    await drive(roster, i, 1);
    await drive(baseline, i, 1);
    const samples: Record<"roster" | "baseline", Awaited<ReturnType<typeof drive>>[]> = { roster: [], baseline: [] };
    for (let k = 0; k < ROUNDS; k++) {
      for (const t of k % 2 === 0 ? [roster, baseline] : [baseline, roster]) {
        const m = await drive(t, i, SECONDS);
        samples[t.name].push(m);
        progress(`${s.name}: ${t.name} round ${k + 1}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms${m.non2xx ? `, ${m.non2xx} non-2xx` : ""}`);
      }
    }
    const avg = (xs: Awaited<ReturnType<typeof drive>>[]) => ({
      rps: xs.reduce((a, x) => a + x.rps, 0) / xs.length,
      p50: Math.max(...xs.map((x) => x.p50)),
      p99: Math.max(...xs.map((x) => x.p99)),
      errors: xs.reduce((a, x) => a + x.errors, 0),
      non2xx: xs.reduce((a, x) => a + x.non2xx, 0),
    });
    const rr = avg(samples.roster);
    const bb = avg(samples.baseline);
    results.push({ scenario: s.name, description: s.description, roster: rr, baseline: bb, ratio: rr.rps / bb.rps });
  }
  const rosterPeakRssMb = peakRssMb(roster.process.child.pid!);
  await stopTarget(baseline);

  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    machine: machineDescription(),
    mode: quick ? "quick" : "full",
    connections: CONNECTIONS,
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    seed,
    scenarios: results,
    rosterPeakRssMb,
  };
  // Written now too, so a failure in the deprovisioning run keeps the scenario figures.
  writeReport(report);
  if (!args["skip-deprovision"]) {
    await stopTarget(roster);
    report.deprovision = await measureDeprovision({ databaseUrl: url, redisUrl: REDIS_URL, keyEncryptionKey, adminToken, tenantId: tenant.id, scimToken: token, quick, progress, startRoster });
  } else {
    await stopTarget(roster);
  }
  const files = writeReport(report);
  process.stdout.write(markdownTable(report) + "\n");
  progress(`wrote ${files.json} and ${files.md}`);
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
