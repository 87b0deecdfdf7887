import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness({ SCIM_MAX_BULK_OPERATIONS: "5" });
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

test("a group's members can reference users created earlier in the same request by bulkId", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: [
      { method: "POST", path: "/Users", bulkId: "u1", data: { userName: "bulk1" } },
      { method: "POST", path: "/Users", bulkId: "u2", data: { userName: "bulk2" } },
      { method: "POST", path: "/Groups", bulkId: "g1", data: { displayName: "BulkGroup", members: [{ value: "bulkId:u1" }, { value: "bulkId:u2" }] } },
      { method: "PATCH", path: "/Users/bulkId:u1", data: { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "Lead" }] } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]);
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["201", "201", "201", "200"], show(r));
  for (const o of r.body.Operations) {
    assert.equal(typeof o.status, "string");
    assert.ok(o.location, show(r));
    assert.match(o.version, /^W\//, show(r));
  }
  const ids = r.body.Operations.slice(0, 2).map((o: any) => o.location.split("/").pop());
  const gid = r.body.Operations[2].location.split("/").pop();
  const g = await h.scim(token, "GET", `/Groups/${gid}`);
  assert.deepEqual(g.body.members.map((m: any) => m.value).sort(), ids.sort(), show(g));
  const u = await h.scim(token, "GET", `/Users/${ids[0]}`);
  assert.equal(u.body.title, "Lead", show(u));
});

test("a reference to a resource a later operation creates is resolved by running that one first", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: [
      { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "Forward", members: [{ value: "bulkId:late" }] } },
      { method: "POST", path: "/Users", bulkId: "late", data: { userName: "late-comer" } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  // Answered in request order, though the user was created first.
  assert.deepEqual(r.body.Operations.map((o: any) => [o.bulkId, o.status]), [["g", "201"], ["late", "201"]], show(r));
  const g = await h.scim(token, "GET", `/Groups/${r.body.Operations[0].location.split("/").pop()}`);
  assert.deepEqual(g.body.members.map((m: any) => m.display), ["late-comer"], show(g));
});

test("operations caught in a circular bulkId reference fail with 409 and create nothing", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: [
      { method: "POST", path: "/Groups", bulkId: "a", data: { displayName: "A", members: [{ value: "bulkId:b" }] } },
      { method: "POST", path: "/Groups", bulkId: "b", data: { displayName: "B", members: [{ value: "bulkId:a" }] } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["409", "409"], show(r));
  assert.match(r.body.Operations[0].response.detail, /bulkId/);
  assert.equal((await h.scim(token, "GET", "/Groups")).body.totalResults, 0);
});

test("per-operation errors carry string statuses and SCIM error bodies; later operations still run", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: [
      { method: "POST", path: "/Users", bulkId: "a", data: { userName: "dup" } },
      { method: "POST", path: "/Users", bulkId: "b", data: { userName: "DUP" } },
      { method: "DELETE", path: "/Users/0195f0f0-0000-7000-8000-000000000000" },
      { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "x", members: [{ value: "bulkId:missing" }] } },
      { method: "DELETE", path: "/Users/bulkId:a" },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["201", "409", "404", "409", "204"], show(r));
  assert.equal(r.body.Operations[1].response.scimType, "uniqueness", show(r));
  assert.equal(r.body.Operations[1].response.status, "409", show(r));
  assert.deepEqual(r.body.Operations[1].response.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
  assert.equal((await h.scim(token, "GET", "/Users")).body.totalResults, 0, show(r));
});

test("failOnErrors stops processing after that many errors", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    failOnErrors: 1,
    Operations: [
      { method: "POST", path: "/Users", bulkId: "a", data: { userName: "one" } },
      { method: "POST", path: "/Users", bulkId: "b", data: {} },
      { method: "POST", path: "/Users", bulkId: "c", data: { userName: "three" } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["201", "400"], show(r));
  const list = await h.scim(token, "GET", "/Users");
  assert.deepEqual(list.body.Resources.map((u: any) => u.userName), ["one"], show(list));
});

test("more than maxOperations is 413 and runs nothing", async () => {
  const { token } = await h.createTenant();
  const spc = await h.scim(token, "GET", "/ServiceProviderConfig");
  assert.equal(spc.body.bulk.maxOperations, 5);
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: Array.from({ length: 6 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `b${i}`, data: { userName: `n${i}` } })),
  });
  assertScimError(r, 413);
  assert.equal((await h.scim(token, "GET", "/Users")).body.totalResults, 0);
});

test("malformed bulk requests are 400s", async () => {
  const { token } = await h.createTenant();
  assertScimError(await h.scim(token, "POST", "/Bulk", { Operations: [] }), 400, "invalidSyntax");
  assertScimError(await h.scim(token, "POST", "/Bulk", { schemas: [BULK] }), 400, "invalidSyntax");
  assertScimError(await h.scim(token, "POST", "/Bulk", { schemas: [BULK], Operations: [{ method: "POST" }] }), 400, "invalidSyntax");
  const r = await h.scim(token, "POST", "/Bulk", {
    schemas: [BULK],
    Operations: [
      { method: "POST", path: "/Devices", bulkId: "x", data: {} },
      { method: "POST", path: "/Users", data: { userName: "nobulkid" } },
      { method: "GET", path: "/Users" },
      { method: "PUT", path: "/Users" , data: {} },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.Operations.map((o: any) => o.status), ["400", "400", "400", "400"], show(r));
});
