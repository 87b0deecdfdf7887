// The benchmark report: a JSON file with every figure and a markdown table for the README.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

export interface ScenarioResult {
  scenario: string;
  description: string;
  roster: { rps: number; p50: number; p99: number; errors: number; non2xx: number };
  baseline: { rps: number; p50: number; p99: number; errors: number; non2xx: number };
  ratio: number;
}

export interface BenchReport {
  date: string;
  machine: string;
  mode: "full" | "quick";
  connections: number;
  secondsPerRound: number;
  rounds: number;
  seed: { users: number; groups: number; memberships: number; bigGroupMembers: number; ms: number };
  scenarios: ScenarioResult[];
  rosterPeakRssMb: number | null;
  deprovision?: Record<string, { n: number; p50: number; p99: number; max: number; rate: number }>;
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function markdownTable(r: BenchReport): string {
  const lines = [
    `Measured ${r.date} on ${r.machine}; ${r.seed.users.toLocaleString("en")} users, ${r.seed.groups} groups (one of ${r.seed.bigGroupMembers.toLocaleString("en")} members), seeded in ${(r.seed.ms / 1000).toFixed(1)} s; ${r.connections} connections, ${r.rounds} alternating rounds of ${r.secondsPerRound} s per target (${r.mode}).`,
    "",
    "| scenario | Roster req/s | Roster p50 / p99 ms | baseline req/s | baseline p50 / p99 ms | Roster ÷ baseline |",
    "|---|---:|---:|---:|---:|---:|",
    ...r.scenarios.map(
      (s) =>
        `| ${s.scenario} | ${Math.round(s.roster.rps)} | ${s.roster.p50} / ${s.roster.p99} | ${Math.round(s.baseline.rps)} | ${s.baseline.p50} / ${s.baseline.p99} | ${s.ratio.toFixed(2)}× |`,
    ),
    "",
    `Roster peak RSS: ${r.rosterPeakRssMb ?? "n/a"} MB.`,
  ];
  if (r.deprovision) {
    lines.push("", "| deprovisioning latency (users deactivated through SCIM while holding live sessions) | n | rate /s | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|");
    for (const [what, d] of Object.entries(r.deprovision)) lines.push(`| ${what} | ${d.n} | ${d.rate} | ${d.p50} | ${d.p99} | ${d.max} |`);
  }
  return lines.join("\n");
}

export function writeReport(r: BenchReport, dir = "bench-results"): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = `${dir}/bench-${r.mode}.json`;
  const md = `${dir}/bench-${r.mode}.md`;
  writeFileSync(json, JSON.stringify(r, null, 2));
  writeFileSync(md, markdownTable(r) + "\n");
  return { json, md };
}
