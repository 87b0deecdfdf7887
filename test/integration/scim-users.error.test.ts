import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

test("malformed JSON is 400 invalidSyntax", async () => {
  const { token } = await h.createTenant();
  for (const body of ['{"userName": ', "not json", "{'userName':'x'}"]) {
    assertScimError(await h.scim(token, "POST", "/Users", body), 400, "invalidSyntax");
  }
  const u = await h.scim(token, "POST", "/Users", { userName: "x" });
  assertScimError(await h.scim(token, "PUT", `/Users/${u.body.id}`, "{"), 400, "invalidSyntax");
  assertScimError(await h.scim(token, "PATCH", `/Users/${u.body.id}`, "{"), 400, "invalidSyntax");
});

test("an empty body and a non-object body are 400 invalidSyntax", async () => {
  const { token } = await h.createTenant();
  assertScimError(await h.scim(token, "POST", "/Users", ""), 400, "invalidSyntax");
  for (const body of ["[]", "null", "42", '"x"']) assertScimError(await h.scim(token, "POST", "/Users", body), 400, "invalidSyntax");
});

test("a missing or blank userName is 400 invalidValue", async () => {
  const { token } = await h.createTenant();
  for (const body of [{}, { userName: "" }, { userName: "   " }, { displayName: "x" }, { userName: null }]) {
    assertScimError(await h.scim(token, "POST", "/Users", body), 400, "invalidValue");
  }
});

test("wrong attribute types are 400 invalidValue", async () => {
  const { token } = await h.createTenant();
  for (const body of [
    { userName: 42 },
    { userName: ["a"] },
    { userName: "t1", active: "maybe" },
    { userName: "t2", name: "Ada" },
    { userName: "t3", emails: "a@b.c" },
    { userName: "t4", emails: [{ value: 5 }] },
    { userName: "t5", emails: [{ value: "a@b", primary: true }, { value: "c@d", primary: true }] },
    { userName: "t6", displayName: { x: 1 } },
  ]) {
    assertScimError(await h.scim(token, "POST", "/Users", body), 400, "invalidValue");
  }
  assert.equal((await h.scim(token, "GET", "/Users")).body.totalResults, 0, "nothing was created");
});

test("an unknown attribute is 400 invalidValue", async () => {
  const { token } = await h.createTenant();
  assertScimError(await h.scim(token, "POST", "/Users", { userName: "u", favouriteColour: "blue" }), 400, "invalidValue");
  assertScimError(await h.scim(token, "POST", "/Users", { userName: "u", "urn:example:custom:1.0:User": { x: 1 } }), 400, "invalidValue");
});

test("returns 409 uniqueness when userName differs only by case", async () => {
  const { token } = await h.createTenant();
  assert.equal((await h.scim(token, "POST", "/Users", { userName: "Ada@Acme.com" })).status, 201);
  assertScimError(await h.scim(token, "POST", "/Users", { userName: "ada@acme.COM" }), 409, "uniqueness");
});

test("renaming onto an existing userName (any case) is 409 uniqueness on PUT and PATCH, and changes nothing", async () => {
  const { token } = await h.createTenant();
  await h.scim(token, "POST", "/Users", { userName: "taken" });
  const b = await h.scim(token, "POST", "/Users", { userName: "free" });
  assertScimError(await h.scim(token, "PUT", `/Users/${b.body.id}`, { userName: "TAKEN" }), 409, "uniqueness");
  assertScimError(await h.scim(token, "PATCH", `/Users/${b.body.id}`, patch({ op: "replace", path: "userName", value: "Taken" })), 409, "uniqueness");
  const after = await h.scim(token, "GET", `/Users/${b.body.id}`);
  assert.equal(after.body.userName, "free", show(after));
  assert.equal(after.body.meta.version, b.body.meta.version, show(after));
});

test("a user may change the case of its own userName", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "case" });
  const r = await h.scim(token, "PATCH", `/Users/${u.body.id}`, patch({ op: "replace", path: "userName", value: "CASE" }));
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.userName, "CASE", show(r));
});

test("duplicate externalId is 409 uniqueness", async () => {
  const { token } = await h.createTenant();
  assert.equal((await h.scim(token, "POST", "/Users", { userName: "e1", externalId: "ext-1" })).status, 201);
  assertScimError(await h.scim(token, "POST", "/Users", { userName: "e2", externalId: "ext-1" }), 409, "uniqueness");
  const other = await h.scim(token, "POST", "/Users", { userName: "e3", externalId: "ext-3" });
  assertScimError(await h.scim(token, "PATCH", `/Users/${other.body.id}`, patch({ op: "replace", path: "externalId", value: "ext-1" })), 409, "uniqueness");
});

