import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError, checkScimAuthFailures } from "../helpers/security.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

async function tenantWithData() {
  const t = await h.createTenant();
  const u = await h.scim(t.token, "POST", "/Users", { userName: "shared@acme.com", externalId: "ext-1", title: "secret-title" });
  const g = await h.scim(t.token, "POST", "/Groups", { displayName: "Shared", members: [{ value: u.body.id }] });
  assert.equal(g.status, 201, show(g));
  return { ...t, userId: u.body.id as string, groupId: g.body.id as string, user: u.body, group: g.body };
}

test("another tenant's user and group ids answer 404 on GET, PUT, PATCH and DELETE, and nothing changes", async () => {
  const a = await tenantWithData();
  const b = await h.createTenant();
  for (const [kind, id, body] of [["Users", a.userId, { userName: "hijack" }], ["Groups", a.groupId, { displayName: "hijack" }]] as const) {
    assertScimError(await h.scim(b.token, "GET", `/${kind}/${id}`), 404);
    assertScimError(await h.scim(b.token, "GET", `/${kind}/${id}`, undefined, { "if-none-match": "*" }), 404);
    assertScimError(await h.scim(b.token, "PUT", `/${kind}/${id}`, body), 404);
    assertScimError(await h.scim(b.token, "PATCH", `/${kind}/${id}`, patch({ op: "replace", value: body })), 404);
    assertScimError(await h.scim(b.token, "DELETE", `/${kind}/${id}`), 404);
  }
  const u = await h.scim(a.token, "GET", `/Users/${a.userId}`);
  assert.equal(u.body.userName, "shared@acme.com", show(u));
  assert.equal(u.body.meta.version, a.user.meta.version);
  const g = await h.scim(a.token, "GET", `/Groups/${a.groupId}`);
  assert.equal(g.body.displayName, "Shared", show(g));
  assert.deepEqual(g.body.members.map((m: any) => m.value), [a.userId]);
});

test("lists, filters and searches never reveal another tenant's resources", async () => {
  const a = await tenantWithData();
  const b = await h.createTenant();
  const requests = [
    h.scim(b.token, "GET", "/Users"),
    h.scim(b.token, "GET", "/Groups"),
    h.scim(b.token, "GET", `/Users?filter=${encodeURIComponent('userName eq "shared@acme.com"')}`),
    h.scim(b.token, "GET", `/Users?filter=${encodeURIComponent(`id eq "${a.userId}"`)}`),
    h.scim(b.token, "GET", `/Users?filter=${encodeURIComponent(`groups[value eq "${a.groupId}"]`)}`),
    h.scim(b.token, "GET", `/Groups?filter=${encodeURIComponent(`members[value eq "${a.userId}"]`)}`),
    h.scim(b.token, "GET", "/Users?cursor=&count=100"),
    h.scim(b.token, "POST", "/.search", { filter: 'title eq "secret-title"' }),
    h.scim(b.token, "POST", "/.search", {}),
    h.scim(b.token, "POST", "/Users/.search", { filter: 'externalId eq "ext-1"' }),
    h.scim(b.token, "POST", "/Groups/.search", { filter: 'displayName eq "Shared"' }),
  ];
  for (const r of await Promise.all(requests)) {
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.totalResults, 0, show(r));
    assert.ok(!r.text.includes(a.userId) && !r.text.includes(a.groupId) && !r.text.includes("secret-title"), show(r));
  }
});

test("Bulk cannot read, change or delete another tenant's resources", async () => {
  const a = await tenantWithData();
  const b = await h.createTenant();
  const r = await h.scim(b.token, "POST", "/Bulk", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations: [
      { method: "PATCH", path: `/Users/${a.userId}`, data: patch({ op: "replace", path: "active", value: false }) },
      { method: "PUT", path: `/Groups/${a.groupId}`, data: { displayName: "pwned" } },
      { method: "DELETE", path: `/Users/${a.userId}` },
      { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "Mine", members: [{ value: a.userId }] } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["404", "404", "404", "400"], show(r));
  const u = await h.scim(a.token, "GET", `/Users/${a.userId}`);
  assert.equal(u.body.active, true, show(u));
  assert.equal(u.body.meta.version, a.user.meta.version, show(u));
});

test("adding another tenant's user to a group is 400 unknown member", async () => {
  const a = await tenantWithData();
  const b = await h.createTenant();
  assertScimError(await h.scim(b.token, "POST", "/Groups", { displayName: "X", members: [{ value: a.userId }] }), 400, "invalidValue");
  const g = await h.scim(b.token, "POST", "/Groups", { displayName: "X" });
  assertScimError(await h.scim(b.token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: a.userId }] })), 400, "invalidValue");
  assertScimError(await h.scim(b.token, "PUT", `/Groups/${g.body.id}`, { displayName: "X", members: [{ value: a.userId }] }), 400, "invalidValue");
  // A remove naming A's user is a no-op in B and leaves A's membership alone.
  const rm = await h.scim(b.token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "remove", path: `members[value eq "${a.userId}"]` }));
  assert.ok(rm.status < 300, show(rm));
  assert.equal(await h.container.db.groupMember.count({ where: { groupId: a.groupId } }), 1);
  assert.equal(await h.container.db.groupMember.count({ where: { tenantId: b.tenantId } }), 0);
});

test("the same userName, externalId and group name are allowed in both tenants", async () => {
  await tenantWithData();
  const b = await tenantWithData();
  assert.ok(b.userId);
});

test("every SCIM route answers 401 to missing, wrong, revoked and expired tokens", async () => {
  const a = await tenantWithData();
  const routes: [string, string, unknown?][] = [
    ["GET", "/Users"], ["POST", "/Users", { userName: "x" }],
    ["GET", `/Users/${a.userId}`], ["PUT", `/Users/${a.userId}`, { userName: "x" }], ["PATCH", `/Users/${a.userId}`, patch({ op: "replace", path: "title", value: "x" })], ["DELETE", `/Users/${a.userId}`],
    ["GET", "/Groups"], ["POST", "/Groups", { displayName: "x" }],
    ["GET", `/Groups/${a.groupId}`], ["PUT", `/Groups/${a.groupId}`, { displayName: "x" }], ["PATCH", `/Groups/${a.groupId}`, patch({ op: "replace", path: "displayName", value: "x" })], ["DELETE", `/Groups/${a.groupId}`],
    ["POST", "/.search", {}], ["POST", "/Users/.search", {}], ["POST", "/Groups/.search", {}],
    ["POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [] }],
    ["GET", "/ServiceProviderConfig"], ["GET", "/ResourceTypes"], ["GET", "/ResourceTypes/User"], ["GET", "/Schemas"], ["GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"], ["GET", "/Me"],
  ];
  for (const [method, path, body] of routes) await checkScimAuthFailures(h, method, path, body);
  const u = await h.scim(a.token, "GET", `/Users/${a.userId}`);
  assert.equal(u.body.meta.version, a.user.meta.version, "no unauthenticated request changed anything: " + show(u));
});
