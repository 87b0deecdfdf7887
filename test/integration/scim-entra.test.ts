// Microsoft Entra ID's SCIM requests, as in "Tutorial: Develop and plan provisioning for a
// SCIM endpoint in Microsoft Entra ID" and "Known issues and resolutions with SCIM 2.0
// protocol compliance" (learn.microsoft.com).
import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const q = (f: string) => `filter=${encodeURIComponent(f)}`;

function entraUser(userName: string, externalId: string) {
  return {
    schemas: [USER, ENT],
    externalId,
    userName,
    active: true,
    addresses: [{ primary: true, type: "work", country: "US", locality: "Redmond", streetAddress: "1 Microsoft Way" }],
    displayName: "Test User",
    emails: [{ primary: true, type: "work", value: userName }],
    name: { familyName: "User", givenName: "Test" },
    phoneNumbers: [{ primary: true, type: "work", value: "555-0100" }],
    title: "Engineer",
    [ENT]: { department: "Engineering", employeeNumber: "42" },
  };
}

test("Entra user lookups: externalId eq, userName eq; then create with the enterprise extension", async () => {
  const { token } = await h.createTenant();
  const miss = await h.scim(token, "GET", `/Users?${q('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`);
  assert.equal(miss.body.totalResults, 0, show(miss));
  const c = await h.scim(token, "POST", "/Users", entraUser("Test_User_ab6490ee@testuser.com", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"));
  assert.equal(c.status, 201, show(c));
  assert.equal(c.body[ENT].department, "Engineering", show(c));
  const byExt = await h.scim(token, "GET", `/Users?${q('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`);
  assert.equal(byExt.body.Resources[0]?.id, c.body.id, show(byExt));
  const byName = await h.scim(token, "GET", `/Users?${q('userName eq "test_user_AB6490EE@testuser.com"')}`);
  assert.equal(byName.body.Resources[0]?.id, c.body.id, show(byName));
  const none = await h.scim(token, "GET", `/Users?${q('userName eq "non-existent user"')}`);
  assert.equal(none.body.totalResults, 0, show(none));
});

test("Entra PATCH dialect: capitalised ops, string booleans, pathless multi-attribute replace, emails[type eq work].value", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", entraUser("e1@contoso.com", "ext-e1"));
  const id = c.body.id;
  const r = await h.scim(token, "PATCH", `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [
      { op: "Replace", path: "active", value: "False" },
      { op: "Add", path: 'emails[type eq "work"].value', value: "updated@contoso.com" },
      { op: "Replace", value: { displayName: "New Name", "name.givenName": "Newgiven", title: "Director", [`${ENT}:department`]: "Sales" } },
    ],
  });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.active, false, show(r));
  assert.equal(r.body.emails.find((e: any) => e.type === "work").value, "updated@contoso.com", show(r));
  assert.equal(r.body.emails.length, 1, show(r));
  assert.equal(r.body.displayName, "New Name");
  assert.equal(r.body.name.givenName, "Newgiven");
  assert.equal(r.body.name.familyName, "User");
  assert.equal(r.body.title, "Director");
  assert.equal(r.body[ENT].department, "Sales");
  const t = await h.scim(token, "PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "True" }] });
  assert.equal(t.body.active, true, show(t));
});

test("Entra Add on emails[type eq work].value creates the work email; a filtered Replace that matches nothing is 400 noTarget", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", { userName: "nowork@contoso.com" });
  // RFC 7644 §3.5.2.3 (src/scim/patch/README.md): replace needs a target; add creates it (DESIGN.md).
  assertScimError(await h.scim(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "w@contoso.com" }] }), 400, "noTarget");
  const r = await h.scim(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "Add", path: 'emails[type eq "work"].value', value: "w@contoso.com" }] });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.emails, [{ type: "work", value: "w@contoso.com" }], show(r));
  const rep = await h.scim(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "w2@contoso.com" }] });
  assert.deepEqual(rep.body.emails, [{ type: "work", value: "w2@contoso.com" }], show(rep));
});

test("Entra manager: replace with a bare id, then clear it", async () => {
  const { token } = await h.createTenant();
  const mgr = await h.scim(token, "POST", "/Users", { userName: "mgr@contoso.com" });
  const c = await h.scim(token, "POST", "/Users", entraUser("rep@contoso.com", "ext-rep"));
  const r = await h.scim(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: `${ENT}:manager`, value: mgr.body.id }] });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body[ENT].manager.value, mgr.body.id, show(r));
  assert.equal(r.body[ENT].department, "Engineering", "other extension attributes stay");
  const filtered = await h.scim(token, "GET", `/Users?${q(`${ENT}:manager.value eq "${mgr.body.id}"`)}`);
  assert.equal(filtered.body.totalResults, 1, show(filtered));
  const clear = await h.scim(token, "PATCH", `/Users/${c.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: `${ENT}:manager`, value: { value: "" } }] });
  assert.equal(clear.status, 200, show(clear));
  assert.equal(clear.body[ENT].manager, undefined, show(clear));
});

