import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness({ SCIM_MAX_PAGE_SIZE: "10" });

/** 25 users: u00 … u24, created through the API. */
async function seed25() {
  const { token, tenantId } = await h.createTenant();
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const r = await h.scim(token, "POST", "/Users", { userName: `u${String(i).padStart(2, "0")}`, title: i % 2 ? "odd" : "even", displayName: `Z${String(24 - i).padStart(2, "0")}` });
    assert.equal(r.status, 201, show(r));
    ids.push(r.body.id);
  }
  return { token, tenantId, ids };
}

test("startIndex/count/totalResults/itemsPerPage are exact across pages", async () => {
  const { token } = await seed25();
  const seen: string[] = [];
  for (const [startIndex, expected] of [[1, 10], [11, 10], [21, 5], [26, 0], [100, 0]] as const) {
    const r = await h.scim(token, "GET", `/Users?startIndex=${startIndex}&count=10&sortBy=userName`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.totalResults, 25, show(r));
    assert.equal(r.body.itemsPerPage, expected, show(r));
    assert.equal(r.body.Resources.length, expected, show(r));
    assert.equal(r.body.startIndex, startIndex, show(r));
    seen.push(...r.body.Resources.map((u: any) => u.userName));
  }
  assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `u${String(i).padStart(2, "0")}`));
  const f = await h.scim(token, "GET", `/Users?filter=${encodeURIComponent('title eq "odd"')}&startIndex=3&count=5&sortBy=userName`);
  assert.equal(f.body.totalResults, 12, show(f));
  assert.deepEqual(f.body.Resources.map((u: any) => u.userName), ["u05", "u07", "u09", "u11", "u13"], show(f));
});

test("startIndex below 1 is read as 1 (RFC 7644 §3.4.2.4)", async () => {
  const { token } = await seed25();
  const r = await h.scim(token, "GET", "/Users?startIndex=0&count=2&sortBy=userName");
  assert.equal(r.body.startIndex, 1, show(r));
  assert.equal(r.body.Resources[0].userName, "u00", show(r));
});

test("count=0 returns only totalResults", async () => {
  const { token } = await seed25();
  const r = await h.scim(token, "GET", "/Users?count=0");
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.totalResults, 25, show(r));
  assert.equal(r.body.itemsPerPage, 0, show(r));
  assert.deepEqual(r.body.Resources, [], show(r));
});

test("count over the maximum and the default page size are capped to the advertised maxPageSize", async () => {
  const { token } = await seed25();
  const spc = await h.scim(token, "GET", "/ServiceProviderConfig");
  assert.equal(spc.body.pagination.maxPageSize, 10, show(spc));
  assert.equal(spc.body.filter.maxResults, 10, show(spc));
  const r = await h.scim(token, "GET", "/Users?count=5000");
  assert.equal(r.body.itemsPerPage, 10, show(r));
  assert.equal(r.body.totalResults, 25, show(r));
  const d = await h.scim(token, "GET", "/Users");
  assert.equal(d.body.itemsPerPage, spc.body.pagination.defaultPageSize, show(d));
  const s = await h.scim(token, "POST", "/Users/.search", { count: 5000 });
  assert.equal(s.body.itemsPerPage, 10, show(s));
});

