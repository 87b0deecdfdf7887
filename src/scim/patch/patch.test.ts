// Table-driven tests of the PATCH engine: RFC 7644 §3.5.2 semantics and the Okta / Entra
// dialects. Every `current` is deep-frozen, so any mutation of the input fails the test.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyPatch, type MemberChanges } from "./index.ts";
import { body, deepFreeze, ENT, PATCH_OP, type Obj } from "./test-fixtures.ts";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const noMembers: MemberChanges = { add: [], remove: [], removeAll: false };

const alice = (): Obj => ({
  id: "u-1",
  userName: "alice@example.com",
  active: true,
  displayName: "Alice",
  name: { givenName: "Alice", familyName: "Smith" },
  emails: [
    { value: "alice@example.com", type: "work", primary: true },
    { value: "alice@home.example", type: "home" },
  ],
  addresses: [{ type: "work", locality: "Paris", country: "FR" }],
  [ENT]: { department: "R&D", manager: { value: "m-1" } },
});
const bare = (): Obj => ({ id: "u-2", userName: "bob@example.com", active: true });
const group = (): Obj => ({ id: "g-1", displayName: "Engineering", externalId: "ext-g" });

interface Row {
  name: string;
  type?: "User" | "Group";
  current: () => Obj;
  body: unknown;
  /** Expected document; a function receives a fresh `current` to edit. */
  resource?: Obj | ((c: Obj) => Obj);
  changed?: string[];
  members?: MemberChanges;
  password?: string | null;
}

function run(row: Row): void {
  test(row.name, () => {
    const current = deepFreeze(row.current());
    const snapshot = JSON.stringify(current);
    const result = applyPatch(row.type ?? "User", current, deepFreeze(structuredClone(row.body)));
    assert.equal(JSON.stringify(current), snapshot, "current must not change");
    const shown = JSON.stringify(result, null, 1);
    if (row.resource !== undefined) {
      const expected = typeof row.resource === "function" ? row.resource(structuredClone(row.current())) : row.resource;
      assert.deepEqual(result.resource, expected, shown);
    }
    if (row.changed) assert.deepEqual([...result.changed].sort(), [...row.changed].sort(), shown);
    assert.deepEqual(result.members, row.members ?? noMembers, shown);
    if (row.password !== undefined) assert.equal(result.password, row.password, shown);
    else assert.equal("password" in result, false, shown);
    assert.equal("password" in result.resource, false, "password is never stored");
  });
}

