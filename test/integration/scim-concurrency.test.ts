import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

test("20 concurrent PATCHes each adding a different member all land", async () => {
  const { token, tenantId } = await h.createTenant();
  const bulk = await h.scim(token, "POST", "/Bulk", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations: Array.from({ length: 20 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${i}`, data: { userName: `c${i}` } })),
  });
  const ids = bulk.body.Operations.map((o: any) => o.location.split("/").pop());
  assert.equal(ids.length, 20, show(bulk));
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Hot" });
  const results = await Promise.all(ids.map((id: string) => h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: id }] }))));
  for (const r of results) assert.equal(r.status, 204, show(r));
  const got = await h.scim(token, "GET", `/Groups/${g.body.id}`);
  assert.deepEqual(got.body.members.map((m: any) => m.value).sort(), [...ids].sort(), show(got));
  assert.equal(got.body.meta.version, 'W/"21"', "one version per effective write: " + show(got));
  const etags = new Set(results.map((r) => r.headers.get("etag")));
  assert.equal(etags.size, 20, "each write saw its own version");
  assert.equal(await h.container.db.event.count({ where: { tenantId, type: "group.members_changed", resourceId: g.body.id } }), 20);
});

test("concurrent PATCHes of one user: no lost update, version grows by the number of effective writes", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "contended", title: "t" });
  const ops = [
    ...Array.from({ length: 12 }, (_, i) => patch({ op: "add", path: "emails", value: [{ value: `e${i}@x.io` }] })),
    patch({ op: "replace", path: "title", value: "t" }), // a no-op write
    patch({ op: "replace", path: "nickName", value: "n" }),
    patch({ op: "replace", path: "active", value: false }),
  ];
  const results = await Promise.all(ops.map((body) => h.scim(token, "PATCH", `/Users/${u.body.id}`, body)));
  for (const r of results) assert.equal(r.status, 200, show(r));
  const got = await h.scim(token, "GET", `/Users/${u.body.id}`);
  assert.equal(got.body.emails.length, 12, show(got));
  assert.equal(got.body.nickName, "n");
  assert.equal(got.body.active, false);
  assert.equal(got.body.meta.version, `W/"${1 + 14}"`, show(got));
});

test("concurrent creates of the same userName: exactly one wins, the rest are 409", async () => {
  const { token } = await h.createTenant();
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => h.scim(token, "POST", "/Users", { userName: i % 2 ? "RACE@x.io" : "race@x.io" })));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], results.map(show).join("\n"));
  for (const r of results) assert.ok(r.status < 500, show(r));
});
