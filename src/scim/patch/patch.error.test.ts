// Errors, hostile input and atomicity of the PATCH engine. Each row names the RFC 7644 §3.12
// scimType it must produce; inputs are deep-frozen so a half-applied change cannot hide.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAppError, type ScimType } from "../../errors.ts";
import type { AttributeDef } from "../schemas/index.ts";
import { attr, multiValued } from "../schemas/index.ts";
import { applyPatch, applyPatchWith, type ResourceSchema } from "./index.ts";
import { topOf } from "./schema.ts";
import { body, deepFreeze, ENT, PATCH_OP, type Obj } from "./test-fixtures.ts";

const user = (): Obj => ({
  id: "u-1",
  userName: "alice@example.com",
  active: true,
  name: { givenName: "Alice" },
  emails: [{ value: "alice@example.com", type: "work", primary: true }],
  [ENT]: { manager: { value: "m-1" } },
});
const group = (): Obj => ({ id: "g-1", displayName: "Eng" });

function expectScimError(fn: () => unknown, scimType: ScimType): void {
  let thrown: unknown;
  try {
    const r = fn();
    assert.fail(`expected 400 ${scimType}, got a result: ${JSON.stringify(r)}`);
  } catch (e) {
    thrown = e;
  }
  assert.ok(isAppError(thrown), `expected an AppError, got ${String(thrown)}`);
  assert.equal(thrown.status, 400, thrown.message);
  assert.equal(thrown.scimType, scimType, `${thrown.scimType}: ${thrown.message}`);
}

interface ErrorRow {
  name: string;
  type?: "User" | "Group";
  current?: () => Obj;
  body: unknown;
  scimType: ScimType;
}

function runErrors(rows: ErrorRow[]): void {
  for (const row of rows) {
    test(row.name, () => {
      const current = deepFreeze((row.current ?? (row.type === "Group" ? group : user))());
      const snapshot = JSON.stringify(current);
      expectScimError(() => applyPatch(row.type ?? "User", current, typeof row.body === "object" ? deepFreeze(row.body) : row.body), row.scimType);
      assert.equal(JSON.stringify(current), snapshot);
    });
  }
}

describe("PATCH errors: the PatchOp envelope", () => {
  runErrors([
    { name: "body is not an object", body: "nope", scimType: "invalidSyntax" },
    { name: "body is an array", body: [], scimType: "invalidSyntax" },
    { name: "schemas missing", body: { Operations: [{ op: "add", path: "title", value: "x" }] }, scimType: "invalidSyntax" },
    { name: "schemas is the User schema", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [] }, scimType: "invalidSyntax" },
    { name: "schemas is a string", body: { schemas: PATCH_OP, Operations: [{ op: "add", path: "title", value: "x" }] }, scimType: "invalidSyntax" },
    { name: "Operations missing", body: { schemas: [PATCH_OP] }, scimType: "invalidSyntax" },
    { name: "Operations is an object", body: { schemas: [PATCH_OP], Operations: { op: "add" } }, scimType: "invalidSyntax" },
    { name: "Operations is empty", body: body(), scimType: "invalidSyntax" },
    { name: "an operation is not an object", body: body("add"), scimType: "invalidSyntax" },
    { name: "op is unknown (copy)", body: body({ op: "copy", path: "title", value: "x" }), scimType: "invalidSyntax" },
    { name: "op missing", body: body({ path: "title", value: "x" }), scimType: "invalidSyntax" },
    { name: "path is a number", body: body({ op: "add", path: 42, value: "x" }), scimType: "invalidPath" },
    { name: "add without value", body: body({ op: "add", path: "title" }), scimType: "invalidValue" },
    { name: "pathless replace with null value", body: body({ op: "replace", value: null }), scimType: "invalidValue" },
    { name: "pathless add with a non-object value", body: body({ op: "add", value: ["title"] }), scimType: "invalidValue" },
    {
      name: "1001 operations are refused (invalidValue, README)",
      body: body(...Array.from({ length: 1001 }, () => ({ op: "replace", path: "title", value: "x" }))),
      scimType: "invalidValue",
    },
    {
      name: "10k operations are refused",
      body: body(...Array.from({ length: 10_000 }, (_, i) => ({ op: "add", path: "title", value: String(i) }))),
      scimType: "invalidValue",
    },
  ]);

  test("1000 operations are accepted", () => {
    const r = applyPatch("User", user(), body(...Array.from({ length: 1000 }, (_, i) => ({ op: "replace", path: "title", value: `t${i}` }))));
    assert.equal(r.resource.title, "t999");
  });
});

