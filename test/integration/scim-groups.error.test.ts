import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const UNKNOWN = "0195f0f0-0000-7000-8000-000000000000";

test("duplicate group displayName (any case) is 409 uniqueness on POST, PUT and PATCH", async () => {
  const { token } = await h.createTenant();
  assert.equal((await h.scim(token, "POST", "/Groups", { displayName: "Sales" })).status, 201);
  assertScimError(await h.scim(token, "POST", "/Groups", { displayName: "SALES" }), 409, "uniqueness");
  const other = await h.scim(token, "POST", "/Groups", { displayName: "Other" });
  assertScimError(await h.scim(token, "PUT", `/Groups/${other.body.id}`, { displayName: "sales" }), 409, "uniqueness");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${other.body.id}`, patch({ op: "replace", path: "displayName", value: "Sales" })), 409, "uniqueness");
  const again = await h.scim(token, "GET", `/Groups/${other.body.id}`);
  assert.equal(again.body.displayName, "Other", show(again));
});

test("the same group displayName is fine in two tenants", async () => {
  const a = await h.createTenant();
  const b = await h.createTenant();
  assert.equal((await h.scim(a.token, "POST", "/Groups", { displayName: "Admins" })).status, 201);
  assert.equal((await h.scim(b.token, "POST", "/Groups", { displayName: "Admins" })).status, 201);
});

test("a missing displayName is 400 invalidValue", async () => {
  const { token } = await h.createTenant();
  for (const body of [{}, { displayName: "" }, { displayName: null }, { displayName: 5 }]) {
    assertScimError(await h.scim(token, "POST", "/Groups", body), 400, "invalidValue");
  }
  const g = await h.scim(token, "POST", "/Groups", { displayName: "x" });
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "remove", path: "displayName" })), 400, "invalidValue");
});

test("an unknown member id is 400 invalidValue and creates nothing", async () => {
  const { token } = await h.createTenant();
  assertScimError(await h.scim(token, "POST", "/Groups", { displayName: "G", members: [{ value: UNKNOWN }] }), 400, "invalidValue");
  assert.equal((await h.scim(token, "GET", "/Groups")).body.totalResults, 0, "the group was not created");
  const g = await h.scim(token, "POST", "/Groups", { displayName: "G" });
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: UNKNOWN }] })), 400, "invalidValue");
  assertScimError(await h.scim(token, "PUT", `/Groups/${g.body.id}`, { displayName: "G", members: [{ value: UNKNOWN }] }), 400, "invalidValue");
  const after = await h.scim(token, "GET", `/Groups/${g.body.id}`);
  assert.equal(after.body.meta.version, g.body.meta.version, show(after));
});

test("a group as a member is refused: nested groups are not supported", async () => {
  const { token } = await h.createTenant();
  const inner = await h.scim(token, "POST", "/Groups", { displayName: "Inner" });
  assertScimError(await h.scim(token, "POST", "/Groups", { displayName: "Outer", members: [{ value: inner.body.id, type: "Group" }] }), 400, "invalidValue");
  assertScimError(await h.scim(token, "POST", "/Groups", { displayName: "Outer", members: [{ value: inner.body.id }] }), 400, "invalidValue");
});

test("member sub-attribute and filtered add paths are invalidPath; read-only group attributes are mutability", async () => {
  const { token } = await h.createTenant();
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Paths" });
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "members.value", value: "x" })), 400);
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: `members[value eq "${UNKNOWN}"]`, value: {} })), 400, "invalidPath");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "id", value: "x" })), 400, "mutability");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "meta.version", value: "x" })), 400, "mutability");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", value: { id: "someone-else" } })), 400, "mutability");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "remove" })), 400, "noTarget");
  assertScimError(await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "userName", value: "x" })), 400, "invalidPath");
});

test("an unknown group id is 404 on every method", async () => {
  const { token } = await h.createTenant();
  assertScimError(await h.scim(token, "GET", `/Groups/${UNKNOWN}`), 404);
  assertScimError(await h.scim(token, "PUT", `/Groups/${UNKNOWN}`, { displayName: "x" }), 404);
  assertScimError(await h.scim(token, "PATCH", `/Groups/${UNKNOWN}`, patch({ op: "add", path: "displayName", value: "x" })), 404);
  assertScimError(await h.scim(token, "DELETE", `/Groups/${UNKNOWN}`), 404);
});
