import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

async function user(token: string, body: Record<string, unknown> = {}) {
  const r = await h.scim(token, "POST", "/Users", { userName: `p-${Math.random().toString(36).slice(2, 8)}`, ...body });
  assert.equal(r.status, 201, show(r));
  return r.body;
}
async function apply(token: string, id: string, ...ops: unknown[]) {
  const r = await h.scim(token, "PATCH", `/Users/${id}`, patch(...ops));
  assert.equal(r.status, 200, `${JSON.stringify(ops)}\n${show(r)}`);
  return r.body;
}

test("add, replace and remove with a path", async () => {
  const { token } = await h.createTenant();
  const u = await user(token, { title: "A" });
  assert.equal((await apply(token, u.id, { op: "add", path: "nickName", value: "Nick" })).nickName, "Nick");
  assert.equal((await apply(token, u.id, { op: "replace", path: "title", value: "B" })).title, "B");
  assert.equal((await apply(token, u.id, { op: "remove", path: "title" })).title, undefined);
  const n = await apply(token, u.id, { op: "add", path: "name.givenName", value: "Ada" }, { op: "replace", path: "name.familyName", value: "L" });
  assert.deepEqual(n.name, { givenName: "Ada", familyName: "L" });
  assert.deepEqual((await apply(token, u.id, { op: "remove", path: "name.givenName" })).name, { familyName: "L" });
});

test("add and replace without a path merge the given attributes", async () => {
  const { token } = await h.createTenant();
  const u = await user(token, { title: "A", name: { givenName: "G", familyName: "F" } });
  const r = await apply(token, u.id, { op: "replace", value: { title: "B", displayName: "D", name: { givenName: "H" } } });
  assert.equal(r.title, "B");
  assert.equal(r.displayName, "D");
  assert.deepEqual(r.name, { givenName: "H", familyName: "F" }, "sub-attributes not given are left unchanged");
  const a = await apply(token, u.id, { op: "add", value: { emails: [{ value: "x@y.z", type: "work" }], [ENT]: { department: "Ops" } } });
  assert.equal(a.emails.length, 1);
  assert.equal(a[ENT].department, "Ops");
});

test("value-path filters select, update and remove elements of a multi-valued attribute", async () => {
  const { token } = await h.createTenant();
  const u = await user(token, { emails: [{ value: "w@acme.com", type: "work", primary: true }, { value: "h@home.org", type: "home" }] });
  const r = await apply(token, u.id, { op: "replace", path: 'emails[type eq "work"].value', value: "w2@acme.com" });
  assert.deepEqual(r.emails.find((e: any) => e.type === "work"), { value: "w2@acme.com", type: "work", primary: true }, show({ status: 0, headers: new Headers(), body: r, text: JSON.stringify(r) }));
  const rm = await apply(token, u.id, { op: "remove", path: 'emails[type eq "home"]' });
  assert.deepEqual(rm.emails.map((e: any) => e.type), ["work"]);
  const noop = await apply(token, u.id, { op: "remove", path: 'emails[type eq "other"]' });
  assert.equal(noop.emails.length, 1, "a filter that matches nothing removes nothing");
  const sub = await apply(token, u.id, { op: "remove", path: 'emails[type eq "work"].primary' });
  assert.deepEqual(sub.emails, [{ value: "w2@acme.com", type: "work" }]);
});