describe("PATCH: RFC 7644 §3.5.2 basics", () => {
  const rows: Row[] = [
    {
      name: "replace a simple attribute",
      current: alice,
      body: body({ op: "replace", path: "displayName", value: "Alice S." }),
      resource: (c) => ({ ...c, displayName: "Alice S." }),
      changed: ["displayName"],
    },
    {
      name: "add on a single-valued attribute replaces its value",
      current: alice,
      body: body({ op: "add", path: "title", value: "CTO" }),
      resource: (c) => ({ ...c, title: "CTO" }),
      changed: ["title"],
    },
    {
      name: "op is case-insensitive (ADD, rEpLaCe, Remove)",
      current: alice,
      body: body({ op: "ADD", path: "nickName", value: "Al" }, { op: "rEpLaCe", path: "title", value: "CTO" }, { op: "Remove", path: "displayName" }),
      resource: (c) => {
        delete c.displayName;
        return { ...c, nickName: "Al", title: "CTO" };
      },
      changed: ["nickName", "title", "displayName"],
    },
    {
      name: "the Operations key is accepted case-insensitively",
      current: alice,
      body: { schemas: [PATCH_OP], operations: [{ op: "replace", path: "title", value: "X" }] },
      changed: ["title"],
    },
    {
      name: "a no-op replace is not reported as changed",
      current: alice,
      body: body({ op: "replace", path: "displayName", value: "Alice" }, { op: "replace", path: "active", value: true }),
      resource: alice(),
      changed: [],
    },
    {
      name: "operations apply in order (add then remove leaves nothing)",
      current: alice,
      body: body({ op: "add", path: "nickName", value: "Al" }, { op: "remove", path: "nickName" }),
      resource: alice(),
      changed: [],
    },
    {
      name: "replace with null clears an optional attribute",
      current: alice,
      body: body({ op: "replace", path: "displayName", value: null }),
      resource: (c) => {
        delete c.displayName;
        return c;
      },
      changed: ["displayName"],
    },
    {
      name: "replace of a complex attribute merges sub-attributes (§3.5.2.3)",
      current: alice,
      body: body({ op: "replace", path: "name", value: { givenName: "Alicia", middleName: "M" } }),
      resource: (c) => ({ ...c, name: { givenName: "Alicia", familyName: "Smith", middleName: "M" } }),
      changed: ["name"],
    },
    {
      name: "replace a sub-attribute (name.givenName)",
      current: alice,
      body: body({ op: "replace", path: "name.givenName", value: "Alicia" }),
      resource: (c) => ({ ...c, name: { givenName: "Alicia", familyName: "Smith" } }),
      changed: ["name"],
    },
    {
      name: "add a sub-attribute to a missing complex attribute creates it",
      current: bare,
      body: body({ op: "add", path: "name.familyName", value: "Jones" }),
      resource: (c) => ({ ...c, name: { familyName: "Jones" } }),
      changed: ["name"],
    },
    {
      name: "replace a whole multi-valued attribute",
      current: alice,
      body: body({ op: "replace", path: "emails", value: [{ value: "new@example.com", type: "work", primary: true }] }),
      resource: (c) => ({ ...c, emails: [{ value: "new@example.com", type: "work", primary: true }] }),
      changed: ["emails"],
    },
    {
      name: "remove a whole multi-valued attribute",
      current: alice,
      body: body({ op: "remove", path: "addresses" }),
      resource: (c) => {
        delete c.addresses;
        return c;
      },
      changed: ["addresses"],
    },
    {
      name: "remove a sub-attribute; an emptied complex attribute disappears",
      current: () => ({ ...bare(), name: { givenName: "B" } }),
      body: body({ op: "remove", path: "name.givenName" }),
      resource: bare(),
      changed: ["name"],
    },
    {
      name: "remove of an absent attribute is a no-op",
      current: bare,
      body: body({ op: "remove", path: "title" }),
      resource: bare(),
      changed: [],
    },
    {
      name: "attribute names become canonical (EMAILS, Name.GivenName, USERNAME)",
      current: bare,
      body: body(
        { op: "add", path: "EMAILS", value: [{ VALUE: "b@x.com", Type: "work", PRIMARY: true }] },
        { op: "add", path: "Name.GivenName", value: "Bob" },
        { op: "replace", path: "USERNAME", value: "bobby" },
      ),
      resource: { id: "u-2", userName: "bobby", active: true, emails: [{ value: "b@x.com", type: "work", primary: true }], name: { givenName: "Bob" } },
      changed: ["emails", "name", "userName"],
    },
    {
      name: "unicode values are kept as-is",
      current: bare,
      body: body({ op: "replace", path: "displayName", value: "Zoë 李 \u{1F600}" }),
      resource: (c) => ({ ...c, displayName: "Zoë 李 \u{1F600}" }),
      changed: ["displayName"],
    },
  ];
  rows.forEach(run);
});

