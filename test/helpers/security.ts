// The shared "no token / wrong token / revoked / expired" checks, run against SCIM routes.
import assert from "node:assert/strict";
import type { Harness, HttpResult } from "./harness.ts";
import { show } from "./harness.ts";

export function assertScimError(r: HttpResult, status: number, scimType?: string) {
  assert.equal(r.status, status, show(r));
  assert.match(r.headers.get("content-type") ?? "", /application\/scim\+json/, show(r));
  assert.deepEqual(r.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"], show(r));
  assert.equal(r.body.status, String(status), show(r));
  if (scimType) assert.equal(r.body.scimType, scimType, show(r));
}

export function assertScimUnauthorized(r: HttpResult) {
  assertScimError(r, 401);
  assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/, show(r));
}

/**
 * Runs one SCIM request with each kind of bad credential and asserts a 401 SCIM error.
 * `expireToken` makes a fresh token expired in the database before its first use.
 */
export async function checkScimAuthFailures(h: Harness, method: string, path: string, body?: unknown) {
  const { tenantId, token, tokenId } = await h.createTenant();
  const attempts: Record<string, Record<string, string>> = {
    missing: {},
    "bad scheme": { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    "bearer without token": { authorization: "Bearer " },
    malformed: { authorization: "Bearer not-a-roster-token" },
    unknown: { authorization: `Bearer rst_${"A".repeat(43)}` },
  };
  for (const [what, headers] of Object.entries(attempts)) {
    const r = await h.request(method, `/scim/v2${path}`, { body, headers: { "content-type": "application/scim+json", ...headers } });
    assertScimUnauthorized(r);
    assert.ok(!r.text.includes(token), `${what}: response must not echo a token`);
  }
  const revoke = await h.admin("DELETE", `/tenants/${tenantId}/scim-tokens/${tokenId}`);
  assert.equal(revoke.status, 200, show(revoke));
  assertScimUnauthorized(await h.scim(token, method, path, body));

  const expiring = await h.admin("POST", `/tenants/${tenantId}/scim-tokens`, { name: "short", expiresAt: new Date(Date.now() + 60_000).toISOString() });
  await h.container.db.scimToken.update({ where: { id: expiring.body.record.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  assertScimUnauthorized(await h.scim(expiring.body.token, method, path, body));
}
