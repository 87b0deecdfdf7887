import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

async function users(token: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await h.scim(token, "POST", "/Users", { userName: `u${i}-${Math.random().toString(36).slice(2, 7)}`, displayName: `User ${i}` });
    assert.equal(r.status, 201, show(r));
    ids.push(r.body.id);
  }
  return ids;
}
const memberIds = (doc: any) => (doc.members ?? []).map((m: any) => m.value).sort();

test("POST /Groups with members answers 201 with Location, ETag, meta and the members", async () => {
  const { token } = await h.createTenant();
  const [a, b] = await users(token, 2);
  const r = await h.scim(token, "POST", "/Groups", { schemas: [GROUP], displayName: "Engineering", externalId: "eng", members: [{ value: a }, { value: b }] });
  assert.equal(r.status, 201, show(r));
  assert.equal(r.headers.get("location"), r.body.meta.location, show(r));
  assert.match(r.body.meta.location, new RegExp(`/scim/v2/Groups/${r.body.id}$`));
  assert.equal(r.headers.get("etag"), r.body.meta.version, show(r));
  assert.equal(r.body.meta.resourceType, "Group", show(r));
  assert.ok(r.body.meta.created && r.body.meta.lastModified, show(r));
  assert.deepEqual(r.body.schemas, [GROUP]);
  assert.equal(r.body.externalId, "eng");
  assert.deepEqual(memberIds(r.body), [a, b].sort(), show(r));
  const m = r.body.members.find((x: any) => x.value === a);
  assert.equal(m.display, "User 0", show(r));
  assert.match(m.$ref, new RegExp(`/Users/${a}$`));
  assert.equal(m.type, "User");
});

test("GET /Groups/:id and GET /Groups return members unless excluded", async () => {
  const { token } = await h.createTenant();
  const [a] = await users(token, 1);
  const g = await h.scim(token, "POST", "/Groups", { displayName: "G", members: [{ value: a }] });
  const r = await h.scim(token, "GET", `/Groups/${g.body.id}`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.headers.get("etag"), g.body.meta.version);
  assert.deepEqual(memberIds(r.body), [a], show(r));
  const ex = await h.scim(token, "GET", `/Groups/${g.body.id}?excludedAttributes=members`);
  assert.equal(ex.status, 200, show(ex));
  assert.equal(ex.body.members, undefined, show(ex));
  assert.equal(ex.body.displayName, "G", show(ex));
  const list = await h.scim(token, "GET", "/Groups?excludedAttributes=members");
  assert.equal(list.body.totalResults, 1, show(list));
  assert.equal(list.body.Resources[0].members, undefined, show(list));
  const full = await h.scim(token, "GET", "/Groups");
  assert.deepEqual(memberIds(full.body.Resources[0]), [a], show(full));
});

test("PUT /Groups/:id replaces name and member list", async () => {
  const { token } = await h.createTenant();
  const [a, b, c] = await users(token, 3);
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Old", members: [{ value: a }, { value: b }] });
  const r = await h.scim(token, "PUT", `/Groups/${g.body.id}`, { schemas: [GROUP], displayName: "New", members: [{ value: b }, { value: c }] });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.displayName, "New");
  assert.deepEqual(memberIds(r.body), [b, c].sort(), show(r));
  assert.notEqual(r.body.meta.version, g.body.meta.version);
});

test("PATCH /Groups/:id answers 204 with an ETag, or 200 with the resource when attributes are asked for", async () => {
  const { token } = await h.createTenant();
  const [a, b] = await users(token, 2);
  const g = await h.scim(token, "POST", "/Groups", { displayName: "P" });
  const r = await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: a }] }));
  assert.equal(r.status, 204, show(r));
  assert.equal(r.text, "");
  assert.match(r.headers.get("etag") ?? "", /^W\/"\d+"$/, show(r));
  assert.notEqual(r.headers.get("etag"), g.body.meta.version);
  const r2 = await h.scim(token, "PATCH", `/Groups/${g.body.id}?attributes=members`, patch({ op: "add", path: "members", value: [{ value: b }] }));
  assert.equal(r2.status, 200, show(r2));
  assert.deepEqual(memberIds(r2.body), [a, b].sort(), show(r2));
  assert.match(r2.headers.get("etag") ?? "", /^W\/"\d+"$/, show(r2));
  assert.notEqual(r2.headers.get("etag"), r.headers.get("etag"), show(r2));
});

test("DELETE /Groups/:id answers 204, then 404; memberships are removed and the name can be reused", async () => {
  const { token } = await h.createTenant();
  const [a] = await users(token, 1);
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Temp", members: [{ value: a }] });
  const d = await h.scim(token, "DELETE", `/Groups/${g.body.id}`);
  assert.equal(d.status, 204, show(d));
  assertScimError(await h.scim(token, "GET", `/Groups/${g.body.id}`), 404);
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: a }] })), 404);
  const u = await h.scim(token, "GET", `/Users/${a}`);
  assert.deepEqual(u.body.groups, [], show(u));
  assert.equal(await h.container.db.groupMember.count({ where: { groupId: g.body.id } }), 0);
  const again = await h.scim(token, "POST", "/Groups", { displayName: "temp" });
  assert.equal(again.status, 201, show(again));
});

test("POST /Groups/.search filters groups", async () => {
  const { token } = await h.createTenant();
  await h.scim(token, "POST", "/Groups", { displayName: "Alpha" });
  await h.scim(token, "POST", "/Groups", { displayName: "Beta" });
  const r = await h.scim(token, "POST", "/Groups/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'displayName eq "alpha"' });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Resources.map((g: any) => g.displayName), ["Alpha"], show(r));
});

test("POST /.search at the root searches users and groups", async () => {
  const { token } = await h.createTenant();
  await users(token, 2);
  await h.scim(token, "POST", "/Groups", { displayName: "Root" });
  const all = await h.scim(token, "POST", "/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] });
  assert.equal(all.status, 200, show(all));
  assert.equal(all.body.totalResults, 3, show(all));
  assert.deepEqual(all.body.Resources.map((r: any) => r.meta.resourceType), ["User", "User", "Group"], show(all));
  const groups = await h.scim(token, "POST", "/.search", { filter: 'displayName eq "Root"' });
  // displayName exists on both types: the user named "User 0" does not match.
  assert.equal(groups.body.totalResults, 1, show(groups));
  const page = await h.scim(token, "POST", "/.search", { startIndex: 2, count: 2 });
  assert.deepEqual(page.body.Resources.map((r: any) => r.meta.resourceType), ["User", "Group"], show(page));
  assert.equal(page.body.totalResults, 3, show(page));
  const usersOnly = await h.scim(token, "POST", "/.search", { filter: "userName pr" });
  assert.equal(usersOnly.body.totalResults, 2, show(usersOnly));
  assertScimError(await h.scim(token, "POST", "/.search", { filter: "nope eq 1" }), 400, "invalidFilter");
});