test("Entra groups: displayName lookup, create, Add members as a list, Remove by filter and by value removes only that member", async () => {
  const { token } = await h.createTenant();
  const ids: string[] = [];
  for (const n of ["m1", "m2", "m3", "m4"]) ids.push((await h.scim(token, "POST", "/Users", { userName: `${n}@contoso.com` })).body.id);
  const [m1, m2, m3, m4] = ids as [string, string, string, string];
  const lookup = await h.scim(token, "GET", `/Groups?excludedAttributes=members&${q('displayName eq "Group1DisplayName"')}`);
  assert.equal(lookup.body.totalResults, 0, show(lookup));
  const g = await h.scim(token, "POST", "/Groups", { schemas: [GROUP], externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", displayName: "Group1DisplayName", members: [] });
  assert.equal(g.status, 201, show(g));
  const gid = g.body.id;
  const members = async () => ((await h.scim(token, "GET", `/Groups/${gid}`)).body.members ?? []).map((m: any) => m.value).sort();

  const add = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: [{ value: m1 }, { value: m2 }, { value: m3 }, { value: m4 }] }] });
  assert.equal(add.status, 204, show(add));
  assert.deepEqual(await members(), [m1, m2, m3, m4].sort());

  const rmFilter = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: `members[value eq "${m1}"]` }] });
  assert.equal(rmFilter.status, 204, show(rmFilter));
  assert.deepEqual(await members(), [m2, m3, m4].sort());

  const rmValue = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ value: m2 }] }] });
  assert.equal(rmValue.status, 204, show(rmValue));
  assert.deepEqual(await members(), [m3, m4].sort(), "only the member in value is removed");

  const byMember = await h.scim(token, "GET", `/Groups?excludedAttributes=members&${q(`id eq "${gid}" and members[value eq "${m3}"]`)}`);
  assert.equal(byMember.body.totalResults, 1, show(byMember));
  const notMember = await h.scim(token, "GET", `/Groups?excludedAttributes=members&${q(`id eq "${gid}" and members[value eq "${m1}"]`)}`);
  assert.equal(notMember.body.totalResults, 0, show(notMember));

  const excluded = await h.scim(token, "GET", `/Groups/${gid}?excludedAttributes=members`);
  assert.equal(excluded.status, 200, show(excluded));
  assert.equal(excluded.body.members, undefined, show(excluded));
  assert.equal(excluded.body.displayName, "Group1DisplayName");

  const rename = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "displayName", value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }] });
  assert.equal(rename.status, 204, show(rename));
  assert.deepEqual(await members(), [m3, m4].sort());

  const del = await h.scim(token, "DELETE", `/Groups/${gid}`);
  assert.equal(del.status, 204, show(del));
  assertScimError(await h.scim(token, "GET", `/Groups/${gid}`), 404);
});

test("Entra user delete: 204, then 404 with a SCIM error body", async () => {
  const { token } = await h.createTenant();
  const c = await h.scim(token, "POST", "/Users", entraUser("gone@contoso.com", "ext-gone"));
  assert.equal((await h.scim(token, "DELETE", `/Users/${c.body.id}`)).status, 204);
  assertScimError(await h.scim(token, "GET", `/Users/${c.body.id}`), 404);
  const lookup = await h.scim(token, "GET", `/Users?${q('userName eq "gone@contoso.com"')}`);
  assert.equal(lookup.body.totalResults, 0, show(lookup));
});

test("Entra's duplicate create answers 409 uniqueness", async () => {
  const { token } = await h.createTenant();
  assert.equal((await h.scim(token, "POST", "/Users", entraUser("d@contoso.com", "x1"))).status, 201);
  assertScimError(await h.scim(token, "POST", "/Users", entraUser("D@CONTOSO.COM", "x2")), 409, "uniqueness");
});
