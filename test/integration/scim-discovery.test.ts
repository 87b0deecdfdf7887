import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { assertScimError } from "../helpers/security.ts";

const h = await useHarness();
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

test("/ServiceProviderConfig advertises patch, bulk, filter, sort, etag and both pagination methods", async () => {
  const { token } = await h.createTenant();
  const r = await h.scim(token, "GET", "/ServiceProviderConfig");
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers.get("content-type") ?? "", /^application\/scim\+json/);
  assert.deepEqual(r.body.schemas, ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
  for (const k of ["patch", "bulk", "filter", "sort", "etag", "changePassword"]) assert.equal(r.body[k].supported, true, `${k}: ${show(r)}`);
  assert.equal(r.body.bulk.maxOperations, h.container.config.SCIM_MAX_BULK_OPERATIONS);
  assert.equal(r.body.filter.maxResults, h.container.config.SCIM_MAX_PAGE_SIZE);
  assert.equal(r.body.pagination.cursor, true);
  assert.equal(r.body.pagination.index, true);
  assert.equal(r.body.authenticationSchemes[0].type, "oauthbearertoken");
});

test("/ResourceTypes lists User and Group; /ResourceTypes/User names its schema and extension", async () => {
  const { token } = await h.createTenant();
  const list = await h.scim(token, "GET", "/ResourceTypes");
  assert.equal(list.status, 200, show(list));
  assert.equal(list.body.totalResults, 2);
  assert.deepEqual(list.body.Resources.map((r: any) => r.id).sort(), ["Group", "User"]);
  const u = await h.scim(token, "GET", "/ResourceTypes/User");
  assert.equal(u.status, 200, show(u));
  assert.equal(u.body.endpoint, "/Users");
  assert.equal(u.body.schema, USER);
  assert.deepEqual(u.body.schemaExtensions, [{ schema: ENT, required: false }]);
  const g = await h.scim(token, "GET", "/ResourceTypes/Group");
  assert.equal(g.body.schema, GROUP, show(g));
  assertScimError(await h.scim(token, "GET", "/ResourceTypes/Device"), 404);
});

test("/Schemas lists the three schemas and /Schemas/{urn} returns each; unknown is 404", async () => {
  const { token } = await h.createTenant();
  const list = await h.scim(token, "GET", "/Schemas");
  assert.equal(list.status, 200, show(list));
  assert.deepEqual(list.body.Resources.map((s: any) => s.id).sort(), [ENT, GROUP, USER].sort());
  for (const urn of [USER, ENT, GROUP]) {
    const r = await h.scim(token, "GET", `/Schemas/${urn}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.id, urn);
    assert.ok(r.body.attributes.length > 0);
  }
  assertScimError(await h.scim(token, "GET", "/Schemas/urn:example:nope"), 404);
  assertScimError(await h.scim(token, "GET", "/Nope"), 404);
});

function sample(attr: any, i: number): unknown {
  switch (attr.type) {
    case "string":
      return attr.canonicalValues?.[0] ?? `${attr.name}-${i}`;
    case "reference":
      return `https://example.com/${attr.name}/${i}`;
    case "binary":
      return Buffer.from(`bin-${i}`).toString("base64");
    case "boolean":
      return attr.name === "active" ? false : true;
    case "dateTime":
      return "2024-01-02T03:04:05Z";
    case "integer":
      return i;
    case "decimal":
      return i + 0.5;
    case "complex": {
      const o: Record<string, unknown> = {};
      for (const s of attr.subAttributes ?? []) if (s.mutability !== "readOnly") o[s.name] = sample(s, i);
      return attr.multiValued ? [o] : o;
    }
  }
  throw new Error(`no sample for ${attr.type}`);
}

test("every writable attribute advertised in /Schemas is accepted on create and round-trips; password is never returned", async () => {
  const { token } = await h.createTenant();
  const manager = await h.scim(token, "POST", "/Users", { userName: "the-manager" });
  const core = (await h.scim(token, "GET", `/Schemas/${USER}`)).body;
  const ent = (await h.scim(token, "GET", `/Schemas/${ENT}`)).body;
  const pw = core.attributes.find((a: any) => a.name === "password");
  assert.equal(pw.returned, "never");
  assert.equal(pw.mutability, "writeOnly");
  const body: Record<string, any> = { schemas: [USER, ENT] };
  for (const a of core.attributes) if (a.mutability !== "readOnly") body[a.name] = sample(a, 1);
  body[ENT] = {};
  for (const a of ent.attributes) if (a.mutability !== "readOnly") body[ENT][a.name] = sample(a, 2);
  body[ENT].manager = { value: manager.body.id };
  body.password = "Secr3t-Passw0rd!";
  const r = await h.scim(token, "POST", "/Users", body);
  assert.equal(r.status, 201, show(r));
  const got = await h.scim(token, "GET", `/Users/${r.body.id}`);
  for (const a of core.attributes) {
    if (a.mutability === "readOnly" || a.returned === "never") continue;
    assert.deepEqual(got.body[a.name], body[a.name], `${a.name}: ${show(got)}`);
  }
  for (const a of ent.attributes) {
    if (a.mutability === "readOnly") continue;
    assert.deepEqual(got.body[ENT][a.name], body[ENT][a.name], `${ENT}:${a.name}: ${show(got)}`);
  }
  for (const res of [r, got, await h.scim(token, "GET", "/Users?attributes=password"), await h.scim(token, "GET", `/Users/${r.body.id}?attributes=password`)]) {
    assert.ok(!res.text.includes("Secr3t-Passw0rd!"), show(res));
    assert.ok(!/"password"/.test(res.text), show(res));
  }
});

test("every writable Group attribute advertised in /Schemas round-trips", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "m" });
  const schema = (await h.scim(token, "GET", `/Schemas/${GROUP}`)).body;
  assert.deepEqual(schema.attributes.map((a: any) => a.name).sort(), ["displayName", "members"]);
  const members = schema.attributes.find((a: any) => a.name === "members");
  assert.deepEqual(members.subAttributes.find((s: any) => s.name === "$ref").referenceTypes, ["User"]);
  const r = await h.scim(token, "POST", "/Groups", { displayName: "All", members: [{ value: u.body.id, type: "User" }] });
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.members[0].value, u.body.id);
});

test("id is returned always even when not asked for, and meta follows attributes", async () => {
  const { token } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "proj", title: "T", emails: [{ value: "p@x.io", type: "work" }] });
  const r = await h.scim(token, "GET", `/Users/${u.body.id}?attributes=emails.value`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.id, u.body.id);
  assert.deepEqual(r.body.emails, [{ value: "p@x.io" }], show(r));
  assert.equal(r.body.userName, undefined, show(r));
  const ex = await h.scim(token, "GET", `/Users/${u.body.id}?excludedAttributes=title,id,emails`);
  assert.equal(ex.body.id, u.body.id, "id cannot be excluded: " + show(ex));
  assert.equal(ex.body.title, undefined, show(ex));
  assert.equal(ex.body.emails, undefined, show(ex));
  assert.equal(ex.body.userName, "proj");
});
