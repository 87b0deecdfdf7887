import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

test("ETag headers on reads and writes match meta.version, which changes on every write", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "etag" });
  const versions = [c.headers.get("etag")];
  const g = await h.scim(token, "GET", `/Users/${c.body.id}`);
  assert.equal(g.headers.get("etag"), c.body.meta.version, show(g));
  const p = await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "x" }));
  versions.push(p.headers.get("etag"));
  assert.equal(p.headers.get("etag"), p.body.meta.version, show(p));
  const u = await h.scim(token, "PUT", `/Users/${c.body.id}`, { userName: "etag", title: "y" });
  versions.push(u.headers.get("etag"));
  assert.equal(u.headers.get("etag"), u.body.meta.version, show(u));
  const d = await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "active", value: false }));
  versions.push(d.headers.get("etag"));
  assert.equal(new Set(versions).size, 4, `every write changes the version: ${versions}`);
  for (const v of versions) assert.match(v ?? "", /^W\/"[^"]+"$/);
  const grp = await h.scim(token, "POST", "/Groups", { displayName: "E" });
  assert.equal(grp.headers.get("etag"), grp.body.meta.version, show(grp));
  const gm = await h.scim(token, "PATCH", `/Groups/${grp.body.id}`, patch({ op: "add", path: "members", value: [{ value: c.body.id }] }));
  assert.notEqual(gm.headers.get("etag"), grp.headers.get("etag"), "a member change changes the group version");
  assert.equal((await h.scim(token, "GET", `/Groups/${grp.body.id}`)).headers.get("etag"), gm.headers.get("etag"));
});

test("a stale If-Match is 412 and changes nothing, on PUT, PATCH and DELETE of users and groups", async () => {
  const { token, tenantId } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "stale", title: "t0" });
  const stale = c.headers.get("etag")!;
  await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "t1" }));
  const current = await h.scim(token, "GET", `/Users/${c.body.id}`);
  const events = await h.container.db.event.count({ where: { tenantId } });
  assertScimError(await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "t2" }), { "if-match": stale }), 412);
  assertScimError(await h.scim(token, "PUT", `/Users/${c.body.id}`, { userName: "stale", title: "t3" }, { "if-match": stale }), 412);
  assertScimError(await h.scim(token, "DELETE", `/Users/${c.body.id}`, undefined, { "if-match": stale }), 412);
  assertScimError(await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "t2" }), { "if-match": 'W/"nonsense"' }), 412);
  const after = await h.scim(token, "GET", `/Users/${c.body.id}`);
  assert.equal(after.body.title, "t1", show(after));
  assert.equal(after.body.meta.version, current.body.meta.version);
  assert.equal(await h.container.db.event.count({ where: { tenantId } }), events);

  const g = await h.scim(token, "POST", "/Groups", { displayName: "G" });
  await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "displayName", value: "G2" }));
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: c.body.id }] }), { "if-match": g.body.meta.version }), 412);
  assertScimError(await h.scim(token, "PUT", `/Groups/${g.body.id}`, { displayName: "G3" }, { "if-match": g.body.meta.version }), 412);
  assertScimError(await h.scim(token, "DELETE", `/Groups/${g.body.id}`, undefined, { "if-match": g.body.meta.version }), 412);
  const ga = await h.scim(token, "GET", `/Groups/${g.body.id}`);
  assert.equal(ga.body.displayName, "G2");
  assert.deepEqual(ga.body.members, []);
});

test("a current If-Match (or *) lets the write through", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "cur" });
  const p = await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "ok" }), { "if-match": c.headers.get("etag")! });
  assert.equal(p.status, 200, show(p));
  const u = await h.scim(token, "PUT", `/Users/${c.body.id}`, { userName: "cur", title: "ok2" }, { "if-match": `W/"nope", ${p.headers.get("etag")}` });
  assert.equal(u.status, 200, show(u));
  const s = await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "ok3" }), { "if-match": "*" });
  assert.equal(s.status, 200, show(s));
  const d = await h.scim(token, "DELETE", `/Users/${c.body.id}`, undefined, { "if-match": s.headers.get("etag")! });
  assert.equal(d.status, 204, show(d));
});

test("If-None-Match with the current version is 304; with an old one the resource is returned", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "inm" });
  const r = await h.scim(token, "GET", `/Users/${c.body.id}`, undefined, { "if-none-match": c.headers.get("etag")! });
  assert.equal(r.status, 304, show(r));
  assert.equal(r.text, "");
  assert.equal(r.headers.get("etag"), c.headers.get("etag"));
  await h.scim(token, "PATCH", `/Users/${c.body.id}`, patch({ op: "replace", path: "title", value: "new" }));
  const r2 = await h.scim(token, "GET", `/Users/${c.body.id}`, undefined, { "if-none-match": c.headers.get("etag")! });
  assert.equal(r2.status, 200, show(r2));
  assert.equal(r2.body.title, "new");
  const g = await h.scim(token, "POST", "/Groups", { displayName: "inm" });
  assert.equal((await h.scim(token, "GET", `/Groups/${g.body.id}`, undefined, { "if-none-match": g.headers.get("etag")! })).status, 304);
  assertScimError(await h.scim(token, "GET", `/Groups/0195f0f0-0000-7000-8000-000000000000`, undefined, { "if-none-match": "*" }), 404);
});