describe("PATCH errors: targets (noTarget, mutability, invalidPath)", () => {
  runErrors([
    { name: "remove without a path is noTarget (§3.5.2.2)", body: body({ op: "remove" }), scimType: "noTarget" },
    { name: "remove with an empty path is noTarget", body: body({ op: "remove", path: "" }), scimType: "noTarget" },
    { name: "Entra-style remove members value without path is noTarget", type: "Group", body: body({ op: "Remove", value: [{ value: "x" }] }), scimType: "noTarget" },
    {
      // RFC 7644 §3.5.2.3: "SHALL indicate failure … noTarget" (only add creates the element).
      name: "replace on a value filter that matches nothing is noTarget",
      body: body({ op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6" }),
      scimType: "noTarget",
    },
    {
      name: "replace on a filter that matches nothing and cannot describe an element is noTarget",
      body: body({ op: "replace", path: 'emails[type eq "home" or type eq "other"].value', value: "x@y" }),
      scimType: "noTarget",
    },
    { name: "add with a `ne` filter that matches nothing is noTarget", body: body({ op: "add", path: 'emails[type ne "work"].value', value: "x" }), scimType: "noTarget" },
    { name: "remove with the core URN as path (the whole resource) is noTarget", body: body({ op: "remove", path: "urn:ietf:params:scim:schemas:core:2.0:User" }), scimType: "noTarget" },
    { name: "replace id", body: body({ op: "replace", path: "id", value: "other" }), scimType: "mutability" },
    { name: "remove id", body: body({ op: "remove", path: "id" }), scimType: "mutability" },
    { name: "replace meta", body: body({ op: "replace", path: "meta", value: {} }), scimType: "mutability" },
    { name: "replace meta.version", body: body({ op: "replace", path: "meta.version", value: "W/1" }), scimType: "mutability" },
    { name: "add groups on a User", body: body({ op: "add", path: "groups", value: [{ value: "g" }] }), scimType: "mutability" },
    { name: "remove groups[value eq \"g\"] on a User", body: body({ op: "remove", path: 'groups[value eq "g"]' }), scimType: "mutability" },
    { name: "replace schemas", body: body({ op: "replace", path: "schemas", value: [] }), scimType: "mutability" },
    { name: "replace manager.displayName", body: body({ op: "replace", path: `${ENT}:manager.displayName`, value: "B" }), scimType: "mutability" },
    { name: "replace members.display", type: "Group", body: body({ op: "replace", path: "members.display", value: "x" }), scimType: "mutability" },
    { name: 'replace members[value eq "a"].display', type: "Group", body: body({ op: "replace", path: 'members[value eq "a"].display', value: "x" }), scimType: "mutability" },
    { name: "pathless replace with a different id", body: body({ op: "replace", value: { id: "someone-else" } }), scimType: "mutability" },
    { name: "pathless replace with meta", body: body({ op: "replace", value: { meta: { version: "x" } } }), scimType: "mutability" },
    { name: "unknown attribute", body: body({ op: "add", path: "favouriteColour", value: "x" }), scimType: "invalidPath" },
    { name: "unknown enterprise attribute", body: body({ op: "add", path: `${ENT}:shoeSize`, value: "x" }), scimType: "invalidPath" },
    { name: "unknown schema URN", body: body({ op: "add", path: "urn:ietf:params:scim:schemas:extension:custom:2.0:User:x", value: "x" }), scimType: "invalidPath" },
    { name: "enterprise path on a Group", type: "Group", body: body({ op: "add", path: `${ENT}:department`, value: "x" }), scimType: "invalidPath" },
    { name: "members on a User", body: body({ op: "add", path: "members", value: [{ value: "x" }] }), scimType: "invalidPath" },
    { name: "password on a Group", type: "Group", body: body({ op: "replace", path: "password", value: "x" }), scimType: "invalidPath" },
    { name: "unknown sub-attribute", body: body({ op: "replace", path: "name.nickname", value: "x" }), scimType: "invalidPath" },
    { name: "sub-attribute of a simple attribute", body: body({ op: "replace", path: "userName.value", value: "x" }), scimType: "invalidPath" },
    { name: "three levels", body: body({ op: "replace", path: "name.givenName.first", value: "x" }), scimType: "invalidPath" },
    { name: "filter on a single-valued attribute", body: body({ op: "replace", path: 'name[givenName eq "A"].familyName', value: "x" }), scimType: "invalidPath" },
    { name: "password sub-attribute", body: body({ op: "replace", path: "password.value", value: "x" }), scimType: "invalidPath" },
    { name: "add on a filtered members path", type: "Group", body: body({ op: "add", path: 'members[value eq "a"]', value: { value: "a" } }), scimType: "invalidPath" },
    { name: "members.value", type: "Group", body: body({ op: "remove", path: "members.value" }), scimType: "invalidPath" },
    { name: "members filter other than value eq", type: "Group", body: body({ op: "remove", path: 'members[display eq "Bob"]' }), scimType: "invalidFilter" },
    { name: "members filter with and", type: "Group", body: body({ op: "remove", path: 'members[value eq "a" and type eq "User"]' }), scimType: "invalidFilter" },
  ]);
});

describe("PATCH errors: values (invalidValue)", () => {
  runErrors([
    { name: "a non-boolean string for active", body: body({ op: "replace", path: "active", value: "yes" }), scimType: "invalidValue" },
    { name: "a number for active", body: body({ op: "replace", path: "active", value: 0 }), scimType: "invalidValue" },
    { name: "Okta pathless replace with active \"no\"", body: body({ op: "replace", value: { active: "no" } }), scimType: "invalidValue" },
    { name: "an object for a string", body: body({ op: "replace", path: "displayName", value: { value: "x" } }), scimType: "invalidValue" },
    { name: "an array for a single-valued string", body: body({ op: "replace", path: "displayName", value: ["x"] }), scimType: "invalidValue" },
    { name: "a number for a string", body: body({ op: "replace", path: "title", value: 7 }), scimType: "invalidValue" },
    { name: "a string for a complex attribute", body: body({ op: "replace", path: "name", value: "Alice Smith" }), scimType: "invalidValue" },
    { name: "an array for a single complex attribute", body: body({ op: "replace", path: "name", value: [{ givenName: "A" }] }), scimType: "invalidValue" },
    { name: "a number as manager", body: body({ op: "replace", path: `${ENT}:manager`, value: 42 }), scimType: "invalidValue" },
    { name: "a manager without value", body: body({ op: "replace", path: `${ENT}:manager`, value: { $ref: "../Users/x" } }), scimType: "invalidValue", current: () => ({ id: "u", userName: "u" }) },
    { name: "a string as an email element", body: body({ op: "add", path: "emails", value: ["a@b"] }), scimType: "invalidValue" },
    { name: "an unknown sub-attribute in a value (README)", body: body({ op: "add", path: "emails", value: [{ value: "a@b", kind: "work" }] }), scimType: "invalidValue" },
    { name: "an empty element", body: body({ op: "add", path: "emails", value: [{}] }), scimType: "invalidValue" },
    { name: "a string for primary", body: body({ op: "add", path: "emails", value: [{ value: "a@b", primary: "yes" }] }), scimType: "invalidValue" },
    { name: "two primaries in one value", body: body({ op: "replace", path: "emails", value: [{ value: "a", primary: true }, { value: "b", primary: true }] }), scimType: "invalidValue" },
    {
      name: "primary set on two matched elements",
      current: () => ({ id: "u", userName: "u", emails: [{ value: "a", type: "work" }, { value: "b", type: "work" }] }),
      body: body({ op: "replace", path: 'emails[type eq "work"].primary', value: true }),
      scimType: "invalidValue",
    },
    { name: "removing userName (required)", body: body({ op: "remove", path: "userName" }), scimType: "invalidValue" },
    { name: "replacing userName with null", body: body({ op: "replace", path: "userName", value: null }), scimType: "invalidValue" },
    { name: "replacing userName with an empty string", body: body({ op: "replace", path: "userName", value: "" }), scimType: "invalidValue" },
    { name: "removing a group's displayName (required)", type: "Group", body: body({ op: "remove", path: "displayName" }), scimType: "invalidValue" },
    { name: "a member without value", type: "Group", body: body({ op: "add", path: "members", value: [{ display: "Bob" }] }), scimType: "invalidValue" },
    { name: "a member with a numeric value", type: "Group", body: body({ op: "add", path: "members", value: [{ value: 5 }] }), scimType: "invalidValue" },
    { name: "a member that is a string", type: "Group", body: body({ op: "add", path: "members", value: ["u-1"] }), scimType: "invalidValue" },
    { name: "a nested group as member", type: "Group", body: body({ op: "add", path: "members", value: [{ value: "g-2", type: "Group" }] }), scimType: "invalidValue" },
    { name: "a member with an unknown key", type: "Group", body: body({ op: "replace", path: "members", value: [{ value: "u", role: "owner" }] }), scimType: "invalidValue" },
    { name: "a non-string password", body: body({ op: "replace", path: "password", value: 123456 }), scimType: "invalidValue" },
    { name: "an empty password", body: body({ op: "replace", value: { password: "" } }), scimType: "invalidValue" },
    { name: "add with the extension URN as path and null", body: body({ op: "add", path: ENT, value: null }), scimType: "invalidValue" },
    {
      name: "an add that would grow a multi-valued attribute past 1000 values",
      current: () => ({ id: "u", userName: "u", entitlements: Array.from({ length: 1000 }, (_, i) => ({ value: `e${i}` })) }),
      body: body({ op: "add", path: "entitlements", value: [{ value: "one-more" }] }),
      scimType: "invalidValue",
    },
    { name: "the extension URN with a non-object value", body: body({ op: "add", value: { [ENT]: "R&D" } }), scimType: "invalidValue" },
  ]);
});

describe("PATCH errors: hostile paths and filters", () => {
  const deepParens = `${"(".repeat(40)}type eq "work"${")".repeat(40)}`;
  runErrors([
    { name: "unbalanced bracket (no close)", body: body({ op: "add", path: 'emails[type eq "work"', value: "x" }), scimType: "invalidPath" },
    { name: "unbalanced bracket (close only)", body: body({ op: "add", path: "emails]", value: "x" }), scimType: "invalidPath" },
    { name: "nested brackets", body: body({ op: "add", path: 'emails[[type eq "work"]]', value: "x" }), scimType: "invalidPath" },
    { name: "text after the filter", body: body({ op: "add", path: 'emails[type eq "work"]value', value: "x" }), scimType: "invalidPath" },
    { name: "quote swallowing the bracket", body: body({ op: "add", path: 'emails[type eq "work]', value: "x" }), scimType: "invalidPath" },
    { name: "10 kB path", body: body({ op: "add", path: `emails[value eq "${"a".repeat(10_000)}"]`, value: "x" }), scimType: "invalidPath" },
    { name: "unicode attribute name", body: body({ op: "add", path: "émails", value: "x" }), scimType: "invalidPath" },
    { name: "unicode escape in a name", body: body({ op: "add", path: "\u0000userName", value: "x" }), scimType: "invalidPath" },
    { name: "spaces in a name", body: body({ op: "add", path: "user Name", value: "x" }), scimType: "invalidPath" },
    { name: "empty filter", body: body({ op: "remove", path: "emails[]" }), scimType: "invalidFilter" },
    { name: "filter without value", body: body({ op: "remove", path: "emails[type eq]" }), scimType: "invalidFilter" },
    { name: "filter with unknown operator", body: body({ op: "remove", path: 'emails[type like "w"]' }), scimType: "invalidFilter" },
    { name: "filter with unquoted string", body: body({ op: "remove", path: "emails[type eq work]" }), scimType: "invalidFilter" },
    { name: "filter on an unknown sub-attribute", body: body({ op: "remove", path: 'emails[kind eq "w"]' }), scimType: "invalidFilter" },
    { name: "filter gt on a boolean", body: body({ op: "remove", path: "emails[primary gt true]" }), scimType: "invalidFilter" },
    { name: "filter co with a number", body: body({ op: "remove", path: "emails[value co 1]" }), scimType: "invalidFilter" },
    { name: "filter boolean compared with a word", body: body({ op: "remove", path: 'emails[primary eq "yes"]' }), scimType: "invalidFilter" },
    { name: "filter with a dangling and", body: body({ op: "remove", path: 'emails[type eq "w" and]' }), scimType: "invalidFilter" },
    { name: "filter with unbalanced parentheses", body: body({ op: "remove", path: 'emails[(type eq "w"]' }), scimType: "invalidFilter" },
    { name: "filter with a bad escape", body: body({ op: "remove", path: 'emails[value eq "\\q"]' }), scimType: "invalidFilter" },
    { name: "filter nested 40 deep", body: body({ op: "remove", path: `emails[${deepParens}]` }), scimType: "invalidFilter" },
    { name: "filter with a stray character", body: body({ op: "remove", path: 'emails[type eq "w" & value pr]' }), scimType: "invalidFilter" },
  ]);

  test("a long or-chain inside the brackets parses without deep recursion", () => {
    const terms = Array.from({ length: 50 }, (_, i) => `value eq "v${i}"`).join(" or ");
    const r = applyPatch("Group", group(), body({ op: "remove", path: `members[${terms}]` }));
    assert.equal(r.members.remove.length, 50);
  });

  test("a deeply nested value is refused without recursing into it", () => {
    const deep = JSON.parse(`{"givenName":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`) as unknown;
    expectScimError(() => applyPatch("User", user(), body({ op: "replace", path: "name", value: deep })), "invalidValue");
    expectScimError(() => applyPatch("Group", group(), body({ op: "add", path: "members", value: [{ value: deep }] })), "invalidValue");
  });
});

describe("PATCH security: prototype pollution", () => {
  // JSON.parse creates own "__proto__" keys, exactly like a request body does.
  const hostile: [string, string, ScimType][] = [
    ["path __proto__", '{"op":"add","path":"__proto__","value":{"polluted":1}}', "invalidPath"],
    ["path __proto__.polluted", '{"op":"add","path":"__proto__.polluted","value":1}', "invalidPath"],
    ["path constructor.prototype", '{"op":"add","path":"constructor.prototype","value":{"polluted":1}}', "invalidPath"],
    ["path prototype", '{"op":"replace","path":"prototype","value":1}', "invalidPath"],
    ["path name.__proto__", '{"op":"add","path":"name.__proto__","value":{"polluted":1}}', "invalidPath"],
    ["path name.constructor", '{"op":"add","path":"name.constructor","value":{"polluted":1}}', "invalidPath"],
    ["URN path …:User:__proto__", `{"op":"add","path":"${ENT}:__proto__","value":{"polluted":1}}`, "invalidPath"],
    ["filtered path ….__proto__", '{"op":"add","path":"emails[type eq \\"work\\"].__proto__","value":{"polluted":1}}', "invalidPath"],
    ["filter on __proto__", '{"op":"remove","path":"emails[__proto__ eq 1]"}', "invalidFilter"],
    ["pathless key __proto__", '{"op":"add","value":{"__proto__":{"polluted":1}}}', "invalidPath"],
    ["pathless key constructor", '{"op":"add","value":{"constructor":{"prototype":{"polluted":1}}}}', "invalidPath"],
    ["pathless extension key __proto__", `{"op":"add","value":{"${ENT}":{"__proto__":{"polluted":1}}}}`, "invalidPath"],
    ["value key __proto__ in a complex value", '{"op":"replace","path":"name","value":{"__proto__":{"polluted":1}}}', "invalidValue"],
    ["value key __proto__ in an element", '{"op":"add","path":"emails","value":[{"value":"a","__proto__":{"polluted":1}}]}', "invalidValue"],
    ["value key constructor in an element", '{"op":"add","path":"emails","value":[{"constructor":{"prototype":{"polluted":1}}}]}', "invalidValue"],
    ["value key __proto__ in a member", '{"op":"add","path":"members","value":[{"value":"a","__proto__":{"polluted":1}}]}', "invalidValue"],
  ];
  for (const [name, op, scimType] of hostile) {
    test(`refuses ${name} and pollutes nothing`, () => {
      const b = JSON.parse(`{"schemas":["${PATCH_OP}"],"Operations":[${op}]}`) as unknown;
      const type = op.includes('"members"') ? "Group" : "User";
      expectScimError(() => applyPatch(type, type === "Group" ? group() : user(), b), scimType);
      assert.equal(({} as Obj).polluted, undefined);
      assert.equal((Object.prototype as Obj).polluted, undefined);
    });
  }

  test("a current document carrying __proto__ data does not pollute either", () => {
    const current = JSON.parse('{"id":"u","userName":"u","__proto__":{"polluted":1}}') as Obj;
    const r = applyPatch("User", current, body({ op: "replace", path: "title", value: "t" }));
    assert.equal(r.resource.title, "t");
    assert.equal(({} as Obj).polluted, undefined);
  });
});

describe("PATCH atomicity", () => {
  const cases: [string, "User" | "Group", () => Obj, unknown[], ScimType][] = [
    ["a valid replace then an unknown path", "User", user, [{ op: "replace", path: "title", value: "x" }, { op: "add", path: "nope", value: 1 }], "invalidPath"],
    ["a valid add then a read-only path", "User", user, [{ op: "add", path: "emails", value: [{ value: "b@x" }] }, { op: "replace", path: "id", value: "x" }], "mutability"],
    ["several valid ops then a bad boolean", "User", user, [{ op: "replace", path: "active", value: false }, { op: "remove", path: "name" }, { op: "replace", path: "active", value: "nope" }], "invalidValue"],
    ["member changes then a bad member", "Group", group, [{ op: "add", path: "members", value: [{ value: "a" }] }, { op: "remove", path: "members" }, { op: "add", path: "members", value: [{}] }], "invalidValue"],
    ["a password then a remove without path", "User", user, [{ op: "replace", path: "password", value: "p" }, { op: "remove" }], "noTarget"],
  ];
  for (const [name, type, make, ops, scimType] of cases) {
    test(`${name}: throws and leaves the input untouched`, () => {
      const current = make(); // not frozen: prove no write happens even when one could
      const before = structuredClone(current);
      const b = body(...ops);
      const bodyBefore = structuredClone(b);
      expectScimError(() => applyPatch(type, current, b), scimType);
      assert.deepEqual(current, before);
      assert.deepEqual(b, bodyBefore);
    });
  }
});

describe("PATCH with a synthetic schema: immutable and caseExact", () => {
  const CORE = "urn:example:scim:schemas:Thing";
  const defs: AttributeDef[] = [
    attr("id", "string", "id", { mutability: "readOnly", caseExact: true }),
    attr("serial", "string", "set once", { mutability: "immutable" }),
    attr("label", "string", "free"),
    attr("badge", "complex", "complex with an immutable sub-attribute", {
      subAttributes: [attr("value", "string", "v"), attr("issuer", "string", "fixed", { mutability: "immutable" })],
    }),
    multiValued("keys", "case-exact values", "string", { valueOptions: { caseExact: true } }),
  ];
  const schema: ResourceSchema = {
    resourceType: "User",
    coreSchema: CORE,
    extensionSchemas: [],
    attributes: defs.map((d) => topOf({ attribute: d, schema: CORE, extension: false })),
    resolve(path) {
      const rest = path.toLowerCase().startsWith(`${CORE.toLowerCase()}:`) ? path.slice(CORE.length + 1) : path;
      const [top, sub] = rest.split(".");
      const a = defs.find((d) => d.name.toLowerCase() === top!.toLowerCase());
      if (!a) return undefined;
      const s = sub === undefined ? undefined : a.subAttributes?.find((d) => d.name.toLowerCase() === sub.toLowerCase());
      if (sub !== undefined && !s) return undefined;
      return { schema: CORE, attribute: a, sub: s, common: false, extension: false };
    },
  };
  const thing = () => deepFreeze({ id: "t", serial: "S-1", badge: { value: "b", issuer: "HQ" }, keys: [{ value: "AbC" }, { value: "abc" }] });

  test("an immutable attribute with no value may be set", () => {
    const r = applyPatchWith(schema, { id: "t" }, body({ op: "add", path: "serial", value: "S-9" }));
    assert.equal(r.resource.serial, "S-9");
  });
  test("an immutable attribute may be 'replaced' with the same value", () => {
    const r = applyPatchWith(schema, thing(), body({ op: "replace", path: "serial", value: "S-1" }));
    assert.deepEqual(r.changed, []);
  });
  test("changing an immutable attribute is 400 mutability", () => {
    expectScimError(() => applyPatchWith(schema, thing(), body({ op: "replace", path: "serial", value: "S-2" })), "mutability");
    expectScimError(() => applyPatchWith(schema, thing(), body({ op: "remove", path: "serial" })), "mutability");
    expectScimError(() => applyPatchWith(schema, thing(), body({ op: "replace", value: { label: "x", serial: "S-3" } })), "mutability");
  });
  test("changing an immutable sub-attribute is 400 mutability; others may change", () => {
    expectScimError(() => applyPatchWith(schema, thing(), body({ op: "replace", path: "badge.issuer", value: "Branch" })), "mutability");
    expectScimError(() => applyPatchWith(schema, thing(), body({ op: "remove", path: "badge" })), "mutability");
    const r = applyPatchWith(schema, thing(), body({ op: "replace", path: "badge.value", value: "c" }));
    assert.deepEqual(r.resource.badge, { value: "c", issuer: "HQ" });
  });
  test("filters on a caseExact sub-attribute compare exactly", () => {
    const r = applyPatchWith(schema, thing(), body({ op: "remove", path: 'keys[value eq "abc"]' }));
    assert.deepEqual(r.resource.keys, [{ value: "AbC" }]);
    const r2 = applyPatchWith(schema, thing(), body({ op: "remove", path: 'keys[value eq "ABC"]' }));
    assert.deepEqual(r2.changed, []);
  });
  test("add keeps values that differ only in case when caseExact", () => {
    const r = applyPatchWith(schema, thing(), body({ op: "add", path: "keys", value: [{ value: "ABC" }, { value: "abc" }] }));
    assert.deepEqual(r.resource.keys, [{ value: "AbC" }, { value: "abc" }, { value: "ABC" }]);
  });
});
