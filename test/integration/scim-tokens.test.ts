import assert from "node:assert/strict";
import { test } from "node:test";
import { digestSecret } from "../../src/lib/secrets.ts";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimUnauthorized, checkScimAuthFailures } from "../helpers/security.ts";

const h = await useHarness();

test("issues a token whose secret is shown once and stored only as a digest", async () => {
  const { tenantId } = await h.createTenant();
  const r = await h.admin("POST", `/tenants/${tenantId}/scim-tokens`, { name: "Okta" });
  assert.equal(r.status, 201, show(r));
  assert.match(r.body.token, /^rst_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.headers.get("cache-control"), "no-store");
  assert.equal(r.body.record.prefix, r.body.token.slice(0, 10));
  assert.equal(r.body.record.status, "active");

  const row = await h.container.db.scimToken.findUniqueOrThrow({ where: { id: r.body.record.id } });
  assert.equal(row.digest, digestSecret(r.body.token));
  assert.ok(!Object.values(row).some((v) => String(v).includes(r.body.token)), "no column holds the secret");

  const list = await h.admin("GET", `/tenants/${tenantId}/scim-tokens`);
  assert.equal(list.status, 200, show(list));
  assert.ok(!list.text.includes(r.body.token), "lists never show the secret");
  const listed = list.body.data.find((t: { id: string }) => t.id === r.body.record.id);
  assert.equal(listed.name, "Okta");
  assert.equal(listed.lastUsedAt, null);
});

test("records last use", async () => {
  const { tenantId, token, tokenId } = await h.createTenant();
  assert.equal((await h.scim(token, "GET", "/ServiceProviderConfig")).status, 200);
  // lastUsedAt is written off the request path.
  for (let i = 0; i < 50; i++) {
    const row = await h.container.db.scimToken.findUniqueOrThrow({ where: { id: tokenId } });
    if (row.lastUsedAt) return assert.equal(row.tenantId, tenantId);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail("lastUsedAt was never recorded");
});

test("several live tokens let a customer rotate without downtime", async () => {
  const { tenantId, token: oldToken, tokenId: oldId } = await h.createTenant();
  const fresh = await h.admin("POST", `/tenants/${tenantId}/scim-tokens`, { name: "rotation" });
  assert.equal((await h.scim(oldToken, "GET", "/ServiceProviderConfig")).status, 200);
  assert.equal((await h.scim(fresh.body.token, "GET", "/ServiceProviderConfig")).status, 200);
  const revoked = await h.admin("DELETE", `/tenants/${tenantId}/scim-tokens/${oldId}`);
  assert.equal(revoked.status, 200, show(revoked));
  assert.equal(revoked.body.status, "revoked");
  assertScimUnauthorized(await h.scim(oldToken, "GET", "/ServiceProviderConfig"));
  assert.equal((await h.scim(fresh.body.token, "GET", "/ServiceProviderConfig")).status, 200);
});

test("a revoke takes effect at once, even while the token is cached", async () => {
  const { tenantId, token, tokenId } = await h.createTenant();
  assert.equal((await h.scim(token, "GET", "/ServiceProviderConfig")).status, 200); // now cached
  await h.admin("DELETE", `/tenants/${tenantId}/scim-tokens/${tokenId}`);
  assertScimUnauthorized(await h.scim(token, "GET", "/ServiceProviderConfig"));
});

test("a token expires at its expiry even while cached", async () => {
  const { tenantId } = await h.createTenant();
  const r = await h.admin("POST", `/tenants/${tenantId}/scim-tokens`, { name: "brief", expiresAt: new Date(Date.now() + 1500).toISOString() });
  assert.equal(r.status, 201, show(r));
  assert.equal((await h.scim(r.body.token, "GET", "/ServiceProviderConfig")).status, 200);
  await new Promise((res) => setTimeout(res, 1600));
  assertScimUnauthorized(await h.scim(r.body.token, "GET", "/ServiceProviderConfig"));
  const list = await h.admin("GET", `/tenants/${tenantId}/scim-tokens`);
  assert.equal(list.body.data.find((t: { id: string }) => t.id === r.body.record.id).status, "expired");
});

test("rejects an expiry in the past and a malformed expiry", async () => {
  const { tenantId } = await h.createTenant();
  for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), "tomorrow", 12]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/scim-tokens`, { name: "x", expiresAt });
    assert.equal(r.status, 400, show(r));
  }
});

test("SCIM auth failures are 401 SCIM errors with WWW-Authenticate", async () => {
  await checkScimAuthFailures(h, "GET", "/ServiceProviderConfig");
});

test("one tenant's token id cannot be listed or revoked through another tenant", async () => {
  const a = await h.createTenant();
  const b = await h.createTenant();
  const r = await h.admin("DELETE", `/tenants/${b.tenantId}/scim-tokens/${a.tokenId}`);
  assert.equal(r.status, 404, show(r));
  assert.equal((await h.scim(a.token, "GET", "/ServiceProviderConfig")).status, 200, "A's token still works");
  const list = await h.admin("GET", `/tenants/${b.tenantId}/scim-tokens`);
  assert.ok(!list.body.data.some((t: { id: string }) => t.id === a.tokenId));
});
