import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { createRole, createUser, startSession } from "./auth-fixtures.ts";

const h = await useHarness();

test("admin and security actions are audited without secrets, and read with an id cursor", async () => {
  const { tenantId, token, tokenId } = await h.createTenant();
  const user = await createUser(h, tenantId);
  const role = await createRole(h, tenantId, ["users:read"]);
  await h.admin("PUT", `/tenants/${tenantId}/users/${user.id}/roles/${role.id}`);
  const s = await startSession(h, tenantId, user.id);
  await h.admin("DELETE", `/tenants/${tenantId}/sessions/${s.session.id}`);
  await h.admin("DELETE", `/tenants/${tenantId}/scim-tokens/${tokenId}`);
  await h.admin("DELETE", `/tenants/${tenantId}/roles/${role.id}`);

  const seen: { id: string; action: string }[] = [];
  let after: string | null = null;
  do {
    const r = await h.admin("GET", `/tenants/${tenantId}/audit-log?limit=2${after ? `&after=${after}` : ""}`);
    assert.equal(r.status, 200, show(r));
    assert.ok(r.body.data.length <= 2);
    assert.ok(!r.text.includes(token) && !r.text.includes(s.access_token) && !r.text.includes(s.refresh_token), "no secrets");
    seen.push(...r.body.data);
    after = r.body.nextCursor;
  } while (after);
  assert.deepEqual(seen.map((e) => e.action), ["scim_token.issued", "role.created", "role.assigned", "session.issued", "session.revoked", "scim_token.revoked", "role.deleted"]);
  assert.deepEqual([...seen.map((e) => BigInt(e.id))].sort((a, b) => (a < b ? -1 : 1)).map(String), seen.map((e) => e.id), "ascending ids");
  const other = await h.createTenant();
  const theirs = await h.admin("GET", `/tenants/${other.tenantId}/audit-log`);
  assert.deepEqual(theirs.body.data.map((e: { action: string }) => e.action), ["scim_token.issued"], "tenant-scoped");
});

test("a bad cursor or limit is 400; an unknown tenant is 404", async () => {
  const { tenantId } = await h.createTenant();
  for (const q of ["after=abc", "after=-1", "limit=0", "limit=1000", "after=99999999999999999999"]) {
    const r = await h.admin("GET", `/tenants/${tenantId}/audit-log?${q}`);
    assert.equal(r.status, 400, `${q}: ${show(r)}`);
  }
  assert.equal((await h.admin("GET", "/tenants/00000000-0000-7000-8000-000000000000/audit-log")).status, 404);
});
