// Webhook endpoints and deliveries against a real local receiver that fails, times out and
// recovers; signatures checked with the `standardwebhooks` library as a receiving app would.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import { show } from "../helpers/harness.ts";
import { scimCreateUser, scimDeactivate, scimRename, startReceiver, useSyncHarness, waitFor } from "../helpers/sync.ts";

const h = await useSyncHarness();

async function register(tenantId: string, url: string, eventTypes?: string[]) {
  const r = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url, ...(eventTypes ? { eventTypes } : {}) });
  assert.equal(r.status, 201, show(r));
  assert.match(r.body.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  return { id: r.body.endpoint.id as string, secret: r.body.secret as string };
}

async function deliveries(tenantId: string, endpointId: string) {
  const r = await h.admin("GET", `/tenants/${tenantId}/webhooks/${endpointId}/deliveries?limit=200`);
  assert.equal(r.status, 200, show(r));
  return r.body.data as any[];
}

test("deliveries are signed per Standard Webhooks and carry ids, not values", async () => {
  const rx = await startReceiver();
  const { tenantId, token } = await h.createTenant();
  const ep = await register(tenantId, rx.url);
  const userId = await scimCreateUser(h, token);
  await scimDeactivate(h, token, userId);
  await waitFor("two deliveries", async () => rx.received.length >= 2);
  const wh = new Webhook(ep.secret);
  const payloads = rx.received.map((m) => wh.verify(m.body, m.headers) as any);
  assert.deepEqual(payloads.map((p) => p.type), ["user.created", "user.deactivated"]);
  const p = payloads[1];
  assert.equal(p.data.resourceId, userId);
  assert.deepEqual(p.data.attributes, ["active"]);
  assert.equal(p.data.tenantId, tenantId);
  assert.ok(!JSON.stringify(payloads).includes("@example.com"), "no attribute values in payloads");
  assert.match(rx.received[1]!.headers["webhook-id"]!, /^msg_\d+_[0-9a-f]{32}$/);
  // A forged body fails verification.
  assert.throws(() => wh.verify(rx.received[1]!.body.replace("deactivated", "reactivated"), rx.received[1]!.headers));
  // The log shows both as succeeded with a latency; the secret is never listed.
  const log = await waitFor("log settled", async () => {
    const d = await deliveries(tenantId, ep.id);
    return d.every((x) => x.status === "succeeded") && d.length === 2 ? d : null;
  });
  assert.ok(log.every((d) => d.attempts === 1 && d.lastStatusCode === 200 && d.latencyMs >= 0));
  const listed = await h.admin("GET", `/tenants/${tenantId}/webhooks`);
  assert.ok(!listed.text.includes(ep.secret) && !listed.text.includes("secretEncrypted"), show(listed));
});

test("a failing, then hanging, then recovering receiver gets every event once it recovers, in order", async () => {
  let mode: "fail" | "hang" | "ok" = "fail";
  const rx = await startReceiver(() => (mode === "fail" ? 503 : mode === "hang" ? "hang" : 200));
  const healthy = await startReceiver();
  const { tenantId, token } = await h.createTenant();
  const bad = await register(tenantId, rx.url);
  const good = await register(tenantId, healthy.url);
  const userId = await scimCreateUser(h, token);
  for (let i = 0; i < 4; i++) await scimRename(h, token, userId, `Name ${i}`);
  // The healthy endpoint is not slowed by the failing one.
  await waitFor("healthy endpoint got all 5", async () => healthy.received.length === 5, 5000);
  await waitFor("failures recorded", async () => (await deliveries(tenantId, bad.id)).some((d) => d.status === "failed" && d.lastStatusCode === 503));
  mode = "hang";
  await waitFor("a timeout recorded", async () => (await deliveries(tenantId, bad.id)).some((d) => /timed out/.test(d.lastError ?? "")), 10_000);
  mode = "ok";
  await waitFor("all delivered", async () => (await deliveries(tenantId, bad.id)).filter((d) => d.status === "succeeded").length === 5, 20_000);

  const wh = new Webhook(bad.secret);
  const okBodies = rx.received.map((m) => ({ id: m.headers["webhook-id"], p: wh.verify(m.body, m.headers) as any }));
  // Each event's first successful answer came in event order (retries of one event repeat its id).
  const firstSeen = [...new Map(okBodies.map((b) => [b.id, b.p.data.id])).values()].map(Number);
  assert.deepEqual(firstSeen, [...firstSeen].sort((a, b) => a - b), "per-resource order kept");
  assert.equal(new Set(okBodies.map((b) => b.id)).size, 5);
  const log = await deliveries(tenantId, bad.id);
  assert.ok(log.some((d) => d.attempts > 1), JSON.stringify(log));
});

