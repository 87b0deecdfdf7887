// The same deprovisioning and webhook path on BullMQ's PostgreSQL backend (no REDIS_URL: the
// embedded / all-in-one mode), including the PostgreSQL deny-list.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import { show } from "../helpers/harness.ts";
import { scimCreateUser, scimDeactivate, startReceiver, useSyncHarness, waitFor } from "../helpers/sync.ts";
import { startSession } from "./auth-fixtures.ts";

const h = await useSyncHarness({ REDIS_URL: undefined });

test("deactivation on the PostgreSQL queue backend revokes everything and writes one receipt", async () => {
  assert.equal((await h.container.queues()).kind, "postgres");
  const rx = await startReceiver();
  const { tenantId, token } = await h.createTenant();
  const hook = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: rx.url, eventTypes: ["user.deactivated"] });
  const userId = await scimCreateUser(h, token);
  const s = await startSession(h, tenantId, userId);
  const t0 = Date.now();
  await scimDeactivate(h, token, userId);
  const receipt = await waitFor("receipt", async () => h.container.db.deprovisionReceipt.findFirst({ where: { tenantId, userId } }), 10_000, 10);
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `revoked ${ms} ms after the PATCH`);
  assert.equal(receipt.sessionsRevoked, 1);
  assert.equal(await h.container.services.sessions.authenticate(s.access_token), null);
  assert.equal(await h.container.db.revokedSession.count({ where: { sessionId: s.session.id } }), 1);
  const intro = await h.request("POST", "/auth/v1/introspect", { token: h.adminToken, body: { token: s.access_token } });
  assert.deepEqual(intro.body, { active: false }, show(intro));

  await waitFor("webhook", async () => rx.received.length === 1);
  const p = new Webhook(hook.body.secret).verify(rx.received[0]!.body, rx.received[0]!.headers) as any;
  assert.equal(p.type, "user.deactivated");

  const list = await h.admin("GET", `/tenants/${tenantId}/deprovisions`);
  assert.equal(list.body.data.length, 1, show(list));
  const metrics = await h.admin("GET", "/metrics/sync");
  assert.equal(metrics.body.deprovision.count, 1, show(metrics));
  const prom = await h.admin("GET", "/metrics");
  assert.equal(prom.status, 200);
  assert.match(prom.text, /roster_deprovision_latency_ms\{quantile="0.5"\} \d+/);
  assert.match(prom.text, /roster_relay_lag_ms \d+/);
});
