import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

test("POST /Users answers 201 with Location, ETag and a complete meta", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Users", { schemas: [USER], userName: "ada@acme.com", name: { givenName: "Ada", familyName: "Lovelace" } });
  assert.equal(r.status, 201, show(r));
  assert.match(r.headers.get("content-type") ?? "", /^application\/scim\+json/, show(r));
  assert.equal(r.headers.get("location"), r.body.meta.location, show(r));
  assert.match(r.body.meta.location, new RegExp(`/scim/v2/Users/${r.body.id}$`), show(r));
  assert.equal(r.headers.get("etag"), r.body.meta.version, show(r));
  assert.match(r.body.meta.version, /^W\/".+"$/, show(r));
  assert.equal(r.body.meta.resourceType, "User", show(r));
  assert.ok(!Number.isNaN(Date.parse(r.body.meta.created)), show(r));
  assert.ok(!Number.isNaN(Date.parse(r.body.meta.lastModified)), show(r));
  assert.deepEqual(r.body.schemas, [USER], show(r));
  assert.equal(r.body.active, true, show(r));
  assert.deepEqual(r.body.name, { givenName: "Ada", familyName: "Lovelace" }, show(r));
});

test("GET /Users/:id returns the stored user with an ETag", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "bob", displayName: "Bob" });
  const r = await h.scim(token, "GET", `/Users/${c.body.id}`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.headers.get("etag"), c.body.meta.version, show(r));
  assert.equal(r.body.userName, "bob", show(r));
  assert.equal(r.body.displayName, "Bob", show(r));
  assert.deepEqual(r.body.groups, [], show(r));
  assert.match(r.headers.get("content-type") ?? "", /^application\/scim\+json/);
});

test("GET /Users lists only this tenant's users as a ListResponse", async () => {
  const { token } = await h.createTenant();
  for (const n of ["a", "b", "c"]) assert.equal((await h.scim(token, "POST", "/Users", { userName: n })).status, 201);
  const r = await h.scim(token, "GET", "/Users");
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], show(r));
  assert.equal(r.body.totalResults, 3, show(r));
  assert.equal(r.body.itemsPerPage, 3, show(r));
  assert.equal(r.body.startIndex, 1, show(r));
  assert.deepEqual(r.body.Resources.map((u: any) => u.userName).sort(), ["a", "b", "c"], show(r));
});

test("PUT /Users/:id replaces writable attributes, keeps id and created, changes version", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "carol", title: "Engineer", nickName: "C" });
  const r = await h.scim(token, "PUT", `/Users/${c.body.id}`, { schemas: [USER], userName: "carol", displayName: "Carol" });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.id, c.body.id);
  assert.equal(r.body.displayName, "Carol", show(r));
  assert.equal(r.body.title, undefined, "PUT removes attributes not sent: " + show(r));
  assert.equal(r.body.nickName, undefined, show(r));
  assert.equal(r.body.meta.created, c.body.meta.created, show(r));
  assert.notEqual(r.body.meta.version, c.body.meta.version, show(r));
  assert.equal(r.headers.get("etag"), r.body.meta.version, show(r));
});