test("RFC 9865 cursor pagination walks every user exactly once", async () => {
  const { token, ids } = await seed25();
  const seen: string[] = [];
  let cursor = "";
  for (let page = 0; page < 10; page++) {
    const r = await h.scim(token, "GET", `/Users?count=7&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.totalResults, 25, show(r));
    assert.equal(r.body.startIndex, undefined, "cursor pages carry no startIndex: " + show(r));
    seen.push(...r.body.Resources.map((u: any) => u.id));
    if (!r.body.nextCursor) break;
    cursor = r.body.nextCursor;
  }
  assert.equal(seen.length, 25);
  assert.deepEqual([...seen].sort(), [...ids].sort());
  assert.equal(new Set(seen).size, 25);
});

test("cursor pagination with a filter, through /.search too", async () => {
  const { token } = await seed25();
  const filter = 'title eq "even"';
  const seen: string[] = [];
  let cursor = "";
  for (let i = 0; i < 10; i++) {
    const r = await h.scim(token, "POST", "/Users/.search", { filter, count: 5, cursor });
    assert.equal(r.status, 200, show(r));
    seen.push(...r.body.Resources.map((u: any) => u.userName));
    if (!r.body.nextCursor) break;
    cursor = r.body.nextCursor;
  }
  assert.equal(seen.length, 13);
  assert.equal(new Set(seen).size, 13);
});

test("a bad cursor, or a cursor reused with another filter, is 400 invalidCursor", async () => {
  const { token } = await seed25();
  assertScimError(await h.scim(token, "GET", "/Users?cursor=garbage"), 400, "invalidCursor");
  assertScimError(await h.scim(token, "GET", `/Users?cursor=${Buffer.from('{"a":1}').toString("base64url")}`), 400, "invalidCursor");
  const first = await h.scim(token, "GET", "/Users?count=5&cursor=");
  assert.ok(first.body.nextCursor, show(first));
  assertScimError(await h.scim(token, "GET", `/Users?count=5&cursor=${first.body.nextCursor}&filter=${encodeURIComponent("title pr")}`), 400, "invalidCursor");
  assertScimError(await h.scim(token, "GET", "/Users?cursor=&startIndex=1"), 400);
});

test("sortBy and sortOrder order users and groups", async () => {
  const { token } = await seed25();
  const asc = await h.scim(token, "GET", "/Users?sortBy=displayName&count=3");
  assert.deepEqual(asc.body.Resources.map((u: any) => u.displayName), ["Z00", "Z01", "Z02"], show(asc));
  const desc = await h.scim(token, "GET", "/Users?sortBy=userName&sortOrder=descending&count=3");
  assert.deepEqual(desc.body.Resources.map((u: any) => u.userName), ["u24", "u23", "u22"], show(desc));
  const meta = await h.scim(token, "GET", "/Users?sortBy=meta.created&sortOrder=descending&count=1");
  assert.equal(meta.body.Resources[0].userName, "u24", show(meta));
  for (const n of ["b", "C", "a"]) await h.scim(token, "POST", "/Groups", { displayName: n });
  const g = await h.scim(token, "GET", "/Groups?sortBy=displayName");
  assert.deepEqual(g.body.Resources.map((x: any) => x.displayName), ["a", "b", "C"], show(g));
  assertScimError(await h.scim(token, "GET", "/Users?sortOrder=sideways"), 400);
});

test("attributes and excludedAttributes project list results; returned:always survives, never stays hidden", async () => {
  const { token } = await seed25();
  const r = await h.scim(token, "GET", "/Users?attributes=userName&count=2");
  for (const u of r.body.Resources) assert.deepEqual(Object.keys(u).sort(), ["id", "schemas", "userName"], show(r));
  const ex = await h.scim(token, "GET", "/Users?excludedAttributes=title,groups,meta&count=2");
  for (const u of ex.body.Resources) {
    assert.equal(u.title, undefined, show(ex));
    assert.equal(u.groups, undefined, show(ex));
    assert.equal(u.meta, undefined, show(ex));
    assert.ok(u.id && u.userName, show(ex));
  }
});

test("excludedAttributes=members on groups omits members", async () => {
  const { token, ids } = await seed25();
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Big", members: ids.map((value) => ({ value })) });
  assert.equal(g.body.members.length, 25, show(g));
  const r = await h.scim(token, "GET", "/Groups?excludedAttributes=members");
  assert.equal(r.body.Resources[0].members, undefined, show(r));
  const one = await h.scim(token, "GET", `/Groups/${g.body.id}?attributes=displayName`);
  assert.equal(one.body.members, undefined, show(one));
  assert.equal(one.body.displayName, "Big");
});
