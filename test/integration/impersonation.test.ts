import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assignRole, createRole, createUser, decodePayload, introspect, me, userWithSession } from "./auth-fixtures.ts";

const h = await useHarness({ IMPERSONATION_TTL_SECONDS: "300" });

const impersonate = (token: string, userId: string, reason = "Support ticket #4711") =>
  h.request("POST", "/auth/v1/impersonate", { token, body: { userId, reason } });

test("an impersonation token carries act.sub, is short and cannot be refreshed; all of it is audited", async () => {
  const support = await userWithSession(h, ["impersonate"]);
  const target = await createUser(h, support.tenantId);
  const r = await impersonate(support.access_token, target.id);
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.refresh_token, undefined);
  assert.equal(r.body.session.refreshable, false);
  const claims = decodePayload(r.body.access_token);
  assert.equal(claims.sub, target.id);
  assert.deepEqual(claims.act, { sub: support.user.id });
  assert.ok(claims.exp - claims.iat <= 300, "no longer than IMPERSONATION_TTL_SECONDS");
  assert.ok(Date.parse(r.body.session.absoluteExpiresAt) - Date.now() <= 300_000);
  assert.equal((await introspect(h, r.body.access_token)).body.act.sub, support.user.id);

  assert.equal((await me(h, r.body.access_token)).status, 200);
  const audit = await h.admin("GET", `/tenants/${support.tenantId}/audit-log?limit=200`);
  const started = audit.body.data.find((e: { action: string }) => e.action === "impersonation.started");
  assert.equal(started.actor.userId, support.user.id);
  assert.equal(started.targetId, target.id);
  assert.equal(started.data.reason, "Support ticket #4711");
  const request = audit.body.data.find((e: { action: string }) => e.action === "impersonation.request");
  assert.deepEqual(request.data, { impersonatorId: support.user.id, method: "GET", path: "/auth/v1/me" });
  assert.ok(!audit.text.includes(r.body.access_token), "no token in the audit log");
  // Impersonation is not a way to end the user's other sessions.
  assert.equal((await h.request("POST", "/auth/v1/logout-all", { token: r.body.access_token })).status, 403);
});

test("impersonation needs the permission, stays in the tenant and refuses admins without impersonate:admins", async () => {
  const plain = await userWithSession(h);
  const someone = await createUser(h, plain.tenantId);
  assert.equal((await impersonate(plain.access_token, someone.id)).status, 403);
  assert.equal((await impersonate("not-a-token", someone.id)).status, 401);

  const support = await userWithSession(h, ["impersonate"]);
  const other = await h.createTenant();
  const stranger = await createUser(h, other.tenantId);
  assert.equal((await impersonate(support.access_token, stranger.id)).status, 404);

  const admin = await createUser(h, support.tenantId);
  await assignRole(h, support.tenantId, admin.id, (await createRole(h, support.tenantId, ["impersonate"])).id);
  assert.equal((await impersonate(support.access_token, admin.id)).status, 403);

  const superSupport = await userWithSession(h, ["impersonate", "impersonate:admins"]);
  const admin2 = await createUser(h, superSupport.tenantId);
  await assignRole(h, superSupport.tenantId, admin2.id, (await createRole(h, superSupport.tenantId, ["impersonate"])).id);
  const ok = await impersonate(superSupport.access_token, admin2.id);
  assert.equal(ok.status, 201, show(ok));
  // No impersonation from inside an impersonation.
  const target = await createUser(h, superSupport.tenantId);
  assert.equal((await impersonate(ok.body.access_token, target.id)).status, 403);

  for (const body of [{}, { userId: someone.id }, { userId: someone.id, reason: "" }, { userId: someone.id, reason: "ok ok", x: 1 }]) {
    const r = await h.request("POST", "/auth/v1/impersonate", { token: support.access_token, body });
    assert.equal(r.status, 400, show(r));
  }
});
