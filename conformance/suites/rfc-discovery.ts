// RFC 7644 §4 / RFC 7643 §5–7: discovery endpoints, and whether they agree with behaviour; authentication.
import { URN, check, equal, isObject, listResponse, scimError, scimJson, status } from "../assert.ts";
import type { CaseDef } from "../runner.ts";
import { patchOp } from "../fixtures.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

/** /ResourceTypes and /Schemas answer a ListResponse (RFC 7644 §4); a bare array is tolerated. */
function resourcesOf(body: J): J[] {
  if (Array.isArray(body)) return body;
  return Array.isArray(body?.Resources) ? body.Resources : [];
}

function findAttr(schema: J, name: string): J {
  return (schema?.attributes ?? []).find((a: J) => String(a?.name).toLowerCase() === name.toLowerCase());
}

export const rfcDiscoveryCases: CaseDef[] = [
  {
    id: "rfc-disc-spc", title: "ServiceProviderConfig has the schema and every capability with a boolean supported", source: "RFC 7643 §5",
    async run({ a }) {
      const res = await a.get("/ServiceProviderConfig");
      status(res, 200);
      check(Array.isArray(res.body?.schemas) && res.body.schemas.includes(URN.spc), `schemas must contain ${URN.spc}`, res);
      for (const f of ["patch", "bulk", "filter", "changePassword", "sort", "etag"]) {
        check(isObject(res.body[f]) && typeof res.body[f].supported === "boolean", `${f}.supported must be a boolean`, res);
      }
      check(Array.isArray(res.body.authenticationSchemes), "authenticationSchemes must be an array", res);
    },
  },
  {
    id: "rfc-disc-spc-limits", title: "ServiceProviderConfig bulk and filter carry their limits", source: "RFC 7643 §5",
    async run({ a }) {
      const res = await a.get("/ServiceProviderConfig");
      status(res, 200);
      check(Number.isInteger(res.body?.bulk?.maxOperations) && Number.isInteger(res.body?.bulk?.maxPayloadSize), "bulk.maxOperations and bulk.maxPayloadSize are required integers", res);
      check(Number.isInteger(res.body?.filter?.maxResults), "filter.maxResults is a required integer", res);
    },
  },
  {
    id: "rfc-disc-spc-media", title: "ServiceProviderConfig is served as application/scim+json", source: "RFC 7644 §8.1",
    async run({ a }) { const res = await a.get("/ServiceProviderConfig"); status(res, 200); scimJson(res); },
  },
  {
    id: "rfc-disc-resourcetypes", title: "/ResourceTypes lists User and Group with their endpoints and schemas", source: "RFC 7643 §6, RFC 7644 §4",
    async run({ a }) {
      const res = await a.get("/ResourceTypes");
      status(res, 200);
      const all = resourcesOf(res.body);
      const user = all.find((r) => r?.name === "User" || r?.id === "User");
      const group = all.find((r) => r?.name === "Group" || r?.id === "Group");
      check(user && group, "User and Group resource types must both be listed", res);
      equal(user.endpoint, "/Users", "User endpoint", res);
      equal(user.schema, URN.user, "User schema", res);
      equal(group.endpoint, "/Groups", "Group endpoint", res);
      equal(group.schema, URN.group, "Group schema", res);
    },
  },
  {
    id: "rfc-disc-resourcetype-user", title: "/ResourceTypes/User returns the single resource type", source: "RFC 7644 §4",
    async run({ a }) {
      const res = await a.get("/ResourceTypes/User");
      status(res, 200);
      check(Array.isArray(res.body?.schemas) && res.body.schemas.includes(URN.resourceType), `schemas must contain ${URN.resourceType}`, res);
      equal(res.body.endpoint, "/Users", "endpoint", res);
    },
  },
  {
    id: "rfc-disc-resourcetype-extension", title: "the enterprise extension, if accepted, is declared in schemaExtensions", source: "RFC 7643 §6",
    async run(ctx) {
      const { a, fx } = ctx;
      const rt = await a.get("/ResourceTypes/User");
      status(rt, 200);
      const declared = (rt.body?.schemaExtensions ?? []).some((e: J) => e?.schema === URN.enterprise);
      const u = await ctx.createUser(fx.user({ schemas: [URN.user, URN.enterprise], [URN.enterprise]: { employeeNumber: "42" } }));
      const kept = isObject(u[URN.enterprise]) && u[URN.enterprise].employeeNumber === "42";
      check(!kept || declared, "server stores enterprise attributes but /ResourceTypes/User does not declare the extension", rt);
    },
  },
  {
    id: "rfc-disc-schemas", title: "/Schemas lists the User and Group schemas with attributes", source: "RFC 7643 §7, RFC 7644 §4",
    async run({ a }) {
      const res = await a.get("/Schemas");
      status(res, 200);
      const all = resourcesOf(res.body);
      const user = all.find((s) => s?.id === URN.user);
      const group = all.find((s) => s?.id === URN.group);
      check(user && group, "User and Group schemas must both be listed", res);
      check(Array.isArray(user.attributes) && user.attributes.length > 0, "User schema needs attributes", res);
    },
  },
  {
    id: "rfc-disc-schema-user", title: "/Schemas/{User urn}: userName is required, server-unique, not caseExact", source: "RFC 7643 §4.1.1, §7",
    async run({ a }) {
      const res = await a.get(`/Schemas/${URN.user}`);
      status(res, 200);
      equal(res.body?.id, URN.user, "id", res);
      const u = findAttr(res.body, "userName");
      check(u, "userName attribute missing", res);
      equal(u.required, true, "userName.required", res);
      equal(u.uniqueness, "server", "userName.uniqueness", res);
      equal(u.caseExact, false, "userName.caseExact", res);
    },
  },
  {
    id: "rfc-disc-schema-password", title: "password is writeOnly and returned never", source: "RFC 7643 §4.1.1",
    async run({ a }) {
      const res = await a.get(`/Schemas/${URN.user}`);
      status(res, 200);
      const p = findAttr(res.body, "password");
      if (!p) return; // a server may not support passwords at all
      equal(p.mutability, "writeOnly", "password.mutability", res);
      equal(p.returned, "never", "password.returned", res);
    },
  },
  {
    id: "rfc-disc-schema-group", title: "/Schemas/{Group urn}: members is multi-valued", source: "RFC 7643 §4.2",
    async run({ a }) {
      const res = await a.get(`/Schemas/${URN.group}`);
      status(res, 200);
      const m = findAttr(res.body, "members");
      check(m, "members attribute missing", res);
      equal(m.multiValued, true, "members.multiValued", res);
    },
  },
  {
    id: "rfc-disc-schema-unknown", title: "/Schemas/{unknown urn} → 404", source: "RFC 7644 §4, §3.12",
    async run({ a }) { scimError(await a.get("/Schemas/urn:example:not:a:schema"), 404); },
  },
  {
    id: "rfc-disc-patch-agrees", title: "PATCH works when advertised, 501 when not", source: "RFC 7644 §3.5.2, §3.12",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: "patched" }));
      if (ctx.features.patch) status(res, 200, 204); else status(res, 501);
    },
  },
  {
    id: "rfc-disc-bulk-agrees", title: "/Bulk answers 501 when bulk is not advertised", source: "RFC 7644 §3.7, §3.12",
    async run(ctx) {
      const res = await ctx.a.post("/Bulk", { schemas: [URN.bulkRequest], Operations: [] });
      if (ctx.features.bulk) status(res, 200, 400); else status(res, 501, 404, 405);
    },
  },
  {
    id: "rfc-disc-filter-agrees", title: "filtering works when advertised (a userName eq filter narrows the list)", source: "RFC 7644 §3.4.2.2, RFC 7643 §5",
    requires: ["filter"],
    async run({ a, fx }) {
      const res = await a.get(`/Users?filter=${encodeURIComponent(`userName eq "${fx.userName("nobody")}"`)}`);
      equal(listResponse(res).length, 0, "results for an unknown userName", res);
    },
  },
  {
    id: "rfc-auth-missing", title: "no bearer token → 401", source: "RFC 7644 §2, §3.12",
    async run({ a }) { status(await a.get("/Users", { token: null }), 401); },
  },
  {
    id: "rfc-auth-wrong", title: "an invalid bearer token → 401", source: "RFC 7644 §2, §3.12",
    async run({ a }) { status(await a.get("/Users", { token: "conformance-invalid-token-0000000000000000" }), 401); },
  },
  {
    id: "rfc-auth-challenge", title: "401 carries a WWW-Authenticate challenge", source: "RFC 7644 §2, RFC 6750 §3",
    async run({ a }) {
      const res = await a.get("/Users", { token: null });
      status(res, 401);
      check(res.headers.get("www-authenticate"), "401 without WWW-Authenticate", res);
    },
  },
];