describe("PATCH: multi-valued attributes, value filters and primary", () => {
  const rows: Row[] = [
    {
      name: "add appends new values and does not duplicate an identical one",
      current: alice,
      body: body({
        op: "add",
        path: "emails",
        value: [{ value: "alice@example.com", type: "work", primary: true }, { value: "a2@example.com", type: "other" }],
      }),
      resource: (c) => ({ ...c, emails: [...(c.emails as Obj[]), { value: "a2@example.com", type: "other" }] }),
      changed: ["emails"],
    },
    {
      name: "add of a value already present (case-insensitive value, same type) merges into it",
      current: alice,
      body: body({ op: "add", path: "emails", value: [{ value: "ALICE@home.example", type: "HOME", display: "home" }] }),
      resource: (c) => ({
        ...c,
        emails: [(c.emails as Obj[])[0], { value: "ALICE@home.example", type: "HOME", display: "home" }],
      }),
      changed: ["emails"],
    },
    {
      name: "add accepts a single object for a multi-valued attribute",
      current: bare,
      body: body({ op: "add", path: "phoneNumbers", value: { value: "+33 1", type: "work" } }),
      resource: (c) => ({ ...c, phoneNumbers: [{ value: "+33 1", type: "work" }] }),
      changed: ["phoneNumbers"],
    },
    {
      name: "adding a new primary clears the previous primary",
      current: alice,
      body: body({ op: "add", path: "emails", value: [{ value: "new@example.com", type: "other", primary: true }] }),
      resource: (c) => ({
        ...c,
        emails: [
          { value: "alice@example.com", type: "work", primary: false },
          { value: "alice@home.example", type: "home" },
          { value: "new@example.com", type: "other", primary: true },
        ],
      }),
      changed: ["emails"],
    },
    {
      name: "setting primary through a filtered path keeps it unique",
      current: alice,
      body: body({ op: "replace", path: 'emails[type eq "home"].primary', value: true }),
      resource: (c) => ({
        ...c,
        emails: [
          { value: "alice@example.com", type: "work", primary: false },
          { value: "alice@home.example", type: "home", primary: true },
        ],
      }),
      changed: ["emails"],
    },
    {
      name: 'replace emails[type eq "work"].value updates the matching element',
      current: alice,
      body: body({ op: "replace", path: 'emails[type eq "work"].value', value: "alice@new.example" }),
      resource: (c) => ({
        ...c,
        emails: [
          { value: "alice@new.example", type: "work", primary: true },
          { value: "alice@home.example", type: "home" },
        ],
      }),
      changed: ["emails"],
    },
    {
      name: "filter matching follows caseExact=false (type eq \"WORK\")",
      current: alice,
      body: body({ op: "replace", path: 'emails[TYPE eq "WORK"].display', value: "Work" }),
      resource: (c) => ({
        ...c,
        emails: [{ value: "alice@example.com", type: "work", primary: true, display: "Work" }, (c.emails as Obj[])[1]],
      }),
      changed: ["emails"],
    },
    {
      name: 'replace addresses[type eq "work"].locality',
      current: alice,
      body: body({ op: "replace", path: 'addresses[type eq "work"].locality', value: "Lyon" }),
      resource: (c) => ({ ...c, addresses: [{ type: "work", locality: "Lyon", country: "FR" }] }),
      changed: ["addresses"],
    },
    {
      name: 'replace emails[type eq "work" and primary eq true] replaces the whole element (§3.5.2.3)',
      current: alice,
      body: body({ op: "replace", path: 'emails[type eq "work" and primary eq true]', value: { value: "w@x.example", type: "work", primary: true } }),
      resource: (c) => ({ ...c, emails: [{ value: "w@x.example", type: "work", primary: true }, (c.emails as Obj[])[1]] }),
      changed: ["emails"],
    },
    {
      name: "add on a filtered path merges into the matching element",
      current: alice,
      body: body({ op: "add", path: 'emails[type eq "home"]', value: { display: "Home" } }),
      resource: (c) => ({ ...c, emails: [(c.emails as Obj[])[0], { value: "alice@home.example", type: "home", display: "Home" }] }),
      changed: ["emails"],
    },
    {
      name: "Entra: Add on a filtered path that matches nothing creates the element",
      current: bare,
      body: body({ op: "Add", path: 'emails[type eq "work"].value', value: "bob@work.example" }),
      resource: (c) => ({ ...c, emails: [{ type: "work", value: "bob@work.example" }] }),
      changed: ["emails"],
    },
    {
      name: "a created element takes every eq term of an and-filter (primary coerced to boolean)",
      current: bare,
      body: body({ op: "add", path: 'addresses[type eq "work" and primary eq true].locality', value: "Oslo" }),
      resource: (c) => ({ ...c, addresses: [{ type: "work", primary: true, locality: "Oslo" }] }),
      changed: ["addresses"],
    },
    {
      name: "remove a filtered element",
      current: alice,
      body: body({ op: "remove", path: 'emails[type eq "home"]' }),
      resource: (c) => ({ ...c, emails: [(c.emails as Obj[])[0]] }),
      changed: ["emails"],
    },
    {
      name: "remove with a filter that matches nothing is an idempotent no-op",
      current: alice,
      body: body({ op: "remove", path: 'emails[type eq "pager"]' }),
      resource: alice(),
      changed: [],
    },
    {
      name: "remove a sub-attribute of filtered elements",
      current: alice,
      body: body({ op: "remove", path: 'emails[primary eq true].primary' }),
      resource: (c) => ({ ...c, emails: [{ value: "alice@example.com", type: "work" }, (c.emails as Obj[])[1]] }),
      changed: ["emails"],
    },
    {
      name: "remove of the last element leaves the attribute unassigned",
      current: () => ({ ...bare(), emails: [{ value: "b@x", type: "work" }] }),
      body: body({ op: "remove", path: 'emails[value eq "B@X"]' }),
      resource: bare(),
      changed: ["emails"],
    },
    {
      name: "replace of a filtered element with null removes it",
      current: alice,
      body: body({ op: "replace", path: 'emails[type eq "home"]', value: null }),
      resource: (c) => ({ ...c, emails: [(c.emails as Obj[])[0]] }),
      changed: ["emails"],
    },
    {
      name: "a sub-attribute of a multi-valued attribute without filter is set on every element",
      current: alice,
      body: body({ op: "replace", path: "emails.display", value: "E" }),
      resource: (c) => ({ ...c, emails: (c.emails as Obj[]).map((e) => ({ ...e, display: "E" })) }),
      changed: ["emails"],
    },
    {
      name: "… and creates one element when there is none",
      current: bare,
      body: body({ op: "add", path: "emails.value", value: "b@x" }),
      resource: (c) => ({ ...c, emails: [{ value: "b@x" }] }),
      changed: ["emails"],
    },
    {
      name: "remove a sub-attribute from every element; emptied elements go",
      current: () => ({ ...bare(), ims: [{ value: "x", type: "xmpp" }, { type: "aim" }] }),
      body: body({ op: "remove", path: "ims.type" }),
      resource: (c) => ({ ...c, ims: [{ value: "x" }] }),
      changed: ["ims"],
    },
    {
      name: "remove with a value list removes only those values",
      current: alice,
      body: body({ op: "remove", path: "emails", value: [{ value: "ALICE@home.example" }] }),
      resource: (c) => ({ ...c, emails: [(c.emails as Obj[])[0]] }),
      changed: ["emails"],
    },
  ];
  rows.forEach(run);

  // Each operator of RFC 7644 §3.4.2.2 inside the brackets, observed through `remove`.
  const emails = () => ({
    ...bare(),
    emails: [
      { value: "ann@corp.example", type: "work", primary: true },
      { value: "ann@mail.example", type: "home" },
      { value: "ann@other.example" },
    ],
  });
  const filters: [string, string[]][] = [
    ['value eq "ANN@CORP.EXAMPLE"', ["ann@mail.example", "ann@other.example"]],
    ['type ne "work"', ["ann@corp.example"]],
    ['value co "MAIL"', ["ann@corp.example", "ann@other.example"]],
    ['value sw "ann@c"', ["ann@mail.example", "ann@other.example"]],
    ['value ew ".EXAMPLE"', []],
    ["type pr", ["ann@other.example"]],
    ["not (type pr)", ["ann@corp.example", "ann@mail.example"]],
    ['value gt "ann@mail.example"', ["ann@corp.example", "ann@mail.example"]],
    ['value ge "ann@mail.example"', ["ann@corp.example"]],
    ['value lt "ann@mail.example"', ["ann@mail.example", "ann@other.example"]],
    ['value le "ann@mail.example"', ["ann@other.example"]],
    ['type eq "work" or type eq "home"', ["ann@other.example"]],
    ['(type eq "work" or type eq "home") and not (primary eq true)', ["ann@corp.example", "ann@other.example"]],
    ['emails.type eq "home"', ["ann@corp.example", "ann@other.example"]],
    ['type eq "home" and value ew "\\u0065xample"', ["ann@corp.example", "ann@other.example"]],
    ["primary eq false", ["ann@corp.example", "ann@mail.example", "ann@other.example"]],
    ["primary eq True", ["ann@mail.example", "ann@other.example"]],
  ];
  for (const [filter, left] of filters) {
    test(`filter [${filter}] selects the right elements`, () => {
      const r = applyPatch("User", deepFreeze(emails()), body({ op: "remove", path: `emails[${filter}]` }));
      assert.deepEqual(((r.resource.emails as Obj[] | undefined) ?? []).map((e) => e.value), left);
    });
  }
});

