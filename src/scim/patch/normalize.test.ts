// normalizeResource: the POST/PUT validator, sharing its value rules with the PATCH engine.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAppError, type ScimType } from "../../errors.ts";
import { normalizeResource, type NormalizedResource } from "./index.ts";
import { deepFreeze, ENT } from "./test-fixtures.ts";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";


function expectScimError(fn: () => unknown, scimType: ScimType): void {
  try {
    const r = fn();
    assert.fail(`expected 400 ${scimType}, got ${JSON.stringify(r)}`);
  } catch (e) {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.status, 400);
    assert.equal(e.scimType, scimType, e.message);
  }
}

const ok: { name: string; type: "User" | "Group"; body: unknown; expected: NormalizedResource }[] = [
  {
    // learn.microsoft.com … use-scim-to-provision-users-and-groups, "Create User" request.
    name: "Entra create user (meta and empty roles dropped)",
    type: "User",
    body: {
      schemas: [CORE, ENT],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
    },
    expected: {
      resource: {
        externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        active: true,
        emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      },
    },
  },
  {
    // developer.okta.com SCIM 2.0 guide, "Create the User" (groups is read-only, password split out).
    name: "Okta create user (groups dropped, password split out)",
    type: "User",
    body: {
      schemas: [CORE],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    },
    expected: {
      resource: {
        userName: "test.user@okta.local",
        name: { givenName: "Test", familyName: "User" },
        emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
        displayName: "Test User",
        locale: "en-US",
        externalId: "00ujl29u0le5T6Aj10h7",
        active: true,
      },
      password: "1mz050nq",
    },
  },
  {
    // Okta PUT of a group with its members (display is read-only and ignored).
    name: "Okta PUT group with members",
    type: "Group",
    body: {
      schemas: [GROUP],
      id: "e9e30dba-f08f-4109-8486-d5c6a331660a",
      displayName: "Tour Guides",
      members: [
        { value: "some-member-1", display: "Babs Jensen" },
        { value: "some-member-2", display: "Mandy Pepperidge" },
      ],
    },
    expected: { resource: { displayName: "Tour Guides" }, members: ["some-member-1", "some-member-2"] },
  },
  {
    name: "Entra create group with a Microsoft schema URN and meta",
    type: "Group",
    body: {
      schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "displayName",
      meta: { resourceType: "Group" },
    },
    expected: { resource: { externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", displayName: "displayName" } },
  },
  {
    name: "canonical names, string booleans, extension by nested object and by URN key",
    type: "User",
    body: {
      USERNAME: "a",
      Active: "False",
      EMAILS: [{ Value: "x@y", PRIMARY: "True" }],
      [ENT.toUpperCase()]: { Department: "R&D", manager: "m-1" },
      [`${ENT}:costCenter`]: "CC",
    },
    expected: {
      resource: { userName: "a", active: false, emails: [{ value: "x@y", primary: true }], [ENT]: { department: "R&D", manager: { value: "m-1" }, costCenter: "CC" } },
    },
  },
  {
    name: "read-only values are stripped silently (id, meta, groups, manager.displayName)",
    type: "User",
    body: { id: "x", meta: { version: "1" }, userName: "a", groups: [{ value: "g" }], [ENT]: { manager: { value: "m", displayName: "Boss" } } },
    expected: { resource: { userName: "a", [ENT]: { manager: { value: "m" } } } },
  },
  {
    name: "nulls and empty values are unassigned; duplicate values collapse; $ref null dropped",
    type: "User",
    body: { userName: "a", title: null, emails: [{ value: "x" }, { value: "x" }], name: {}, photos: null, [ENT]: { manager: { value: "" } } },
    expected: { resource: { userName: "a", emails: [{ value: "x" }] } },
  },
  {
    name: "members deduplicated; members null means an empty list",
    type: "Group",
    body: { displayName: "G", members: [{ value: "a", $ref: null, type: "User" }, { value: "a" }] },
    expected: { resource: { displayName: "G" }, members: ["a"] },
  },
  {
    name: "a group without members has no members key",
    type: "Group",
    body: { displayName: "G", externalId: "e" },
    expected: { resource: { displayName: "G", externalId: "e" } },
  },
  {
    name: "unicode is kept",
    type: "User",
    body: { userName: "zoë@例え.jp", displayName: "Zoë \u{1F600}" },
    expected: { resource: { userName: "zoë@例え.jp", displayName: "Zoë \u{1F600}" } },
  },
];

describe("normalizeResource: accepted bodies", () => {
  for (const row of ok) {
    test(row.name, () => {
      const input = deepFreeze(structuredClone(row.body));
      assert.deepEqual(normalizeResource(row.type, input), row.expected);
    });
  }

  test("the result shares no objects with the body", () => {
    const input = { userName: "a", emails: [{ value: "x" }] };
    const r = normalizeResource("User", input);
    assert.notEqual((r.resource.emails as unknown[])[0], input.emails[0]);
  });
});

describe("normalizeResource: refused bodies", () => {
  const bad: [string, "User" | "Group", unknown, ScimType][] = [
    ["not an object", "User", "x", "invalidSyntax"],
    ["an array", "User", [], "invalidSyntax"],
    ["userName missing", "User", { displayName: "x" }, "invalidValue"],
    ["userName empty", "User", { userName: "" }, "invalidValue"],
    ["group displayName missing", "Group", { members: [] }, "invalidValue"],
    ["unknown attribute", "User", { userName: "a", shoeSize: 9 }, "invalidValue"],
    ["unknown extension attribute", "User", { userName: "a", [ENT]: { shoeSize: 9 } }, "invalidValue"],
    ["unknown extension schema", "User", { userName: "a", "urn:ietf:params:scim:schemas:extension:custom:2.0:User": { x: 1 } }, "invalidValue"],
    ["dotted key", "User", { userName: "a", "name.givenName": "x" }, "invalidValue"],
    ["members on a User", "User", { userName: "a", members: [] }, "invalidValue"],
    ["password on a Group", "Group", { displayName: "g", password: "x" }, "invalidValue"],
    ["active not a boolean", "User", { userName: "a", active: "maybe" }, "invalidValue"],
    ["an object for a string", "User", { userName: { value: "a" } }, "invalidValue"],
    ["an array for a single value", "User", { userName: ["a"] }, "invalidValue"],
    ["two primaries", "User", { userName: "a", emails: [{ value: "x", primary: true }, { value: "y", primary: "true" }] }, "invalidValue"],
    ["unknown sub-attribute", "User", { userName: "a", name: { nick: "x" } }, "invalidValue"],
    ["member without a value", "Group", { displayName: "g", members: [{ display: "x" }] }, "invalidValue"],
    ["member with a numeric value", "Group", { displayName: "g", members: [{ value: 1 }] }, "invalidValue"],
    ["nested group member", "Group", { displayName: "g", members: [{ value: "g2", type: "Group" }] }, "invalidValue"],
    ["password not a string", "User", { userName: "a", password: 1 }, "invalidValue"],
    ["extension not an object", "User", { userName: "a", [ENT]: "x" }, "invalidValue"],
    ["more than 1000 values", "User", { userName: "a", entitlements: Array.from({ length: 1001 }, (_, i) => ({ value: `e${i}` })) }, "invalidValue"],
  ];
  for (const [name, type, input, scimType] of bad) {
    test(`refuses ${name}`, () => expectScimError(() => normalizeResource(type, input), scimType));
  }

  const hostile = [
    '{"userName":"a","__proto__":{"polluted":1}}',
    '{"userName":"a","constructor":{"prototype":{"polluted":1}}}',
    '{"userName":"a","name":{"__proto__":{"polluted":1}}}',
    '{"userName":"a","emails":[{"value":"x","__proto__":{"polluted":1}}]}',
    `{"userName":"a","${ENT}":{"__proto__":{"polluted":1}}}`,
    '{"displayName":"g","members":[{"value":"a","__proto__":{"polluted":1}}]}',
    '{"userName":"a","prototype":1}',
  ];
  for (const json of hostile) {
    test(`refuses forbidden keys and pollutes nothing: ${json}`, () => {
      const type = json.includes("members") ? "Group" : "User";
      expectScimError(() => normalizeResource(type, JSON.parse(json)), "invalidValue");
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
});
