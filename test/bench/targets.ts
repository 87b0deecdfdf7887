// Starting the two servers under test as child processes (so each has its own RSS) and
// reading their peak resident set size from /proc.
import { readFileSync } from "node:fs";
import { startProcess, freePort, type RunningProcess } from "../helpers/process.ts";

export interface Target {
  name: "roster" | "baseline";
  url: string;
  process: RunningProcess;
}

export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** The V8 flags of `npm start` and `npm run worker` (package.json): measure Roster as it runs. */
export const ROSTER_NODE_FLAGS = ["--max-semi-space-size=4", "--max-old-space-size=256"];

export async function startRoster(env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const p = startProcess("src/server.ts", { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" }, ROSTER_NODE_FLAGS);
  await p.waitFor(/Roster is listening/, 60_000);
  return { name: "roster", url: `http://127.0.0.1:${port}`, process: p };
}

export async function startBaseline(env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const p = startProcess("test/bench/baseline.ts", { ...env, PORT: String(port) });
  await p.waitFor(/baseline listening/, 30_000);
  return { name: "baseline", url: `http://127.0.0.1:${port}`, process: p };
}

export async function stopTarget(t: Target): Promise<void> {
  if (t.process.child.exitCode !== null) return;
  t.process.child.kill("SIGTERM");
  await t.process.exited;
}