test("PATCH /Users/:id answers 200 with the resource and its new ETag", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "dave" });
  const r = await h.scim(token, "PATCH", `/Users/${c.body.id}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "title", value: "CTO" }],
  });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.title, "CTO", show(r));
  assert.equal(r.headers.get("etag"), r.body.meta.version, show(r));
  assert.notEqual(r.body.meta.version, c.body.meta.version, show(r));
});

test("DELETE /Users/:id answers 204, then 404 with a SCIM error; the userName can be reused", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "erin@acme.com" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Eng", members: [{ value: c.body.id }] });
  assert.equal(g.status, 201, show(g));
  const d = await h.scim(token, "DELETE", `/Users/${c.body.id}`);
  assert.equal(d.status, 204, show(d));
  assert.equal(d.text, "");
  assertScimError(await h.scim(token, "GET", `/Users/${c.body.id}`), 404);
  assertScimError(await h.scim(token, "DELETE", `/Users/${c.body.id}`), 404);
  const group = await h.scim(token, "GET", `/Groups/${g.body.id}`);
  assert.deepEqual(group.body.members, [], "membership removed: " + show(group));
  assert.notEqual(group.body.meta.version, g.body.meta.version, "the group's member list changed: " + show(group));
  assert.equal(await h.container.db.groupMember.count({ where: { groupId: g.body.id } }), 0);
  const again = await h.scim(token, "POST", "/Users", { userName: "ERIN@acme.com" });
  assert.equal(again.status, 201, show(again));
  assert.notEqual(again.body.id, c.body.id);
});

test("the enterprise extension round-trips and adds its schema URN", async () => {
  const { token } = await h.createTenant();
  const mgr = await h.scim(token, "POST", "/Users", { userName: "boss" });
  const c = await h.scim(token, "POST", "/Users", {
    schemas: [USER, ENT],
    userName: "frank",
    [ENT]: { employeeNumber: "42", department: "R&D", manager: { value: mgr.body.id } },
  });
  assert.equal(c.status, 201, show(c));
  assert.deepEqual(c.body.schemas, [USER, ENT], show(c));
  const r = await h.scim(token, "GET", `/Users/${c.body.id}`);
  assert.equal(r.body[ENT].employeeNumber, "42", show(r));
  assert.equal(r.body[ENT].department, "R&D", show(r));
  assert.equal(r.body[ENT].manager.value, mgr.body.id, show(r));
});

test("a user's groups attribute lists the groups it is a member of", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "gina" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Ops", members: [{ value: u.body.id }] });
  const r = await h.scim(token, "GET", `/Users/${u.body.id}`);
  assert.equal(r.body.groups.length, 1, show(r));
  assert.equal(r.body.groups[0].value, g.body.id, show(r));
  assert.equal(r.body.groups[0].display, "Ops", show(r));
});

test("plain application/json is accepted and answers are application/scim+json", async () => {
  const { token } = await h.createTenant();
  const r = await h.request("POST", "/scim/v2/Users", { token, body: { userName: "json" }, headers: { "content-type": "application/json; charset=utf-8" } });
  assert.equal(r.status, 201, show(r));
  assert.match(r.headers.get("content-type") ?? "", /^application\/scim\+json/, show(r));
});

test("/Me answers 501 with a SCIM error", async () => {
  const { token } = await h.createTenant();
  for (const m of ["GET", "PATCH", "PUT", "DELETE"]) {
    const r = await h.scim(token, m, "/Me", m === "GET" || m === "DELETE" ? undefined : { userName: "x" });
    assertScimError(r, 501);
  }
});

test("POST /Users/.search lists users by filter", async () => {
  const { token } = await h.createTenant();
  await h.scim(token, "POST", "/Users", { userName: "s1", title: "x" });
  await h.scim(token, "POST", "/Users", { userName: "s2" });
  const r = await h.scim(token, "POST", "/Users/.search", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
    filter: 'title pr',
    attributes: ["userName"],
  });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.totalResults, 1, show(r));
  assert.deepEqual(Object.keys(r.body.Resources[0]).sort(), ["id", "schemas", "userName"], show(r));
});

test("attributes given with a POST shape the 201 body", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Users?attributes=userName", { userName: "p1", title: "T" });
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.title, undefined, show(r));
  assert.equal(r.body.userName, "p1", show(r));
});

test("PUT without active keeps a deactivated user deactivated; an identical PUT changes nothing", async () => {
  const { token, tenantId } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "keep", active: false, title: "T" });
  const r = await h.scim(token, "PUT", `/Users/${c.body.id}`, { userName: "keep", title: "T" });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.active, false, "a PUT must not reactivate by omission: " + show(r));
  assert.equal(r.body.meta.version, c.body.meta.version, "nothing changed: " + show(r));
  const types = (await h.container.db.event.findMany({ where: { tenantId }, orderBy: { id: "asc" } })).map((e) => e.type);
  assert.deepEqual(types, ["user.created"]);
  const on = await h.scim(token, "PUT", `/Users/${c.body.id}`, { userName: "keep", title: "T", active: true });
  assert.equal(on.body.active, true, show(on));
});