describe("PATCH: URN paths and pathless operations", () => {
  const rows: Row[] = [
    {
      name: "enterprise attribute by URN path",
      current: alice,
      body: body({ op: "replace", path: `${ENT}:department`, value: "Sales" }),
      resource: (c) => ({ ...c, [ENT]: { department: "Sales", manager: { value: "m-1" } } }),
      changed: [`${ENT}:department`],
    },
    {
      name: "URN prefix is case-insensitive and creates the extension object",
      current: bare,
      body: body({ op: "add", path: `${ENT.toUpperCase()}:CostCenter`, value: "CC-1" }),
      resource: (c) => ({ ...c, [ENT]: { costCenter: "CC-1" } }),
      changed: [`${ENT}:costCenter`],
    },
    {
      name: "core URN prefix (urn:…:core:2.0:User:displayName)",
      current: alice,
      body: body({ op: "replace", path: `${CORE}:displayName`, value: "A" }, { op: "replace", path: `${CORE}:externalId`, value: "x-1" }),
      resource: (c) => ({ ...c, displayName: "A", externalId: "x-1" }),
      changed: ["displayName", "externalId"],
    },
    {
      name: "Entra: manager as a bare id",
      current: bare,
      body: body({ op: "replace", path: `${ENT}:manager`, value: "m-2" }),
      resource: (c) => ({ ...c, [ENT]: { manager: { value: "m-2" } } }),
      changed: [`${ENT}:manager`],
    },
    {
      name: "manager as an object; its read-only displayName is ignored",
      current: alice,
      body: body({ op: "Add", path: `${ENT}:manager`, value: { value: "m-3", displayName: "Boss" } }),
      resource: (c) => ({ ...c, [ENT]: { department: "R&D", manager: { value: "m-3" } } }),
      changed: [`${ENT}:manager`],
    },
    {
      name: "manager.value by URN path",
      current: alice,
      body: body({ op: "replace", path: `${ENT}:manager.value`, value: "m-4" }),
      resource: (c) => ({ ...c, [ENT]: { department: "R&D", manager: { value: "m-4" } } }),
      changed: [`${ENT}:manager`],
    },
    ...[
      ["{value: \"\"}", { value: "" }],
      ['""', ""],
      ["{value: null}", { value: null }],
      ["null", null],
    ].map(
      ([label, value]): Row => ({
        name: `Entra: replace manager with ${label as string} removes the manager`,
        current: alice,
        body: body({ op: "Replace", path: `${ENT}:manager`, value }),
        resource: (c) => ({ ...c, [ENT]: { department: "R&D" } }),
        changed: [`${ENT}:manager`],
      }),
    ),
    {
      name: "remove manager.value removes the manager (value is required in it)",
      current: alice,
      body: body({ op: "remove", path: `${ENT}:manager.value` }),
      resource: (c) => ({ ...c, [ENT]: { department: "R&D" } }),
      changed: [`${ENT}:manager`],
    },
    {
      name: "removing the last enterprise attribute drops the extension object",
      current: () => ({ ...bare(), [ENT]: { department: "X" } }),
      body: body({ op: "remove", path: `${ENT}:department` }),
      resource: bare(),
      changed: [`${ENT}:department`],
    },
    {
      name: "remove with the extension URN as path removes the whole extension",
      current: alice,
      body: body({ op: "remove", path: ENT }),
      resource: (c) => {
        delete c[ENT];
        return c;
      },
      changed: [`${ENT}:department`, `${ENT}:manager`],
    },
    {
      name: "replace with the extension URN as path and null clears the extension",
      current: alice,
      body: body({ op: "replace", path: ENT, value: null }),
      resource: (c) => {
        delete c[ENT];
        return c;
      },
      changed: [`${ENT}:department`, `${ENT}:manager`],
    },
    {
      name: "add with the extension URN as path and an object value",
      current: bare,
      body: body({ op: "add", path: ENT, value: { division: "D", manager: "m-5" } }),
      resource: (c) => ({ ...c, [ENT]: { division: "D", manager: { value: "m-5" } } }),
      changed: [`${ENT}:division`, `${ENT}:manager`],
    },
    {
      name: "pathless replace with the core URN as a nested object",
      current: alice,
      body: body({ op: "replace", value: { [CORE]: { displayName: "Core", schemas: [CORE] } } }),
      resource: (c) => ({ ...c, displayName: "Core" }),
      changed: ["displayName"],
    },
    {
      name: "Okta: deactivate with a pathless replace (verbatim)",
      current: alice,
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
      resource: (c) => ({ ...c, active: false }),
      changed: ["active"],
    },
    {
      name: "pathless add with a URN-qualified key",
      current: bare,
      body: body({ op: "add", value: { [`${ENT}:department`]: "X" } }),
      resource: (c) => ({ ...c, [ENT]: { department: "X" } }),
      changed: [`${ENT}:department`],
    },
    {
      name: "pathless add with the nested extension object",
      current: alice,
      body: body({ op: "add", value: { [ENT]: { Department: "Y", manager: { value: "m-9" } } } }),
      resource: (c) => ({ ...c, [ENT]: { department: "Y", manager: { value: "m-9" } } }),
      changed: [`${ENT}:department`, `${ENT}:manager`],
    },
    {
      name: "Entra: pathless replace with dotted keys",
      current: alice,
      body: body({ op: "replace", value: { "name.givenName": "Bob", "Name.FamilyName": "Jones", displayName: "Bob J" } }),
      resource: (c) => ({ ...c, displayName: "Bob J", name: { givenName: "Bob", familyName: "Jones" } }),
      changed: ["name", "displayName"],
    },
    {
      name: "pathless replace of a complex attribute merges it",
      current: alice,
      body: body({ op: "replace", value: { name: { givenName: "Ally" } } }),
      resource: (c) => ({ ...c, name: { givenName: "Ally", familyName: "Smith" } }),
      changed: ["name"],
    },
    {
      name: "pathless replace ignores `schemas` and an `id` equal to the resource's",
      current: alice,
      body: body({ op: "replace", value: { schemas: [CORE], id: "u-1", title: "T" } }),
      resource: (c) => ({ ...c, title: "T" }),
      changed: ["title"],
    },
  ];
  rows.forEach(run);
});

