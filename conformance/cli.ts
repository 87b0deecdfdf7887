// npm run conformance -- --base <URL of /scim/v2> --token <bearer> [--token2 <bearer>] [--profile okta|entra|rfc|all] [--json report.json]
// Black-box SCIM 2.0 conformance runner: speaks only HTTP to --base. Never prints the tokens.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ScimClient, type Exchange } from "./client.ts";
import { Fixtures } from "./fixtures.ts";
import { Ctx, detectFeatures, runSuites, type CaseResult, type Suite } from "./runner.ts";
import { suitesFor, PROFILES } from "./suites/index.ts";

const USAGE = `usage: npm run conformance -- --base <URL of /scim/v2> --token <bearer>
         [--token2 <bearer of another tenant>] [--profile ${PROFILES.join("|")}|all] [--json report.json] [--only <id-substring>]
  tokens may also come from SCIM_TOKEN / SCIM_TOKEN2 (keeps them out of the process list)`;

function usage(message?: string): never {
  if (message) process.stderr.write(`error: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        base: { type: "string" }, token: { type: "string" }, token2: { type: "string" },
        profile: { type: "string", default: "all" }, json: { type: "string" }, only: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true, allowPositionals: false,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) { process.stdout.write(`${USAGE}\n`); process.exit(0); }
  const base = values.base;
  const token = values.token ?? process.env.SCIM_TOKEN;
  const token2 = values.token2 ?? process.env.SCIM_TOKEN2;
  if (!base) usage("--base is required");
  if (!/^https?:\/\//.test(base)) usage("--base must be an http(s) URL");
  if (!token) usage("--token (or SCIM_TOKEN) is required");
  const profile = values.profile ?? "all";
  if (profile !== "all" && !(PROFILES as readonly string[]).includes(profile)) usage(`unknown profile "${profile}"`);
  return { base: base.replace(/\/+$/, ""), token, token2, profile, json: values.json, only: values.only };
}

const MAX = 600;
function truncate(v: unknown): string {
  if (v === undefined) return "(no body)";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > MAX ? `${s.slice(0, MAX)}… (${s.length} chars)` : s;
}

function describe(x: Exchange): string {
  const sent = `    sent: ${x.method} ${x.path}${x.client !== "A" ? ` (token ${x.client})` : ""}${x.requestBody !== undefined ? ` ${truncate(x.requestBody)}` : ""}`;
  const got = x.error ? `    got:  ${x.error}` : `    got:  ${x.status} ${x.responseHeaders["content-type"] ?? ""} ${truncate(x.responseBody)}`;
  return `${sent}\n${got}`;
}

function line(r: CaseResult): string {
  let out = `${r.outcome} ${r.id} ${r.title} [${r.source}]`;
  if (r.outcome === "SKIP" && r.message) out += ` (${r.message})`;
  if (r.outcome === "FAIL") {
    out += `\n    why:  ${r.message}`;
    if (r.failedExchange) out += `\n${describe(r.failedExchange)}`;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse();
  const a = new ScimClient("A", args.base, args.token);
  const b = args.token2 ? new ScimClient("B", args.base, args.token2) : undefined;
  const features = await detectFeatures(a);
  process.stderr.write(`conformance: ${args.base} — advertised: ${(["patch", "bulk", "filter", "changePassword", "sort", "etag", "cursor"] as const)
    .map((f) => `${f}=${features[f] ? "yes" : "no"}`).join(" ")}${features.discovered ? "" : " (ServiceProviderConfig unreadable)"}\n`);

  let suites: Suite[] = suitesFor(args.profile);
  // Cross-tenant checks run whenever a second token is given, whatever the profile.
  if (b && !suites.some((s) => s.profile === "isolation")) suites = [...suites, ...suitesFor("isolation")];
  if (args.only) suites = suites.map((s) => ({ ...s, cases: s.cases.filter((c) => c.id.includes(args.only!)) }));
  const ctx = new Ctx(a, b, features, new Fixtures());
  const tty = process.stderr.isTTY;
  let results: CaseResult[] = [];
  let interrupted = false;
  const onSignal = () => { interrupted = true; };
  process.once("SIGINT", onSignal);
  try {
    results = await runSuites(ctx, suites, {
      onProfile: (p, n) => process.stderr.write(`${tty ? "\r\x1b[K" : ""}== ${p}: ${n} cases ==\n`),
      onStart: (i, n, c) => { if (tty) process.stderr.write(`\r\x1b[K[${i}/${n}] ${c.id}`); else if (i % 10 === 0 || i === n) process.stderr.write(`[${i}/${n}]\n`); },
      onResult: (r) => {
        if (tty) process.stderr.write("\r\x1b[K");
        process.stdout.write(`${line(r)}\n`);
        if (interrupted) throw new Error("interrupted");
      },
    });
  } catch (err) {
    process.stderr.write(`run aborted: ${(err as Error).message}\n`);
  } finally {
    const { deleted, failed } = await ctx.cleanup();
    process.stderr.write(`cleanup: deleted ${deleted} resources${failed.length ? `, ${failed.length} could not be deleted: ${failed.join("; ")}` : ""}\n`);
  }

  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  const passed = count("PASS"), failedN = count("FAIL"), skipped = count("SKIP");
  if (args.json) {
    const report = {
      base: args.base, profile: args.profile, run: ctx.fx.run, finishedAt: new Date().toISOString(), features,
      summary: { passed, failed: failedN, skipped, byProfile: byProfile(results) },
      cases: results,
    };
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  for (const [p, c] of Object.entries(byProfile(results))) process.stderr.write(`${p}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  process.stdout.write(`${passed} passed, ${failedN} failed, ${skipped} skipped\n`);
  process.exitCode = failedN > 0 || interrupted ? 1 : 0;
}

function byProfile(results: CaseResult[]) {
  const out: Record<string, { passed: number; failed: number; skipped: number }> = {};
  for (const r of results) {
    const c = (out[r.profile] ??= { passed: 0, failed: 0, skipped: 0 });
    if (r.outcome === "PASS") c.passed += 1; else if (r.outcome === "FAIL") c.failed += 1; else c.skipped += 1;
  }
  return out;
}

main().catch((err) => {
  process.stderr.write(`conformance: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
