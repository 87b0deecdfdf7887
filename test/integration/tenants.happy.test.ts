import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();

test("creates, reads, lists, updates and deletes a tenant", async () => {
  const created = await h.admin("POST", "/tenants", { name: "Acme Corp", settings: { plan: "enterprise" } });
  assert.equal(created.status, 201, show(created));
  assert.equal(created.body.name, "Acme Corp");
  assert.deepEqual(created.body.settings, { plan: "enterprise" });
  const id = created.body.id;

  const got = await h.admin("GET", `/tenants/${id}`);
  assert.equal(got.status, 200, show(got));
  assert.equal(got.body.id, id);

  const updated = await h.admin("PATCH", `/tenants/${id}`, { name: "Acme Corporation" });
  assert.equal(updated.status, 200, show(updated));
  assert.equal(updated.body.name, "Acme Corporation");
  assert.deepEqual(updated.body.settings, { plan: "enterprise" }, "settings kept when only the name changes");

  const deleted = await h.admin("DELETE", `/tenants/${id}`);
  assert.equal(deleted.status, 204, show(deleted));
  assert.equal((await h.admin("GET", `/tenants/${id}`)).status, 404);
});

test("lists tenants with a cursor", async () => {
  const names = ["page-a", "page-b", "page-c"];
  for (const name of names) assert.equal((await h.admin("POST", "/tenants", { name })).status, 201);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const r = await h.admin("GET", `/tenants?limit=2${after ? `&after=${after}` : ""}`);
    assert.equal(r.status, 200, show(r));
    assert.ok(r.body.data.length <= 2);
    seen.push(...r.body.data.map((t: { name: string }) => t.name));
    after = r.body.nextCursor;
  } while (after);
  for (const name of names) assert.ok(seen.includes(name), `${name} listed`);
  assert.equal(new Set(seen).size, seen.length, "no tenant listed twice");
});

test("deleting a tenant removes its tokens and stops them working", async () => {
  const { tenantId, token } = await h.createTenant();
  assert.equal((await h.scim(token, "GET", "/ServiceProviderConfig")).status, 200);
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}`)).status, 204);
  assert.equal(await h.container.db.scimToken.count({ where: { tenantId } }), 0);
  assert.equal((await h.scim(token, "GET", "/ServiceProviderConfig")).status, 401);
});

test("serves the OpenAPI document and a reference page without an admin token", async () => {
  const doc = await h.request("GET", "/admin/v1/openapi.json");
  assert.equal(doc.status, 200, show(doc));
  assert.equal(doc.body.openapi, "3.1.0");
  for (const path of ["/tenants", "/tenants/{tenantId}", "/tenants/{tenantId}/scim-tokens", "/tenants/{tenantId}/scim-tokens/{tokenId}"]) {
    assert.ok(doc.body.paths[`/admin/v1${path}`], `documents ${path}`);
  }
  const create = doc.body.paths["/admin/v1/tenants"].post;
  assert.ok(create.requestBody.content["application/json"].schema, "request body schema comes from zod");
  assert.deepEqual(create.security, [{ adminToken: [] }]);
  const page = await h.request("GET", "/admin/v1/reference");
  assert.equal(page.status, 200);
  assert.match(page.text, /<html/i);
});

test("health endpoints answer", async () => {
  assert.equal((await h.request("GET", "/healthz")).status, 200);
  const ready = await h.request("GET", "/readyz");
  assert.equal(ready.status, 200, show(ready));
  assert.equal(ready.body.checks.database, "ok");
});
