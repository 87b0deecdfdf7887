import assert from "node:assert/strict";
import { test } from "node:test";
import { generateSecret } from "../../src/lib/secrets.ts";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();

const routes: [string, string][] = [
  ["GET", "/admin/v1/tenants"],
  ["POST", "/admin/v1/tenants"],
  ["GET", "/admin/v1/tenants/x"],
  ["DELETE", "/admin/v1/tenants/x/scim-tokens/y"],
];

for (const [method, path] of routes) {
  test(`${method} ${path} rejects missing, wrong and SCIM tokens with 401`, async () => {
    const { token: scimToken } = await h.createTenant();
    for (const token of [null, "wrong", generateSecret("rsa_"), scimToken]) {
      const r = await h.request(method, path, { token, body: method === "POST" ? { name: "x" } : undefined });
      assert.equal(r.status, 401, show(r));
      assert.equal(r.body.error.code, "unauthenticated");
      assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
    }
  });
}

test("the admin token is stored only as a digest", async () => {
  const rows = await h.container.db.adminCredential.findMany();
  assert.ok(rows.length >= 1);
  for (const row of rows) {
    assert.notEqual(row.digest, h.adminToken);
    assert.ok(!JSON.stringify(row).includes(h.adminToken));
  }
});

test("a changed ROSTER_ADMIN_TOKEN revokes the previous environment token", async () => {
  const first = generateSecret("rsa_");
  const second = generateSecret("rsa_");
  await h.container.services.adminCredentials.bootstrap(first);
  await h.container.services.adminCredentials.bootstrap(second);
  const rows = await h.container.db.adminCredential.findMany({ where: { name: "environment" } });
  assert.equal(rows.filter((r) => !r.revokedAt).length, 1);
});

test("without a configured token one is generated once, and only while none exists", async () => {
  // This harness already has a live credential, so nothing is generated.
  assert.equal(await h.container.services.adminCredentials.bootstrap(undefined), null);
  await h.container.db.adminCredential.updateMany({ data: { revokedAt: new Date() } });
  const generated = await h.container.services.adminCredentials.bootstrap(undefined);
  assert.match(generated ?? "", /^rsa_[A-Za-z0-9_-]{43}$/);
  assert.equal(await h.container.services.adminCredentials.bootstrap(undefined), null);
  const r = await h.request("GET", "/admin/v1/tenants", { token: generated });
  assert.equal(r.status, 200, show(r));
});
