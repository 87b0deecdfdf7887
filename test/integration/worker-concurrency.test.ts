// Two relays and two workers at once (two containers on one database and one queue prefix):
// every event is relayed once, processed once in effect, and each resource's events reach a
// webhook receiver in order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import { loadConfig } from "../../src/config.ts";
import { createContainer } from "../../src/container.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { startSync } from "../../workers/runtime.ts";
import { scimCreateUser, scimDeactivate, scimRename, startReceiver, useSyncHarness, waitFor } from "../helpers/sync.ts";

test("two relays and two workers: no double effects, order per resource kept", { timeout: 55_000 }, async () => {
  const h = await useSyncHarness({ WORKER_CONCURRENCY: "8", WEBHOOK_CONCURRENCY: "16" });
  const c = h.container.config;
  const second = createContainer({
    config: loadConfig({ ...c, DATABASE_URL: h.database.url, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX, LOG_LEVEL: "silent" } as never),
    logger: createLogger("silent"),
    databaseUrl: h.database.url,
  });
  const sync2 = await startSync(second);
  try {
    const rx = await startReceiver(() => new Promise((r) => setTimeout(() => r(Math.random() < 0.1 ? 503 : 200), Math.random() * 10)));
    const { tenantId, token } = await h.createTenant();
    const hook = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: rx.url });
    const secret = hook.body.secret as string;
    const users: string[] = [];
    for (let i = 0; i < 12; i++) users.push(await scimCreateUser(h, token));
    // Every user gets 6 renames and a deactivation, all users in parallel.
    await Promise.all(users.map(async (u) => {
      for (let i = 0; i < 6; i++) await scimRename(h, token, u, `Name ${i}`);
      await scimDeactivate(h, token, u);
    }));
    const { db } = h.container;
    const events = await db.event.count({ where: { tenantId } });
    assert.equal(events, 12 * 8);
    await waitFor("all delivered", async () => (await db.webhookDelivery.count({ where: { tenantId, status: "succeeded" } })) === events, 40_000, 50);
    await waitFor("all receipts", async () => (await db.deprovisionReceipt.count({ where: { tenantId } })) === 12);

    assert.equal(await db.webhookDelivery.count({ where: { tenantId } }), events, "one delivery row per event");
    const wh = new Webhook(secret);
    const okByResource = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const m of rx.received) {
      const p = wh.verify(m.body, m.headers) as { data: { id: string; resourceId: string } };
      if (seen.has(m.headers["webhook-id"]!)) continue; // a retry of an event already seen
      seen.add(m.headers["webhook-id"]!);
      okByResource.set(p.data.resourceId, [...(okByResource.get(p.data.resourceId) ?? []), Number(p.data.id)]);
    }
    assert.equal(seen.size, events);
    for (const [resource, ids] of okByResource) {
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `events of ${resource} arrived out of order: ${ids}`);
    }
    // Nothing left behind by either relay.
    const relayed = await db.event.count({ where: { tenantId, relayedAt: null } });
    assert.equal(relayed, 0);
  } finally {
    await sync2.stop();
    await second.close();
  }
});