test("URN-qualified paths reach core and extension attributes", async () => {
  const { token } = await h.createTenant();
  const u = await user(token);
  const r = await apply(token, u.id,
    { op: "add", path: `${ENT}:department`, value: "R&D" },
    { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:title", value: "T" },
    { op: "add", path: `${ENT}:manager.value`, value: "mgr-1" });
  assert.equal(r[ENT].department, "R&D");
  assert.equal(r[ENT].manager.value, "mgr-1");
  assert.equal(r.title, "T");
  assert.ok(r.schemas.includes(ENT));
  const rm = await apply(token, u.id, { op: "remove", path: ENT });
  assert.equal(rm[ENT], undefined);
  assert.deepEqual(rm.schemas, ["urn:ietf:params:scim:schemas:core:2.0:User"]);
});

test("add to a multi-valued attribute merges; exact duplicates are not doubled", async () => {
  const { token } = await h.createTenant();
  const u = await user(token, { emails: [{ value: "a@x.io", type: "work" }] });
  const r = await apply(token, u.id, { op: "add", path: "emails", value: [{ value: "b@x.io", type: "home" }, { value: "a@x.io", type: "work" }] });
  assert.deepEqual(r.emails.map((e: any) => e.value).sort(), ["a@x.io", "b@x.io"]);
  const rep = await apply(token, u.id, { op: "replace", path: "emails", value: [{ value: "c@x.io" }] });
  assert.deepEqual(rep.emails, [{ value: "c@x.io" }]);
});

test("a newly written primary wins; two primaries in one value are 400", async () => {
  const { token } = await h.createTenant();
  const u = await user(token, { emails: [{ value: "a@x.io", primary: true }] });
  const r = await apply(token, u.id, { op: "add", path: "emails", value: [{ value: "b@x.io", primary: true }] });
  assert.deepEqual(r.emails.filter((e: any) => e.primary).map((e: any) => e.value), ["b@x.io"]);
  const bad = await h.scim(token, "PATCH", `/Users/${u.id}`, patch({ op: "add", path: "emails", value: [{ value: "c@x.io", primary: true }, { value: "d@x.io", primary: true }] }));
  assertScimError(bad, 400, "invalidValue");
});

test("a PATCH whose second operation is invalid changes nothing and writes no event", async () => {
  const { token, tenantId } = await h.createTenant();
  const u = await user(token, { title: "before" });
  const events = await h.container.db.event.count({ where: { tenantId } });
  for (const second of [{ op: "replace", path: "nope", value: 1 }, { op: "replace", path: "active", value: "maybe" }, { op: "remove" }, { op: "replace", path: "id", value: "x" }]) {
    const r = await h.scim(token, "PATCH", `/Users/${u.id}`, patch({ op: "replace", path: "title", value: "after" }, second));
    assert.equal(r.status, 400, show(r));
  }
  const got = await h.scim(token, "GET", `/Users/${u.id}`);
  assert.equal(got.body.title, "before", show(got));
  assert.equal(got.body.meta.version, u.meta.version, show(got));
  assert.equal(got.body.meta.lastModified, u.meta.lastModified, show(got));
  assert.equal(await h.container.db.event.count({ where: { tenantId } }), events);
});

test("a group PATCH with an unknown member after a valid rename changes nothing", async () => {
  const { token, tenantId } = await h.createTenant();
  const a = await user(token);
  const g = (await h.scim(token, "POST", "/Groups", { displayName: "Atomic", members: [{ value: a.id }] })).body;
  const events = await h.container.db.event.count({ where: { tenantId } });
  const r = await h.scim(token, "PATCH", `/Groups/${g.id}`, patch(
    { op: "replace", path: "displayName", value: "Renamed" },
    { op: "remove", path: "members", value: [{ value: a.id }] },
    { op: "add", path: "members", value: [{ value: "0195f0f0-0000-7000-8000-000000000000" }] },
  ));
  assertScimError(r, 400, "invalidValue");
  const got = await h.scim(token, "GET", `/Groups/${g.id}`);
  assert.equal(got.body.displayName, "Atomic", show(got));
  assert.deepEqual(got.body.members.map((m: any) => m.value), [a.id], show(got));
  assert.equal(got.body.meta.version, g.meta.version, show(got));
  assert.equal(await h.container.db.event.count({ where: { tenantId } }), events);
});

test("a no-op PATCH keeps the version and writes no event", async () => {
  const { token, tenantId } = await h.createTenant();
  const u = await user(token, { title: "same" });
  const events = await h.container.db.event.count({ where: { tenantId } });
  const r = await apply(token, u.id, { op: "replace", path: "title", value: "same" });
  assert.equal(r.meta.version, u.meta.version);
  assert.equal(await h.container.db.event.count({ where: { tenantId } }), events);
});

test("group member operations: add, remove by filter, remove by value, replace, remove all", async () => {
  const { token } = await h.createTenant();
  const [a, b, c] = [await user(token), await user(token), await user(token)];
  const g = (await h.scim(token, "POST", "/Groups", { displayName: "M" })).body;
  const run = async (...ops: unknown[]) => {
    const r = await h.scim(token, "PATCH", `/Groups/${g.id}`, patch(...ops));
    assert.equal(r.status, 204, show(r));
    const got = await h.scim(token, "GET", `/Groups/${g.id}`);
    return (got.body.members ?? []).map((m: any) => m.value).sort();
  };
  assert.deepEqual(await run({ op: "add", path: "members", value: [{ value: a.id }, { value: b.id }, { value: c.id }] }), [a.id, b.id, c.id].sort());
  assert.deepEqual(await run({ op: "remove", path: `members[value eq "${a.id}"]` }), [b.id, c.id].sort());
  assert.deepEqual(await run({ op: "remove", path: "members", value: [{ value: b.id }] }), [c.id]);
  assert.deepEqual(await run({ op: "replace", path: "members", value: [{ value: a.id }, { value: b.id }] }), [a.id, b.id].sort());
  assert.deepEqual(await run({ op: "add", path: "members", value: [{ value: a.id }] }), [a.id, b.id].sort(), "adding an existing member is idempotent");
  assert.deepEqual(await run({ op: "remove", path: `members[value eq "${a.id}" or value eq "${b.id}"]` }), []);
  await run({ op: "add", path: "members", value: [{ value: a.id }] });
  assert.deepEqual(await run({ op: "remove", path: "members" }), []);
});