describe("PATCH: Entra and Okta bodies from their documentation", () => {
  const rows: Row[] = [
    {
      // learn.microsoft.com … application-provisioning-config-problem-scim-compatibility,
      // "Requests made to disable users", without feature flag.
      name: "Entra: disable user, without feature flag",
      current: alice,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] },
      resource: (c) => ({ ...c, active: false }),
      changed: ["active"],
    },
    {
      name: "Entra: disable user, with feature flag",
      current: alice,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] },
      resource: (c) => ({ ...c, active: false }),
      changed: ["active"],
    },
    {
      name: "Entra: add a single-value string attribute, without feature flag",
      current: alice,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Add", path: "nickName", value: "Babs" }] },
      resource: (c) => ({ ...c, nickName: "Babs" }),
      changed: ["nickName"],
    },
    {
      // As in Microsoft's sequence, the user was created with a work email.
      name: "Entra: replace multiple attributes, without feature flag",
      current: () => ({ id: "u-3", userName: "x@y", emails: [{ value: "p@home", type: "home", primary: true }, { type: "work", value: "old@test.microsoft.com" }] }),
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "Replace", path: "displayName", value: "Pvlo" },
          { op: "Replace", path: 'emails[type eq "work"].value', value: "TestBcwqnm@test.microsoft.com" },
          { op: "Replace", path: "name.givenName", value: "Gtfd" },
          { op: "Replace", path: "name.familyName", value: "Pkqf" },
          { op: "Replace", path: "externalId", value: "Eqpj" },
          { op: "Replace", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", value: "Eqpj" },
        ],
      },
      resource: {
        id: "u-3",
        userName: "x@y",
        emails: [
          { value: "p@home", type: "home", primary: true },
          { type: "work", value: "TestBcwqnm@test.microsoft.com" },
        ],
        displayName: "Pvlo",
        name: { givenName: "Gtfd", familyName: "Pkqf" },
        externalId: "Eqpj",
        [ENT]: { employeeNumber: "Eqpj" },
      },
      changed: ["displayName", "emails", "name", "externalId", `${ENT}:employeeNumber`],
    },
    {
      name: "Entra: replace multiple attributes, with feature flag (pathless, dotted and URN keys)",
      current: alice,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "replace", path: 'emails[type eq "work"].value', value: "TestMhvaes@test.microsoft.com" },
          {
            op: "replace",
            value: {
              displayName: "Bjfe",
              "name.givenName": "Kkom",
              "name.familyName": "Unua",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq",
            },
          },
        ],
      },
      resource: (c) => ({
        ...c,
        displayName: "Bjfe",
        name: { givenName: "Kkom", familyName: "Unua" },
        emails: [{ value: "TestMhvaes@test.microsoft.com", type: "work", primary: true }, (c.emails as Obj[])[1]],
        [ENT]: { department: "R&D", manager: { value: "m-1" }, employeeNumber: "Aklq" },
      }),
      changed: ["displayName", "name", "emails", `${ENT}:employeeNumber`],
    },
    {
      // learn.microsoft.com/… Q&A "Entra ID patch sending Add instead of Replace".
      name: "Entra: Add on emails[type eq \"work\"].value when the work email exists replaces its value",
      current: alice,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "Replace", path: "title", value: "tester" },
          { op: "Add", path: 'emails[type eq "work"].value', value: "joe@joe.com" },
        ],
      },
      resource: (c) => ({
        ...c,
        title: "tester",
        emails: [{ value: "joe@joe.com", type: "work", primary: true }, (c.emails as Obj[])[1]],
      }),
      changed: ["title", "emails"],
    },
    {
      name: "Entra: remove a group member, without feature flag (member in value; never all)",
      type: "Group",
      current: group,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Remove", path: "members", value: [{ value: "u1091" }] }],
      },
      resource: group(),
      changed: ["members"],
      members: { add: [], remove: ["u1091"], removeAll: false },
    },
    {
      name: "Entra: remove a group member, with feature flag",
      type: "Group",
      current: group,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "remove", path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
      },
      changed: ["members"],
      members: { add: [], remove: ["7f4bc1a3-285e-48ae-8202-5accb43efb0e"], removeAll: false },
    },
    {
      // use-scim-to-provision-users-and-groups, "Update Group [Add Members]" / "[Remove Members]".
      name: "Entra: add and remove members with $ref: null",
      type: "Group",
      current: group,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "Add", path: "members", value: [{ $ref: null, value: "f648f8d5ea4e4cd38e9c" }] },
          { op: "Remove", path: "members", value: [{ $ref: null, value: "a11ce" }] },
        ],
      },
      changed: ["members"],
      members: { add: ["f648f8d5ea4e4cd38e9c"], remove: ["a11ce"], removeAll: false },
    },
    {
      // developer.okta.com SCIM 2.0 guide, "Update a specific Group membership".
      name: "Okta: remove and add members in one request (display is ignored)",
      type: "Group",
      current: group,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "remove", path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
          { op: "add", path: "members", value: [{ value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local" }] },
        ],
      },
      changed: ["members"],
      members: { add: ["23a35c27-23d3-4c03-b4c5-6443c09e7173"], remove: ["89bb1940-b905-4575-9e7f-6f887cfb368e"], removeAll: false },
    },
    {
      // developer.okta.com SCIM 2.0 guide, "Update a specific Group name": value carries id.
      name: "Okta: group rename by pathless replace whose value repeats the id",
      type: "Group",
      current: () => ({ id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Old" }),
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", value: { id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Test SCIMv2" } }],
      },
      resource: { id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Test SCIMv2" },
      changed: ["displayName"],
    },
    {
      name: "Okta: password sync by pathless replace",
      current: alice,
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { password: "1mz050nq" } }] },
      resource: alice(),
      changed: ["password"],
      password: "1mz050nq",
    },
  ];
  rows.forEach(run);
});