test("the same userName is fine in two tenants", async () => {
  const a = await h.createTenant();
  const b = await h.createTenant();
  assert.equal((await h.scim(a.token, "POST", "/Users", { userName: "same", externalId: "x" })).status, 201);
  const r = await h.scim(b.token, "POST", "/Users", { userName: "same", externalId: "x" });
  assert.equal(r.status, 201, show(r));
});

test("an unknown id is 404 with a SCIM error on every method", async () => {
  const { token } = await h.createTenant();
  const id = "0195f0f0-0000-7000-8000-000000000000";
  assertScimError(await h.scim(token, "GET", `/Users/${id}`), 404);
  assertScimError(await h.scim(token, "PUT", `/Users/${id}`, { userName: "x" }), 404);
  assertScimError(await h.scim(token, "PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "x" })), 404);
  assertScimError(await h.scim(token, "DELETE", `/Users/${id}`), 404);
  assertScimError(await h.scim(token, "GET", `/Users/not-a-uuid`), 404);
});

test("read-only attributes in a PATCH are 400 mutability", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "ro" });
  for (const op of [
    { op: "replace", path: "id", value: "other" },
    { op: "replace", path: "meta.created", value: "2020-01-01T00:00:00Z" },
    { op: "add", path: "groups", value: [{ value: "g" }] },
    { op: "replace", path: "meta", value: { version: "x" } },
    { op: "replace", value: { id: "another-id" } },
  ]) {
    assertScimError(await h.scim(token, "PATCH", `/Users/${u.body.id}`, patch(op)), 400, "mutability");
  }
  const after = await h.scim(token, "GET", `/Users/${u.body.id}`);
  assert.equal(after.body.meta.version, u.body.meta.version, show(after));
});

test("read-only attributes in POST and PUT bodies are ignored (RFC 7644 §3.3)", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Users", { userName: "ign", id: "mine", meta: { version: "W/\"9\"" }, groups: [{ value: "g" }] });
  assert.equal(r.status, 201, show(r));
  assert.notEqual(r.body.id, "mine", show(r));
  const p = await h.scim(token, "PUT", `/Users/${r.body.id}`, { userName: "ign", id: "other" });
  assert.equal(p.status, 200, show(p));
  assert.equal(p.body.id, r.body.id, show(p));
});

test("PATCH paths: bad paths are invalidPath, remove without path is noTarget, __proto__ is rejected", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "paths" });
  const cases: [unknown, string][] = [
    [{ op: "replace", path: "nope", value: "x" }, "invalidPath"],
    [{ op: "replace", path: "emails[type eq \"work\"", value: "x" }, "invalidPath"],
    [{ op: "replace", path: "name.givenName.more", value: "x" }, "invalidPath"],
    [{ op: "replace", path: "urn:example:nope:title", value: "x" }, "invalidPath"],
    [{ op: "replace", path: "__proto__", value: { polluted: true } }, "invalidPath"],
    [{ op: "replace", path: "name.__proto__", value: "x" }, "invalidPath"],
    [{ op: "remove" }, "noTarget"],
    [{ op: "move", path: "title", value: "x" }, "invalidSyntax"],
    [{ op: "replace", path: "title" }, "invalidValue"],
  ];
  for (const [op, type] of cases) {
    assertScimError(await h.scim(token, "PATCH", `/Users/${u.body.id}`, patch(op)), 400, type);
  }
  // JSON.stringify drops a literal __proto__ key, so send it as text too.
  const raw = `{"schemas":["${PATCH}"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}`;
  assertScimError(await h.scim(token, "PATCH", `/Users/${u.body.id}`, raw), 400, "invalidPath");
  const rawPost = '{"userName":"p","__proto__":{"polluted":true}}';
  assertScimError(await h.scim(token, "POST", "/Users", rawPost), 400, "invalidValue");
  assert.equal(({} as any).polluted, undefined);
  const after = await h.scim(token, "GET", `/Users/${u.body.id}`);
  assert.equal(after.body.meta.version, u.body.meta.version, show(after));
});

test("PATCH envelope errors are 400 invalidSyntax", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "env" });
  for (const body of [{ Operations: [{ op: "add", path: "title", value: "x" }] }, { schemas: [PATCH] }, { schemas: [PATCH], Operations: [] }, { schemas: [PATCH], Operations: ["x"] }]) {
    assertScimError(await h.scim(token, "PATCH", `/Users/${u.body.id}`, body), 400, "invalidSyntax");
  }
});

test("text/plain is 415 as a SCIM error", async () => {
  const { token } = await h.createTenant();
  const r = await h.request("POST", "/scim/v2/Users", { token, body: JSON.stringify({ userName: "x" }), headers: { "content-type": "text/plain" } });
  assertScimError(r, 415);
  assert.equal((await h.scim(token, "GET", "/Users")).body.totalResults, 0);
});

