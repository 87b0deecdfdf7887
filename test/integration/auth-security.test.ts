// Shared checks on every route of this issue: credentials, another tenant's ids, OpenAPI.
import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { createRole, createUser, userWithSession } from "./auth-fixtures.ts";

const h = await useHarness();

test("every sessions route refuses another tenant's user and session ids with 404", async () => {
  const a = await userWithSession(h);
  const b = await h.createTenant();
  const bUser = await createUser(h, b.tenantId);
  for (const [method, path, body] of [
    ["POST", `/tenants/${b.tenantId}/sessions`, { userId: a.user.id }],
    ["POST", `/tenants/${a.tenantId}/sessions`, { userId: bUser.id }],
    ["GET", `/tenants/${b.tenantId}/users/${a.user.id}/sessions`],
    ["DELETE", `/tenants/${b.tenantId}/sessions/${a.session.id}`],
    ["POST", `/tenants/${b.tenantId}/users/${a.user.id}/sessions/revoke`],
    ["GET", `/tenants/00000000-0000-7000-8000-000000000000/roles`],
    ["POST", `/tenants/00000000-0000-7000-8000-000000000000/roles`, { name: "x", permissions: [] }],
    ["GET", `/tenants/00000000-0000-7000-8000-000000000000/role-mappings`],
  ] as const) {
    const r = await h.admin(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${show(r)}`);
    assert.equal(r.body.error.code, "not_found");
  }
  assert.equal((await h.request("GET", "/auth/v1/me", { token: a.access_token })).status, 200, "A's session is untouched");
});

test("admin routes of this issue need the admin token; user tokens are not admin tokens", async () => {
  const a = await userWithSession(h, ["impersonate"]);
  const role = await createRole(h, a.tenantId, []);
  for (const [method, path] of [
    ["GET", "/admin/v1/signing-keys"],
    ["POST", "/admin/v1/signing-keys/rotate"],
    ["GET", `/admin/v1/tenants/${a.tenantId}/roles`],
    ["PUT", `/admin/v1/tenants/${a.tenantId}/users/${a.user.id}/roles/${role.id}`],
    ["GET", `/admin/v1/tenants/${a.tenantId}/audit-log`],
    ["POST", `/admin/v1/tenants/${a.tenantId}/sessions`],
  ] as const) {
    for (const token of [null, a.access_token, a.refresh_token]) {
      const r = await h.request(method, path, { token, body: method === "POST" ? {} : undefined });
      assert.equal(r.status, 401, `${method} ${path}: ${show(r)}`);
    }
  }
  for (const path of ["/auth/v1/me", "/auth/v1/logout", "/auth/v1/logout-all"]) {
    const r = await h.request(path === "/auth/v1/me" ? "GET" : "POST", path, { token: h.adminToken });
    assert.equal(r.status, 401, `an admin token is not an access token: ${show(r)}`);
    assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
  }
});

test("every auth and admin route of this issue is in the OpenAPI document with the accessToken scheme", async () => {
  const r = await h.request("GET", "/admin/v1/openapi.json");
  assert.equal(r.status, 200, show(r));
  const paths = Object.keys(r.body.paths);
  for (const p of [
    "/auth/v1/token", "/auth/v1/logout", "/auth/v1/logout-all", "/auth/v1/introspect", "/auth/v1/me", "/auth/v1/impersonate",
    "/.well-known/jwks.json", "/admin/v1/signing-keys", "/admin/v1/signing-keys/rotate",
    "/admin/v1/tenants/{tenantId}/sessions", "/admin/v1/tenants/{tenantId}/users/{userId}/sessions",
    "/admin/v1/tenants/{tenantId}/sessions/{sessionId}", "/admin/v1/tenants/{tenantId}/users/{userId}/sessions/revoke",
    "/admin/v1/tenants/{tenantId}/roles", "/admin/v1/tenants/{tenantId}/roles/{roleId}",
    "/admin/v1/tenants/{tenantId}/users/{userId}/roles", "/admin/v1/tenants/{tenantId}/users/{userId}/roles/{roleId}",
    "/admin/v1/tenants/{tenantId}/role-mappings", "/admin/v1/tenants/{tenantId}/role-mappings/{mappingId}",
    "/admin/v1/tenants/{tenantId}/audit-log",
  ]) assert.ok(paths.includes(p), `missing ${p}`);
  assert.ok(r.body.components.securitySchemes.accessToken);
});

test("malformed JSON on admin and auth routes is 400, never 500", async () => {
  const { tenantId } = await h.createTenant();
  const r = await h.request("POST", `/admin/v1/tenants/${tenantId}/roles`, { token: h.adminToken, body: "{nope" });
  assert.equal(r.status, 400, show(r));
  const t = await h.request("POST", "/auth/v1/token", { body: "{nope" });
  assert.equal(t.status, 400, show(t));
});