test("a delivery that keeps failing is dead-lettered and can be redelivered with the same webhook-id", async () => {
  let ok = false;
  const rx = await startReceiver(() => (ok ? 204 : 500));
  const { tenantId, token } = await h.createTenant();
  const ep = await register(tenantId, rx.url, ["user.created"]);
  await scimCreateUser(h, token);
  const [dead] = await waitFor("dead", async () => {
    const d = await deliveries(tenantId, ep.id);
    return d.length === 1 && d[0].status === "dead" ? d : null;
  }, 20_000);
  assert.equal(dead.attempts, 6);
  assert.equal(dead.lastError, "HTTP 500");
  ok = true;
  const before = rx.received.length;
  const r = await h.admin("POST", `/tenants/${tenantId}/webhooks/${ep.id}/deliveries/${dead.id}/redeliver`);
  assert.equal(r.status, 202, show(r));
  await waitFor("redelivered", async () => (await deliveries(tenantId, ep.id))[0].status === "succeeded");
  assert.equal(rx.received.length, before + 1);
  assert.equal(rx.received.at(-1)!.headers["webhook-id"], dead.webhookId);
});

test("event type filters, disable / enable, and validation", async () => {
  const rx = await startReceiver();
  const { tenantId, token } = await h.createTenant();
  const ep = await register(tenantId, rx.url, ["user.deactivated"]);
  const u = await scimCreateUser(h, token);
  await scimDeactivate(h, token, u);
  await waitFor("one delivery", async () => rx.received.length === 1);
  const off = await h.admin("PATCH", `/tenants/${tenantId}/webhooks/${ep.id}`, { enabled: false });
  assert.equal(off.status, 200, show(off));
  assert.equal(off.body.enabled, false);
  await scimDeactivate(h, token, u, true);
  await scimDeactivate(h, token, u);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(rx.received.length, 1, "disabled endpoint receives nothing");
  assert.equal((await h.admin("PATCH", `/tenants/${tenantId}/webhooks/${ep.id}`, { enabled: true })).status, 200);

  for (const body of [{ url: "ftp://x.example" }, { url: "not a url" }, { url: rx.url, eventTypes: ["user.exploded"] }, { url: rx.url, extra: 1 }, {}]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/webhooks`, body);
    assert.equal(r.status, 400, show(r));
    assert.equal(r.body.error.code, "bad_request");
  }
  assert.equal((await h.admin("PATCH", `/tenants/${tenantId}/webhooks/${ep.id}`, {})).status, 400);
});

test("another tenant's endpoint ids answer 404 on every route", async () => {
  const rx = await startReceiver();
  const a = await h.createTenant();
  const b = await h.createTenant();
  const ep = await register(a.tenantId, rx.url);
  const base = `/tenants/${b.tenantId}/webhooks/${ep.id}`;
  for (const [method, path, body] of [
    ["GET", base], ["PATCH", base, { enabled: false }], ["DELETE", base], ["GET", `${base}/deliveries`],
    ["POST", `${base}/rotate-secret`], ["POST", `${base}/deliveries/0193a5b3-1111-7abc-8def-0123456789ab/redeliver`],
  ] as const) {
    const r = await h.admin(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${show(r)}`);
  }
  assert.equal((await h.admin("GET", `/tenants/${a.tenantId}/webhooks/${ep.id}`)).status, 200);
  const noToken = await h.request("GET", `/admin/v1/tenants/${a.tenantId}/webhooks`);
  assert.equal(noToken.status, 401);
  const del = await h.admin("DELETE", `/tenants/${a.tenantId}/webhooks/${ep.id}`);
  assert.equal(del.status, 204);
});