test("a body over maxPayloadSize is 413", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "POST", "/Users", { userName: "big", title: "x".repeat(1_100_000) });
  assertScimError(r, 413);
});

test("hostile bodies never cause a 5xx", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "victim" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "victims" });
  const junk: unknown[] = [
    [], [null], null, 0, -1, 1e308, true, "", "x".repeat(100_000), "\u0000", "\ud800", "😀".repeat(1000),
    { userName: "\u0000nul" }, { userName: "x".repeat(10_000) }, { userName: "ok", name: { givenName: { deep: { deeper: [1, 2] } } } },
    { userName: "ok2", emails: [[[]]] }, { userName: "ok3", emails: [null] }, { userName: "ok4", emails: [{ value: null }] },
    { userName: "ok5", active: null }, { userName: "ok6", addresses: [{ country: 1 }] }, { userName: "ok7", x509Certificates: [{ value: {} }] },
    { userName: "ok8", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": [] },
    { userName: "ok9", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: 5 } },
    { userName: "ok10", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: { $ne: 1 } } } },
    { userName: "ok11", schemas: "nope" }, { userName: "ok12", schemas: [1, null] }, { userName: "ok13", meta: null, id: null },
    { userName: "ok14", password: 123 }, { userName: "ok15", phoneNumbers: [{ value: "1", type: { a: 1 } }] },
    { userName: "\u202eRTL\u200b" }, { userName: "ok16", profileUrl: "javascript:alert(1)" },
    { Operations: null, schemas: [PATCH] }, { schemas: [PATCH], Operations: [{ op: "add", path: "emails", value: [[1]] }] },
    { schemas: [PATCH], Operations: [{ op: "replace", path: "emails[value co 5]", value: "x" }] },
    { schemas: [PATCH], Operations: [{ op: "replace", path: "x".repeat(5000), value: "x" }] },
    { schemas: [PATCH], Operations: [{ op: "replace", path: "emails[" + "(".repeat(500) + "]", value: "x" }] },
    { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: null }, {}, 7, "id"] }] },
    { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: null }] },
    { schemas: [PATCH], Operations: [{ op: "add", value: [] }] },
    { schemas: [PATCH], Operations: Array.from({ length: 1001 }, () => ({ op: "add", path: "title", value: "x" })) },
    { displayName: "gg", members: "all" }, { displayName: "gg2", members: [{ value: ["x"] }] }, { displayName: 7 },
  ];
  const targets: [string, string][] = [
    ["POST", "/Users"], ["PUT", `/Users/${u.body.id}`], ["PATCH", `/Users/${u.body.id}`],
    ["POST", "/Groups"], ["PUT", `/Groups/${g.body.id}`], ["PATCH", `/Groups/${g.body.id}`],
    ["POST", "/.search"], ["POST", "/Users/.search"], ["POST", "/Bulk"],
  ];
  for (const [method, path] of targets) {
    for (const body of junk) {
      const r = await h.scim(token, method, path, body === undefined ? "null" : JSON.stringify(body));
      assert.ok(r.status < 500, `${method} ${path} ${JSON.stringify(body)?.slice(0, 200)}\n${show(r)}`);
      if (r.status >= 400) assertScimError(r, r.status);
    }
  }
});

test("hostile query strings never cause a 5xx", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "q" });
  const queries = [
    "startIndex=abc", "count=-5", "count=1e309", "startIndex=99999999999999999999", "count=1.5", "sortBy=__proto__", "sortBy=emails",
    "sortBy=nope", "sortOrder=sideways", "attributes=__proto__", "excludedAttributes=" + "a,".repeat(2000), "cursor=%00", "cursor=abc&startIndex=1",
    "filter=" + encodeURIComponent("userName eq"), "filter=" + encodeURIComponent("\u0000"), "filter=" + encodeURIComponent('userName eq "\\u0000"'),
    "filter=" + encodeURIComponent('meta.created gt "not-a-date"'), "filter=" + encodeURIComponent("active eq 5"), "filter=" + encodeURIComponent('active eq "yes"'),
    "filter=" + encodeURIComponent('meta.lastModified gt "2020-13-45T99:99:99Z"'), "filter=" + encodeURIComponent("emails[value pr"),
  ];
  for (const q of queries) {
    for (const path of ["/Users", "/Groups", `/Users/${u.body.id}`]) {
      const r = await h.scim(token, "GET", `${path}?${q}`);
      assert.ok(r.status < 500, `${path}?${q}\n${show(r)}`);
      if (r.status >= 400) assertScimError(r, r.status);
    }
  }
});
