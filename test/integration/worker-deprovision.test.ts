// Deprovisioning through the worker on Redis: a SCIM deactivation revokes every session,
// refresh token and role, writes one receipt per event, and reactivation restores nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { show } from "../helpers/harness.ts";
import { scimCreateUser, scimDeactivate, useSyncHarness, waitFor } from "../helpers/sync.ts";
import { assignRole, createRole, startSession } from "./auth-fixtures.ts";

const h = await useSyncHarness();
const { db } = h.container;

async function receiptsOf(tenantId: string, userId: string) {
  const r = await h.admin("GET", `/tenants/${tenantId}/users/${userId}/deprovisions`);
  assert.equal(r.status, 200, show(r));
  return r.body.data as any[];
}

test("deactivation revokes sessions, refresh tokens and roles and writes a receipt", async () => {
  const { tenantId, token } = await h.createTenant();
  const userId = await scimCreateUser(h, token);
  const role = await createRole(h, tenantId, ["billing:read"]);
  await assignRole(h, tenantId, userId, role.id);
  const s1 = await startSession(h, tenantId, userId);
  const s2 = await startSession(h, tenantId, userId);

  await scimDeactivate(h, token, userId);
  const [receipt] = await waitFor("receipt", async () => {
    const list = await receiptsOf(tenantId, userId);
    return list.length ? list : null;
  });
  assert.equal(receipt.reason, "user.deactivated");
  assert.equal(receipt.sessionsRevoked, 2);
  assert.equal(receipt.refreshTokensRevoked, 2);
  assert.equal(receipt.rolesRemoved, 1);
  assert.ok(receipt.elapsedMs >= 0 && receipt.elapsedMs < 5000, JSON.stringify(receipt));

  for (const s of [s1, s2]) {
    assert.equal(await h.container.services.sessions.authenticate(s.access_token), null, "deny-listed access token");
    const intro = await h.request("POST", "/auth/v1/introspect", { token: h.adminToken, body: { token: s.access_token } });
    assert.deepEqual(intro.body, { active: false }, show(intro));
    const refresh = await h.request("POST", "/auth/v1/token", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: `grant_type=refresh_token&refresh_token=${s.refresh_token}` });
    assert.equal(refresh.status, 400, show(refresh));
  }
  assert.equal(await db.effectiveRole.count({ where: { tenantId, userId } }), 0);

  // Listed under the tenant too; another tenant sees nothing and a bad cursor is a 400.
  const all = await h.admin("GET", `/tenants/${tenantId}/deprovisions`);
  assert.equal(all.body.data.length, 1, show(all));
  const other = await h.createTenant();
  const cross = await h.admin("GET", `/tenants/${other.tenantId}/users/${userId}/deprovisions`);
  assert.deepEqual(cross.body.data, [], show(cross));
  assert.equal((await h.admin("GET", `/tenants/nope-${tenantId}/deprovisions`)).status, 404);
  assert.equal((await h.admin("GET", `/tenants/${tenantId}/deprovisions?after=x`)).status, 400);
  assert.equal((await h.admin("GET", `/tenants/${tenantId}/deprovisions?limit=0`)).status, 400);
});

test("reactivation restores nothing: revoked sessions stay revoked", async () => {
  const { tenantId, token } = await h.createTenant();
  const userId = await scimCreateUser(h, token);
  const s = await startSession(h, tenantId, userId);
  await scimDeactivate(h, token, userId);
  await waitFor("receipt", async () => (await receiptsOf(tenantId, userId)).length === 1);
  await scimDeactivate(h, token, userId, true);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await h.container.services.sessions.authenticate(s.access_token), null);
  const intro = await h.request("POST", "/auth/v1/introspect", { token: h.adminToken, body: { token: s.access_token } });
  assert.deepEqual(intro.body, { active: false }, show(intro));
  const session = await db.session.findUniqueOrThrow({ where: { id: s.session.id } });
  assert.ok(session.revokedAt, "still revoked");
  // A second deactivation is a new event and gets its own receipt.
  await scimDeactivate(h, token, userId);
  await waitFor("second receipt", async () => (await receiptsOf(tenantId, userId)).length === 2);
});

test("DELETE writes a receipt too", async () => {
  const { tenantId, token } = await h.createTenant();
  const userId = await scimCreateUser(h, token);
  const r = await h.scim(token, "DELETE", `/Users/${userId}`);
  assert.equal(r.status, 204, show(r));
  const [receipt] = await waitFor("receipt", async () => {
    const list = await receiptsOf(tenantId, userId);
    return list.length ? list : null;
  });
  assert.equal(receipt.reason, "user.deleted");
});

test("DELETE deny-lists the user's live sessions before the row (and its sessions) go", async () => {
  const { tenantId, token } = await h.createTenant();
  const userId = await scimCreateUser(h, token);
  const s = await startSession(h, tenantId, userId);
  assert.ok(await h.container.services.sessions.authenticate(s.access_token), "valid before the delete");
  const r = await h.scim(token, "DELETE", `/Users/${userId}`);
  assert.equal(r.status, 204, show(r));
  // Offline verifiers rely on the deny-list: the session rows cascade away with the user.
  assert.equal(await h.container.services.sessions.authenticate(s.access_token), null);
  assert.equal(await db.session.count({ where: { userId } }), 0);
});

test("an event relayed twice is deprovisioned once in effect", async () => {
  const { tenantId, token } = await h.createTenant();
  const userId = await scimCreateUser(h, token);
  await startSession(h, tenantId, userId);
  await scimDeactivate(h, token, userId);
  await waitFor("receipt", async () => (await receiptsOf(tenantId, userId)).length === 1);
  // Simulate a relay that crashed after enqueueing: the rows look unrelayed again.
  await db.event.updateMany({ where: { tenantId }, data: { relayedAt: null } });
  // Remove the completed BullMQ job too, so the duplicate is really processed again.
  const q = (await h.container.queues()).queue("deprovision");
  const ev = await db.event.findFirstOrThrow({ where: { tenantId, type: "user.deactivated" } });
  await (await q.getJob(`evt-${ev.id}`))?.remove();
  await waitFor("re-relayed", async () => (await db.event.count({ where: { tenantId, relayedAt: null } })) === 0);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await receiptsOf(tenantId, userId)).length, 1);
  assert.equal(await db.deprovisionReceipt.count({ where: { eventId: ev.id } }), 1);
});
