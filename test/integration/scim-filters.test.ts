import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async function seed() {
  const { token } = await h.createTenant();
  const mk = async (body: Record<string, unknown>) => {
    const r = await h.scim(token, "POST", "/Users", body);
    assert.equal(r.status, 201, show(r));
    return r.body;
  };
  const ada = await mk({ userName: "Ada@Acme.com", displayName: "Ada", title: "Engineer", emails: [{ value: "ada@acme.com", type: "work", primary: true }, { value: "ada@home.org", type: "home" }], [ENT]: { department: "R&D", employeeNumber: "100" } });
  const bob = await mk({ userName: "bob@acme.com", displayName: "Bob", active: false, emails: [{ value: "bob@other.com", type: "work" }], [ENT]: { department: "Sales" } });
  const cat = await mk({ userName: "cat_100%@beta.io", displayName: "Cat", title: "Manager", emails: [{ value: "cat@acme.com", type: "home" }] });
  const dan = await mk({ userName: "dan@acmeXcom", externalId: "ext-dan" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Eng", members: [{ value: ada.id }, { value: cat.id }] });
  return { token, ada, bob, cat, dan, group: g.body };
}

async function names(token: string, filter: string, path = "/Users"): Promise<string[]> {
  const r = await h.scim(token, "GET", `${path}?filter=${encodeURIComponent(filter)}`);
  assert.equal(r.status, 200, `${filter}\n${show(r)}`);
  assert.equal(r.body.totalResults, r.body.Resources.length, show(r));
  return r.body.Resources.map((x: any) => x.userName ?? x.displayName).sort();
}

test("every comparison operator filters users end-to-end", async () => {
  const { token } = await seed();
  const cases: [string, string[]][] = [
    ['userName eq "ada@acme.com"', ["Ada@Acme.com"]],
    ['userName ne "ada@acme.com"', ["bob@acme.com", "cat_100%@beta.io", "dan@acmeXcom"]],
    ['userName co "acme"', ["Ada@Acme.com", "bob@acme.com", "dan@acmeXcom"]],
    ['userName sw "B"', ["bob@acme.com"]],
    ['userName ew ".COM"', ["Ada@Acme.com", "bob@acme.com"]],
    ["title pr", ["Ada@Acme.com", "cat_100%@beta.io"]],
    ['displayName gt "Bob"', ["cat_100%@beta.io"]],
    ['displayName ge "Bob"', ["bob@acme.com", "cat_100%@beta.io"]],
    ['displayName lt "Bob"', ["Ada@Acme.com"]],
    ['displayName le "Bob"', ["Ada@Acme.com", "bob@acme.com"]],
    ["active eq false", ["bob@acme.com"]],
    ["active eq true", ["Ada@Acme.com", "cat_100%@beta.io", "dan@acmeXcom"]],
    ['externalId eq "ext-dan"', ["dan@acmeXcom"]],
    ['externalId eq "EXT-DAN"', []],
  ];
  for (const [f, want] of cases) assert.deepEqual(await names(token, f), want, f);
});

test("and, or, not and parentheses combine", async () => {
  const { token } = await seed();
  const cases: [string, string[]][] = [
    ['userName co "acme" and active eq true', ["Ada@Acme.com", "dan@acmeXcom"]],
    ['displayName eq "Ada" or displayName eq "Bob"', ["Ada@Acme.com", "bob@acme.com"]],
    ["not (title pr)", ["bob@acme.com", "dan@acmeXcom"]],
    ['(displayName eq "Ada" or displayName eq "Cat") and title eq "Manager"', ["cat_100%@beta.io"]],
    ['displayName eq "Ada" or displayName eq "Cat" and title eq "Manager"', ["Ada@Acme.com", "cat_100%@beta.io"]],
    ['not (userName sw "a" or userName sw "b")', ["cat_100%@beta.io", "dan@acmeXcom"]],
  ];
  for (const [f, want] of cases) assert.deepEqual(await names(token, f), want, f);
});

test("multi-valued and complex filters: emails[...], emails.value, groups[...], members[...]", async () => {
  const { token, ada, cat, group } = await seed();
  assert.deepEqual(await names(token, 'emails[type eq "work" and value co "@acme.com"]'), ["Ada@Acme.com"]);
  assert.deepEqual(await names(token, 'emails co "@acme.com"'), ["Ada@Acme.com", "cat_100%@beta.io"]);
  assert.deepEqual(await names(token, 'emails.value eq "BOB@OTHER.COM"'), ["bob@acme.com"], "emails are case-insensitive");
  assert.deepEqual(await names(token, 'emails[type eq "home"]'), ["Ada@Acme.com", "cat_100%@beta.io"]);
  assert.deepEqual(await names(token, "emails pr"), ["Ada@Acme.com", "bob@acme.com", "cat_100%@beta.io"]);
  assert.deepEqual(await names(token, `groups[value eq "${group.id}"]`), ["Ada@Acme.com", "cat_100%@beta.io"]);
  assert.deepEqual(await names(token, `groups.value eq "${group.id}"`), ["Ada@Acme.com", "cat_100%@beta.io"]);
  assert.deepEqual(await names(token, `members[value eq "${ada.id}"]`, "/Groups"), ["Eng"]);
  assert.deepEqual(await names(token, `members.value eq "${cat.id}"`, "/Groups"), ["Eng"]);
  assert.deepEqual(await names(token, 'members[value eq "nobody"]', "/Groups"), []);
});

test("URN-qualified paths filter core and enterprise attributes", async () => {
  const { token } = await seed();
  assert.deepEqual(await names(token, `${ENT}:department eq "r&d"`), ["Ada@Acme.com"]);
  assert.deepEqual(await names(token, `${ENT}:employeeNumber pr`), ["Ada@Acme.com"]);
  assert.deepEqual(await names(token, 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "BOB@ACME.COM"'), ["bob@acme.com"]);
});

test("meta.created and meta.lastModified compare as timestamps", async () => {
  const { token, ada } = await seed();
  await new Promise((r) => setTimeout(r, 20));
  const mid = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  const late = await h.scim(token, "POST", "/Users", { userName: "late" });
  assert.deepEqual(await names(token, `meta.created gt "${mid}"`), ["late"]);
  assert.equal((await names(token, `meta.created lt "${mid}"`)).length, 4);
  await h.scim(token, "PATCH", `/Users/${ada.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Lead" }] });
  assert.deepEqual(await names(token, `meta.lastModified ge "${mid}"`), ["Ada@Acme.com", "late"]);
  assert.deepEqual(await names(token, `meta.lastModified ge "${late.body.meta.lastModified}" and userName eq "late"`), ["late"]);
});

test("userName and emails match case-insensitively; % and _ in co/sw/ew are literal", async () => {
  const { token } = await seed();
  assert.deepEqual(await names(token, 'userName eq "ADA@ACME.COM"'), ["Ada@Acme.com"]);
  assert.deepEqual(await names(token, 'userName co "%"'), ["cat_100%@beta.io"]);
  assert.deepEqual(await names(token, 'userName co "_"'), ["cat_100%@beta.io"]);
  assert.deepEqual(await names(token, 'userName sw "cat_"'), ["cat_100%@beta.io"]);
  assert.deepEqual(await names(token, 'userName co "100%@"'), ["cat_100%@beta.io"]);
  assert.deepEqual(await names(token, 'userName co "acme.com"'), ["Ada@Acme.com", "bob@acme.com"], "the dot is not a wildcard either");
  assert.deepEqual(await names(token, 'userName co "\\\\"'), []);
});

test("group filters on displayName and externalId", async () => {
  const { token } = await seed();
  await h.scim(token, "POST", "/Groups", { displayName: "Sales Team", externalId: "s-1" });
  assert.deepEqual(await names(token, 'displayName eq "eng"', "/Groups"), ["Eng"]);
  assert.deepEqual(await names(token, 'displayName sw "sales"', "/Groups"), ["Sales Team"]);
  assert.deepEqual(await names(token, 'externalId eq "s-1"', "/Groups"), ["Sales Team"]);
});

test("malformed, unknown, over-long and deeply nested filters are 400 invalidFilter", async () => {
  const { token } = await seed();
  const bad = [
    "userName eq", 'userName xx "a"', '"a" eq userName', 'userName eq "unterminated', "(userName pr", "userName pr)", 'nope eq "x"',
    'emails[type eq "work"', 'name[givenName eq "x"]', "active eq 3", 'meta.created gt "yesterday"', "and", "", "   ",
    `userName eq "${"x".repeat(20_000)}"`, "(".repeat(200) + "userName pr" + ")".repeat(200), Array.from({ length: 500 }, () => "userName pr").join(" and "),
    "not ".repeat(300) + "(userName pr)", 'password eq "x"', 'userName eq "a" garbage', "userName eq true", '🙂 eq "x"',
  ];
  for (const f of bad) {
    if (!f.trim()) continue; // an empty filter means no filter
    for (const path of ["/Users", "/Groups"]) {
      const r = await h.scim(token, "GET", `${path}?filter=${encodeURIComponent(f)}`);
      assertScimError(r, 400, "invalidFilter");
    }
    const s = await h.scim(token, "POST", "/Users/.search", { filter: f });
    assertScimError(s, 400, "invalidFilter");
  }
  const empty = await h.scim(token, "GET", "/Users?filter=");
  assert.equal(empty.status, 200, show(empty));
});