describe("PATCH: group members become MemberChanges", () => {
  const g = (...ops: unknown[]): Row["body"] => body(...ops);
  const rows: Row[] = [
    {
      name: "add members",
      type: "Group",
      current: group,
      body: g({ op: "add", path: "members", value: [{ value: "a" }, { value: "b" }, { value: "a" }] }),
      resource: group(),
      changed: ["members"],
      members: { add: ["a", "b"], remove: [], removeAll: false },
    },
    {
      name: "remove by or-joined value filter",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: 'members[value eq "a" or value eq "b"]' }),
      members: { add: [], remove: ["a", "b"], removeAll: false },
    },
    {
      name: "remove path members with no value empties the group (RFC 7644 §3.5.2.2)",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: "members" }),
      members: { add: [], remove: [], removeAll: true },
      changed: ["members"],
    },
    {
      name: "remove path members with an empty value list removes nobody",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: "members", value: [] }),
      members: noMembers,
      changed: [],
    },
    {
      name: "remove path members with {members: [...]} removes only those",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: "members", value: { members: [{ value: "c" }] } }),
      members: { add: [], remove: ["c"], removeAll: false },
    },
    {
      name: "remove path members with a single member object",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: "members", value: { value: "c" } }),
      members: { add: [], remove: ["c"], removeAll: false },
    },
    {
      name: "replace members = removeAll + add",
      type: "Group",
      current: group,
      body: g({ op: "replace", path: "members", value: [{ value: "x" }, { value: "y", type: "User" }] }),
      members: { add: ["x", "y"], remove: [], removeAll: true },
      changed: ["members"],
    },
    {
      name: "pathless add and replace with a members key",
      type: "Group",
      current: group,
      body: g({ op: "add", value: { members: [{ value: "p" }] } }, { op: "replace", value: { displayName: "Eng", members: [{ value: "q" }] } }),
      resource: (c) => ({ ...c, displayName: "Eng" }),
      members: { add: ["q"], remove: [], removeAll: true },
      changed: ["displayName", "members"],
    },
    {
      name: "later operations win: add a, remove a, remove all, add b, remove c",
      type: "Group",
      current: group,
      body: g(
        { op: "add", path: "members", value: [{ value: "a" }] },
        { op: "remove", path: 'members[value eq "a"]' },
        { op: "remove", path: "members" },
        { op: "add", path: "members", value: [{ value: "b" }] },
        { op: "remove", path: "members", value: [{ value: "c" }] },
      ),
      members: { add: ["b"], remove: [], removeAll: true },
    },
    {
      name: "remove then re-add the same member ends as an add",
      type: "Group",
      current: group,
      body: g({ op: "remove", path: 'members[value eq "a"]' }, { op: "add", path: "members", value: [{ value: "a" }] }),
      members: { add: ["a"], remove: [], removeAll: false },
    },
    {
      name: "group displayName and externalId are ordinary attributes",
      type: "Group",
      current: group,
      body: g({ op: "replace", path: "displayName", value: "Platform" }, { op: "remove", path: "externalId" }),
      resource: { id: "g-1", displayName: "Platform" },
      changed: ["displayName", "externalId"],
      members: noMembers,
    },
  ];
  rows.forEach(run);
});

