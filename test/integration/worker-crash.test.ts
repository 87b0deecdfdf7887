// A worker process killed with SIGKILL in the middle of its jobs: nothing is lost (another
// worker picks the jobs up once their locks expire) and effects are not duplicated (one
// receipt per event, one succeeded delivery per event and endpoint).
import assert from "node:assert/strict";
import { test } from "node:test";
import { startProcess } from "../helpers/process.ts";
import { scimCreateUser, scimDeactivate, startReceiver, useSyncHarness, waitFor } from "../helpers/sync.ts";
import { startSession } from "./auth-fixtures.ts";

test("SIGKILL of a worker mid-jobs loses nothing and duplicates no effect", { timeout: 55_000 }, async () => {
  const h = await useSyncHarness({ WORKER_LOCK_DURATION_MS: "1500" }, { start: false });
  const { db } = h.container;
  const rx = await startReceiver(() => new Promise((r) => setTimeout(() => r(200), 150)));
  const { tenantId, token } = await h.createTenant();
  assert.equal((await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: rx.url })).status, 201);
  const users: string[] = [];
  for (let i = 0; i < 40; i++) users.push(await scimCreateUser(h, token));
  const sessions = await Promise.all(users.map((u) => startSession(h, tenantId, u)));
  for (const u of users) await scimDeactivate(h, token, u);
  const events = await db.event.count({ where: { tenantId } });

  const c = h.container.config;
  const env = {
    DATABASE_URL: h.database.url, REDIS_URL: c.REDIS_URL!, QUEUE_PREFIX: c.QUEUE_PREFIX, ROSTER_KEY_ENCRYPTION_KEY: c.ROSTER_KEY_ENCRYPTION_KEY!,
    WORKER_LOCK_DURATION_MS: "1500", WORKER_CONCURRENCY: "2", WEBHOOK_CONCURRENCY: "4", RELAY_SWEEP_MS: "200",
    WEBHOOK_RETRY_BASE_MS: "100", WEBHOOK_RETRY_MAX_MS: "500", LOG_LEVEL: "warn",
  };
  const first = startProcess("workers/main.ts", env);
  await first.waitFor(/roster worker ready/);
  await waitFor("some deliveries done", async () => (await db.webhookDelivery.count({ where: { tenantId, status: "succeeded" } })) >= 8, 20_000, 10);
  first.child.kill("SIGKILL");
  await first.exited;
  const doneAtKill = await db.webhookDelivery.count({ where: { tenantId, status: "succeeded" } });
  assert.ok(doneAtKill < events, `killed before the end (${doneAtKill}/${events})`);

  const second = startProcess("workers/main.ts", env);
  try {
    await second.waitFor(/roster worker ready/);
    await waitFor("all receipts", async () => (await db.deprovisionReceipt.count({ where: { tenantId } })) === 40, 25_000);
    await waitFor("all deliveries", async () => (await db.webhookDelivery.count({ where: { tenantId, status: "succeeded" } })) === events, 25_000);
  } finally {
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0, second.output());
  }
  assert.match(second.output(), /^(?![\s\S]*"level":50)/, "no errors logged");
  const receipts = await db.deprovisionReceipt.findMany({ where: { tenantId } });
  assert.equal(new Set(receipts.map((r) => r.eventId)).size, 40);
  assert.equal(new Set(receipts.map((r) => r.userId)).size, 40);
  assert.equal(await db.webhookDelivery.count({ where: { tenantId } }), events);
  // At-least-once: a delivery in flight at the kill may have reached the receiver twice, with
  // the same webhook-id (the receiver's idempotency key); never more than were in flight.
  const ids = rx.received.map((r) => r.headers["webhook-id"]);
  assert.equal(new Set(ids).size, events);
  assert.ok(ids.length - events <= 4, `${ids.length - events} duplicates`);
  for (const s of sessions) assert.equal(await h.container.services.sessions.authenticate(s.access_token), null);
});
