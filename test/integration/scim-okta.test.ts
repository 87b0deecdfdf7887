// Okta's SCIM 2.0 request sequences, as documented in "SCIM 2.0 protocol reference" /
// "Build a SCIM provisioning integration" (developer.okta.com).
import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
// Okta sends application/json at times.
const okta = (token: string, method: string, path: string, body?: unknown) => h.scim(token, method, path, body, { "content-type": "application/json" });

function oktaUser(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER],
    userName,
    name: { givenName: "Test", familyName: "User" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: "Test User",
    locale: "en-US",
    externalId: `00u${Math.random().toString(36).slice(2, 12)}`,
    groups: [],
    password: "1mz050nq",
    active: true,
    ...extra,
  };
}

test("Okta user lifecycle: lookup, create, get, full PUT, deactivate, reactivate", async () => {
  const { token } = await h.createTenant();
  const lookup = await okta(token, "GET", `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
  assert.equal(lookup.status, 200, show(lookup));
  assert.equal(lookup.body.totalResults, 0, show(lookup));
  assert.deepEqual(lookup.body.Resources, [], show(lookup));

  const created = await okta(token, "POST", "/Users", oktaUser("test.user@okta.local"));
  assert.equal(created.status, 201, show(created));
  assert.ok(!created.text.includes("1mz050nq"), show(created));
  const id = created.body.id;

  const again = await okta(token, "GET", `/Users?filter=${encodeURIComponent('userName eq "Test.User@okta.local"')}&startIndex=1&count=100`);
  assert.equal(again.body.totalResults, 1, show(again));
  assert.equal(again.body.Resources[0].id, id);

  const got = await okta(token, "GET", `/Users/${id}`);
  assert.equal(got.status, 200, show(got));
  assert.equal(got.body.name.givenName, "Test");

  const put = await okta(token, "PUT", `/Users/${id}`, { ...got.body, name: { givenName: "Another", familyName: "User" }, emails: [{ primary: true, value: "test.user@okta.local", type: "work" }] });
  assert.equal(put.status, 200, show(put));
  assert.equal(put.body.name.givenName, "Another", show(put));
  assert.equal(put.body.id, id);

  const off = await okta(token, "PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] });
  assert.equal(off.status, 200, show(off));
  assert.equal(off.body.active, false, show(off));
  const filtered = await okta(token, "GET", `/Users?filter=${encodeURIComponent("active eq false")}`);
  assert.equal(filtered.body.totalResults, 1, show(filtered));

  const on = await okta(token, "PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: true } }] });
  assert.equal(on.body.active, true, show(on));
});

test("Okta's POST of an existing userName is 409 uniqueness", async () => {
  const { token } = await h.createTenant();
  assert.equal((await okta(token, "POST", "/Users", oktaUser("dup@okta.local"))).status, 201);
  const r = await okta(token, "POST", "/Users", oktaUser("DUP@okta.local"));
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.scimType, "uniqueness", show(r));
});

test("Okta password sync stores a hash, never the plaintext, and never returns it", async () => {
  const { token } = await h.createTenant();
  const c = await okta(token, "POST", "/Users", oktaUser("pw@okta.local"));
  const before = await h.container.db.user.findUniqueOrThrow({ where: { id: c.body.id } });
  assert.ok(before.passwordHash, "the create password is stored as a hash");
  assert.ok(!before.passwordHash.includes("1mz050nq"));
  const r = await okta(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { password: "NewP@ssw0rd-xyz" } }] });
  assert.equal(r.status, 200, show(r));
  assert.ok(!r.text.includes("NewP@ssw0rd-xyz") && !r.text.includes('"password"'), show(r));
  const row = await h.container.db.user.findUniqueOrThrow({ where: { id: c.body.id } });
  assert.ok(row.passwordHash && row.passwordHash !== before.passwordHash, "the hash changed");
  assert.ok(!JSON.stringify(row).includes("NewP@ssw0rd-xyz"), "no column holds the plaintext");
  assert.ok(row.version > before.version, "a password change is a write");
  const got = await okta(token, "GET", `/Users/${c.body.id}`);
  assert.ok(!got.text.includes("password"), show(got));
  const withPath = await okta(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "password", value: "Third-pass-123" }] });
  assert.equal(withPath.status, 200, show(withPath));
  const events = await h.container.db.event.findMany({ where: { resourceId: c.body.id } });
  assert.ok(!JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v)).match(/1mz050nq|NewP@ssw0rd|Third-pass/));
});

test("Okta group push: POST with members, PUT with members, PATCH add/remove members, rename", async () => {
  const { token } = await h.createTenant();
  const ids: string[] = [];
  for (const n of ["a", "b", "c"]) ids.push((await okta(token, "POST", "/Users", oktaUser(`${n}@okta.local`))).body.id);
  const [a, b, c] = ids as [string, string, string];
  const lookup = await okta(token, "GET", `/Groups?filter=${encodeURIComponent('displayName eq "Okta Group"')}&startIndex=1&count=100`);
  assert.equal(lookup.body.totalResults, 0, show(lookup));

  const g = await okta(token, "POST", "/Groups", { schemas: [GROUP], displayName: "Okta Group", members: [{ value: a, display: "a@okta.local" }] });
  assert.equal(g.status, 201, show(g));
  const gid = g.body.id;
  const members = async () => (await okta(token, "GET", `/Groups/${gid}`)).body.members.map((m: any) => m.value).sort();

  const put = await okta(token, "PUT", `/Groups/${gid}`, { schemas: [GROUP], id: gid, displayName: "Okta Group", members: [{ value: a }, { value: b }] });
  assert.equal(put.status, 200, show(put));
  assert.deepEqual(await members(), [a, b].sort());

  const add = await okta(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: c, display: "c@okta.local" }] }] });
  assert.ok(add.status === 204 || add.status === 200, show(add));
  assert.deepEqual(await members(), [a, b, c].sort());

  const rm = await okta(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "remove", path: `members[value eq "${b}"]` }] });
  assert.ok(rm.status === 204 || rm.status === 200, show(rm));
  assert.deepEqual(await members(), [a, c].sort());

  const rename = await okta(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { id: gid, displayName: "Okta Group Renamed" } }] });
  assert.ok(rename.status === 204 || rename.status === 200, show(rename));
  const after = await okta(token, "GET", `/Groups/${gid}`);
  assert.equal(after.body.displayName, "Okta Group Renamed", show(after));
  assert.deepEqual(after.body.members.map((m: any) => m.value).sort(), [a, c].sort(), "a rename keeps members");

  const del = await okta(token, "DELETE", `/Groups/${gid}`);
  assert.equal(del.status, 204, show(del));
});