describe("PATCH: write-only password", () => {
  const rows: Row[] = [
    { name: "replace password", current: alice, body: body({ op: "replace", path: "password", value: "s3cret!" }), resource: alice(), password: "s3cret!", changed: ["password"] },
    { name: "add Password (any case)", current: alice, body: body({ op: "add", path: "PASSWORD", value: "x" }), password: "x", changed: ["password"] },
    { name: "remove password", current: alice, body: body({ op: "remove", path: "password" }), password: null, changed: ["password"] },
    {
      name: "a password already in current is never handed back in resource",
      current: () => ({ ...bare(), password: "old" }),
      body: body({ op: "replace", path: "title", value: "t" }),
      resource: (c) => {
        delete c.password;
        return { ...c, title: "t" };
      },
      changed: ["title"],
    },
  ];
  rows.forEach(run);
});

describe("PATCH: purity", () => {
  test("the result shares no objects with current", () => {
    const current = deepFreeze(alice());
    const r = applyPatch("User", current, body({ op: "replace", path: "title", value: "t" }));
    assert.notEqual(r.resource, current);
    assert.notEqual(r.resource.emails, current.emails);
    (r.resource.emails as Obj[])[0]!.value = "changed";
    assert.equal((current.emails as Obj[])[0]!.value, "alice@example.com");
  });

  test("the result shares no objects with the request body", () => {
    const value = [{ value: "n@x", type: "work" }];
    const r = applyPatch("User", bare(), body({ op: "add", path: "emails", value }));
    assert.notEqual((r.resource.emails as Obj[])[0], value[0]);
  });
});
