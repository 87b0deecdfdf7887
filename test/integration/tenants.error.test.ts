import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();

const badBodies: [string, unknown][] = [
  ["empty name", { name: "" }],
  ["blank name", { name: "   " }],
  ["name of the wrong type", { name: 42 }],
  ["unknown field", { name: "x", owner: "y" }],
  ["name too long", { name: "x".repeat(201) }],
  ["settings not an object", { name: "x", settings: [1, 2] }],
  ["settings too large", { name: "x", settings: { blob: "x".repeat(20_000) } }],
];

for (const [what, body] of badBodies) {
  test(`rejects a tenant with ${what} as 400 with details`, async () => {
    const r = await h.admin("POST", "/tenants", body);
    assert.equal(r.status, 400, show(r));
    assert.equal(r.body.error.code, "bad_request");
    assert.ok(Array.isArray(r.body.error.details), show(r));
    assert.ok(r.body.error.requestId);
  });
}

test("rejects malformed JSON as 400, not 500", async () => {
  const r = await h.request("POST", "/admin/v1/tenants", { body: "{not json", token: h.adminToken });
  assert.equal(r.status, 400, show(r));
});

test("an unknown tenant id answers 404 on every tenant route", async () => {
  const id = "00000000-0000-7000-8000-000000000000";
  for (const [method, path, body] of [
    ["GET", `/tenants/${id}`],
    ["PATCH", `/tenants/${id}`, { name: "x" }],
    ["DELETE", `/tenants/${id}`],
    ["GET", `/tenants/${id}/scim-tokens`],
    ["POST", `/tenants/${id}/scim-tokens`, { name: "x" }],
    ["DELETE", `/tenants/${id}/scim-tokens/${id}`],
  ] as const) {
    const r = await h.admin(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${show(r)}`);
    assert.equal(r.body.error.code, "not_found");
  }
});

test("an update with nothing to change is 400", async () => {
  const { tenantId } = await h.createTenant();
  const r = await h.admin("PATCH", `/tenants/${tenantId}`, {});
  assert.equal(r.status, 400, show(r));
});
