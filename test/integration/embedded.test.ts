// `npm start` with no DATABASE_URL: an embedded PostgreSQL under ROSTER_DATA_DIR that starts
// from nothing, restarts, and recovers after the process is killed with SIGKILL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { freePort, startProcess, type RunningProcess } from "../helpers/process.ts";

const dataDir = mkdtempSync(join(tmpdir(), "roster-embedded-"));
const pgPort = await freePort();
const running: RunningProcess[] = [];

after(async () => {
  for (const p of running) if (p.child.exitCode === null) {
    p.child.kill("SIGTERM");
    await p.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const port = await freePort();
  const p = startProcess("src/server.ts", {
    PORT: String(port),
    HOST: "127.0.0.1",
    ROSTER_DATA_DIR: dataDir,
    ROSTER_EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: "warn",
  });
  running.push(p);
  await p.waitFor(/Roster is listening/, 60_000);
  return { p, base: `http://127.0.0.1:${port}` };
}

async function stop(p: RunningProcess) {
  p.child.kill("SIGTERM");
  assert.equal(await p.exited, 0, p.output());
}

test("starts from nothing, restarts, and recovers after SIGKILL", { timeout: 180_000 }, async () => {
  // First start: initialises the cluster, migrates, prints a generated admin token once.
  const first = await start();
  const token = first.p.output().match(/\b(rsa_[A-Za-z0-9_-]{43})\b/)?.[1];
  assert.ok(token, `a generated admin token is printed:\n${first.p.output()}`);
  assert.equal((await fetch(`${first.base}/readyz`)).status, 200);
  const created = await fetch(`${first.base}/admin/v1/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "survives restarts" }),
  });
  assert.equal(created.status, 201);
  const tenant = (await created.json()) as { id: string };
  await stop(first.p);

  // Restart: same data, no new token printed, the old token still works.
  const second = await start();
  assert.doesNotMatch(second.p.output(), /rsa_[A-Za-z0-9_-]{43}/, "the token is printed only the first time");
  const got = await fetch(`${second.base}/admin/v1/tenants/${tenant.id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(got.status, 200);

  // SIGKILL leaves the embedded postmaster running; the next start must stop it, not hang.
  second.p.child.kill("SIGKILL");
  await second.p.exited;
  const third = await start();
  assert.equal((await fetch(`${third.base}/readyz`)).status, 200, third.p.output());
  const again = await fetch(`${third.base}/admin/v1/tenants/${tenant.id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(again.status, 200);
  await stop(third.p);
});
