// Hostile requests found in review: oversized bodies, NUL characters, malformed Bulk metadata,
// a tenant deleted under live sessions, and database errors no service mapped itself.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mapDbError } from "../../src/db/errors.ts";
import { AppError } from "../../src/errors.ts";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";
import { createUser, startSession } from "./auth-fixtures.ts";

const h = await useHarness({ SCIM_MAX_PAYLOAD_BYTES: "65536" });
const big = (bytes: number) => JSON.stringify({ name: "x", settings: { blob: "y".repeat(bytes) } });

test("an oversized admin or auth body is a 413 before anything parses it, with or without Content-Length", async () => {
  const admin = await h.request("POST", "/admin/v1/tenants", { token: h.adminToken, body: big(2_000_000) });
  assert.equal(admin.status, 413, show(admin));
  assert.equal(admin.body.error.code, "payload_too_large");
  // Chunked: no Content-Length to trust, the limit counts the bytes as they stream in.
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode("[".repeat(50_000)));
      controller.close();
    },
  });
  const res = await h.app.request("/auth/v1/token", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
  assert.equal(res.status, 413, await res.text());
});

test("an oversized SCIM body is a 413 SCIM error", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Users", { userName: "big", title: "t".repeat(100_000) });
  assertScimError(r, 413);
});

test("the token endpoint answers an unparsable body in OAuth's error shape", async () => {
  const r = await h.request("POST", "/auth/v1/token", { body: "{bad", headers: { "content-type": "application/json" } });
  assert.equal(r.status, 400, show(r));
  assert.equal(r.body.error, "invalid_request", show(r));
});

test("NUL characters in ids and admin strings are 4xx, never 500", async () => {
  const { tenantId, token } = await h.createTenant();
  for (const path of ["/Users/%00", "/Groups/%00"]) {
    for (const method of ["GET", "DELETE"]) {
      const r = await h.scim(token, method, path);
      assert.ok(r.status === 400 || r.status === 404, `${method} ${path}: ${show(r)}`);
    }
  }
  for (const [method, path, body] of [
    ["GET", "/tenants/%00"],
    ["GET", `/tenants/${tenantId}/scim-tokens/%00`],
    ["POST", "/tenants", { name: "n\u0000" }],
    ["POST", "/tenants", { name: "ok", settings: { "\u0000": 1 } }],
    ["POST", `/tenants/${tenantId}/scim-tokens`, { name: "t\u0000" }],
  ] as const) {
    const r = await h.admin(method, path, body);
    assert.ok(r.status >= 400 && r.status < 500, `${method} ${path}: ${show(r)}`);
  }
});

test("a Bulk operation with a malformed version is rejected before any operation runs", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations: [
      { method: "POST", bulkId: "a", path: "/Users", data: { userName: "bulk-version@x" } },
      { method: "PATCH", path: "/Users/bulkId:a", version: 1, data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "x" }] } },
    ],
  });
  assertScimError(r, 400, "invalidValue");
  assert.equal((await h.scim(token, "GET", "/Users")).body.totalResults, 0, "nothing half-applied");
});

test("deleting a tenant deny-lists its live sessions first, so their access tokens stop verifying", async () => {
  const { tenantId } = await h.createTenant();
  const user = await createUser(h, tenantId);
  const s = await startSession(h, tenantId, user.id);
  assert.ok(await h.container.services.sessions.authenticate(s.access_token));
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}`)).status, 204);
  assert.equal(await h.container.services.sessions.authenticate(s.access_token), null);
  const me = await h.request("GET", "/auth/v1/me", { token: s.access_token });
  assert.equal(me.status, 401, show(me));
});

test("database errors no service mapped become 4xx: a vanished reference, NUL, a duplicate", () => {
  const cases: [unknown, number, string | undefined][] = [
    [{ code: "23503" }, 400, "invalidValue"],
    [{ code: "22021" }, 400, "invalidValue"],
    [{ code: "P2010", meta: { code: "23503" } }, 400, "invalidValue"],
    [{ code: "P2002", meta: { driverAdapterError: { cause: { originalCode: "22P05" } } } }, 409, "uniqueness"],
    [{ code: "23505", constraint: "User_tenantId_userName_key" }, 409, "uniqueness"],
  ];
  for (const [err, status, scimType] of cases) {
    const mapped = mapDbError(err, "user");
    assert.ok(mapped instanceof AppError, JSON.stringify(err));
    assert.equal(mapped.status, status, JSON.stringify(err));
    assert.equal(mapped.scimType, scimType, JSON.stringify(err));
  }
  assert.match((mapDbError({ code: "23505", constraint: "User_tenantId_userName_key" }, "user") as AppError).message, /userName/);
  const unknown = new Error("boom");
  assert.equal(mapDbError(unknown), unknown, "anything else is left alone (and is a logged 500)");
});

test("configuring ROSTER_ADMIN_TOKEN retires a generated token and stores only four characters of it", async () => {
  await h.container.db.adminCredential.updateMany({ data: { revokedAt: new Date() } });
  const generated = await h.container.services.adminCredentials.bootstrap(undefined);
  assert.ok(generated);
  const configured = "c".repeat(8) + "configured-token-of-forty-chars-xx";
  await h.container.services.adminCredentials.bootstrap(configured);
  assert.equal((await h.request("GET", "/admin/v1/tenants", { token: generated })).status, 401);
  assert.equal((await h.request("GET", "/admin/v1/tenants", { token: configured })).status, 200);
  const row = await h.container.db.adminCredential.findFirstOrThrow({ where: { name: "environment", revokedAt: null } });
  assert.equal(row.prefix, "cccc…");
  await h.container.services.adminCredentials.bootstrap(h.adminToken); // leave the harness token working
});
