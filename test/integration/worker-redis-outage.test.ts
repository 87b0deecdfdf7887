// Redis unreachable while SCIM writes happen: the writes succeed (they only insert Event rows),
// the relay keeps retrying, and once it reaches Redis every event is relayed and processed
// exactly once in effect (one receipt per deactivation, one successful delivery per event).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createContainer } from "../../src/container.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { loadConfig } from "../../src/config.ts";
import { startSync } from "../../workers/runtime.ts";
import { show } from "../helpers/harness.ts";
import { freePort } from "../helpers/process.ts";
import { REDIS_URL, scimCreateUser, scimDeactivate, startReceiver, syncEnv, useSyncHarness, waitFor } from "../helpers/sync.ts";
import { startSession } from "./auth-fixtures.ts";

// Once everything is closed, a handle of the TypeScript loader stays referenced after the dead
// Redis connections are dropped and keeps this file's process alive; end it explicitly once the
// results are out (the runner does not need --test-force-exit, which can drop reported tests).
after(() => {
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
});

test("writes succeed while Redis is unreachable; everything is processed once when it returns", async () => {
  const deadRedis = `redis://127.0.0.1:${await freePort()}`;
  const env = syncEnv({ REDIS_URL: deadRedis });
  const h = await useSyncHarness(env);
  const rx = await startReceiver();
  const { tenantId, token } = await h.createTenant();
  const hook = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: rx.url });
  assert.equal(hook.status, 201, show(hook));

  const users: string[] = [];
  for (let i = 0; i < 20; i++) users.push(await scimCreateUser(h, token));
  const sessions = await Promise.all(users.map((u) => startSession(h, tenantId, u)));
  const started = Date.now();
  for (const u of users) await scimDeactivate(h, token, u); // each asserts 200
  assert.ok(Date.now() - started < 5000, "writes are not slowed by the dead Redis");

  await new Promise((r) => setTimeout(r, 600));
  const m = await h.admin("GET", "/metrics/sync");
  assert.equal(m.status, 200, show(m));
  assert.equal(m.body.relay.unrelayed, 40, show(m)); // 20 user.created + 20 user.deactivated
  assert.ok(m.body.relay.oldestUnrelayedAgeMs >= 500, show(m));
  assert.equal(await h.container.db.deprovisionReceipt.count(), 0);

  // Redis "comes back": a worker process with the real URL (same queue prefix) takes over. The
  // dead-Redis relay stops first: while it retries it keeps claiming the backlog (SKIP LOCKED),
  // which would leave the new relay racing it for rows — in production it is the same relay
  // that reconnects.
  await h.sync?.stop();
  const config = loadConfig({ ...env, REDIS_URL, DATABASE_URL: h.database.url, NODE_ENV: "test", LOG_LEVEL: "silent", ROSTER_KEY_ENCRYPTION_KEY: h.container.config.ROSTER_KEY_ENCRYPTION_KEY });
  const worker = createContainer({ config, logger: createLogger("silent"), databaseUrl: h.database.url });
  const sync = await startSync(worker);
  try {
    await waitFor("all relayed", async () => (await h.container.db.event.count({ where: { relayedAt: null } })) === 0, 15_000);
    await waitFor("20 receipts", async () => (await h.container.db.deprovisionReceipt.count({ where: { tenantId } })) === 20, 15_000);
    const events = await h.container.db.event.count({ where: { tenantId } });
    await waitFor("every event delivered", async () => (await h.container.db.webhookDelivery.count({ where: { tenantId, status: "succeeded" } })) === events, 15_000);
    // Exactly once in effect: one delivery row per event, one receipt per deactivation event.
    assert.equal(await h.container.db.webhookDelivery.count({ where: { tenantId } }), events);
    const ids = rx.received.map((r) => r.headers["webhook-id"]);
    assert.equal(new Set(ids).size, events);
    for (const s of sessions) assert.equal(await worker.services.sessions.authenticate(s.access_token), null);
  } finally {
    await sync.stop();
    await worker.close();
  }
});
