// RFC 7644 §3.3 create, §3.4.1 read, §3.5.1 replace, §3.6 delete, §3.8 media types, §3.11 /Me, §3.12 errors.
import { URN, check, equal, isObject, scimError, scimJson, status } from "../assert.ts";
import type { CaseDef } from "../runner.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const rfcCrudCases: CaseDef[] = [
  {
    id: "rfc-create-201", title: "POST /Users → 201 with id, schemas and meta", source: "RFC 7644 §3.3",
    async run(ctx) {
      const body = ctx.fx.user();
      const res = await ctx.a.post("/Users", body);
      if (isObject(res.body) && typeof res.body.id === "string") ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
      check(typeof res.body?.id === "string" && res.body.id.length > 0, "id must be a non-empty string", res);
      check(res.body.schemas?.includes(URN.user), `schemas must contain ${URN.user}`, res);
      equal(res.body.userName, body.userName, "userName", res);
      equal(res.body.meta?.resourceType, "User", "meta.resourceType", res);
      check(!Number.isNaN(Date.parse(res.body.meta?.created)) && !Number.isNaN(Date.parse(res.body.meta?.lastModified)), "meta.created and meta.lastModified must be DateTimes", res);
    },
  },
  {
    id: "rfc-create-location", title: "201 carries a Location header equal to meta.location", source: "RFC 7644 §3.3, §3.1",
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user());
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
      const loc = res.headers.get("location");
      check(loc, "201 without a Location header", res);
      check(loc.endsWith(`/Users/${res.body.id}`), `Location "${loc}" must point at /Users/${res.body.id}`, res);
      equal(res.body.meta?.location, loc, "meta.location vs Location header", res);
    },
  },
  {
    id: "rfc-create-media", title: "create responds with application/scim+json", source: "RFC 7644 §8.1",
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user());
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
      scimJson(res);
    },
  },
  {
    id: "rfc-create-plain-json", title: "a request body sent as application/json is accepted", source: "RFC 7644 §8.1",
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user(), { headers: { "Content-Type": "application/json" } });
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
    },
  },
  {
    id: "rfc-accept-plain-json", title: "Accept: application/json is answered (not 406)", source: "RFC 7644 §8.1",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}`, { headers: { Accept: "application/json" } });
      status(res, 200);
      equal(res.body?.id, u.id, "id", res);
    },
  },
  {
    id: "rfc-create-duplicate", title: "duplicate userName → 409 uniqueness", source: "RFC 7644 §3.3, §3.12",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.post("/Users", ctx.fx.user({ userName: u.userName }));
      if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
      scimError(res, 409, ["uniqueness"]);
    },
  },
  {
    id: "rfc-create-duplicate-case", title: "userName differing only by case → 409 (caseExact false)", source: "RFC 7643 §4.1.1, RFC 7644 §3.3",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.post("/Users", ctx.fx.user({ userName: String(u.userName).toUpperCase() }));
      if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
      scimError(res, 409, ["uniqueness"]);
    },
  },
  {
    id: "rfc-create-missing-username", title: "create without the required userName → 400", source: "RFC 7643 §4.1.1, RFC 7644 §3.12",
    async run(ctx) {
      const body = ctx.fx.user();
      delete body.userName;
      const res = await ctx.a.post("/Users", body);
      if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
      scimError(res, 400, ["invalidValue", "invalidSyntax"]);
    },
  },
  {
    id: "rfc-create-malformed-json", title: "malformed JSON body → 400 invalidSyntax", source: "RFC 7644 §3.12",
    async run({ a }) { scimError(await a.post("/Users", undefined, { rawBody: '{"schemas": [' }), 400, ["invalidSyntax"]); },
  },
  {
    id: "rfc-create-wrong-type", title: "userName of the wrong type → 400", source: "RFC 7643 §2.3, RFC 7644 §3.12",
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user({ userName: { nested: true } }));
      if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
      scimError(res, 400, ["invalidValue", "invalidSyntax"]);
    },
  },
  {
    id: "rfc-create-readonly-id", title: "a client-supplied id is ignored (id is readOnly)", source: "RFC 7643 §3.1, RFC 7644 §3.3",
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user({ id: "client-chosen-id" }));
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
      check(res.body.id !== "client-chosen-id", "server used the client-supplied id", res);
    },
  },
  {
    id: "rfc-create-password-hidden", title: "password is not returned in the create response", source: "RFC 7643 §4.1.1 (returned: never)",
    async run(ctx) {
      const u = await ctx.createUser(ctx.fx.user({ password: "C0nformance!Pass-1" }));
      check(u.password === undefined, "create response contains password");
    },
  },
  {
    id: "rfc-get-200", title: "GET /Users/{id} returns the resource", source: "RFC 7644 §3.4.1",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}`);
      status(res, 200);
      scimJson(res);
      equal(res.body?.id, u.id, "id", res);
      equal(res.body.userName, u.userName, "userName", res);
      check(res.body.schemas?.includes(URN.user), "schemas must contain the User urn", res);
    },
  },
  {
    id: "rfc-get-meta", title: "meta has resourceType, location and created ≤ lastModified", source: "RFC 7643 §3.1",
    async run(ctx) {
      const u = await ctx.createUser();
      const r = await ctx.read(`/Users/${u.id}`);
      equal(r.meta?.resourceType, "User", "meta.resourceType");
      check(String(r.meta?.location ?? "").endsWith(`/Users/${u.id}`), `meta.location must end with /Users/${u.id}, got ${r.meta?.location}`);
      check(Date.parse(r.meta.created) <= Date.parse(r.meta.lastModified), "meta.created must not be after meta.lastModified");
    },
  },
  {
    id: "rfc-get-password-hidden", title: "password is never returned by GET, even when asked for", source: "RFC 7643 §2.4, §4.1.1",
    async run(ctx) {
      const u = await ctx.createUser(ctx.fx.user({ password: "C0nformance!Pass-2" }));
      const res = await ctx.a.get(`/Users/${u.id}?attributes=password,userName`);
      status(res, 200);
      check(res.body?.password === undefined, "password returned", res);
    },
  },
  {
    id: "rfc-get-404", title: "GET of an unknown id → 404 with a SCIM error", source: "RFC 7644 §3.4.1, §3.12",
    async run({ a, fx }) { scimError(await a.get(`/Users/${fx.missingId()}`), 404); },
  },
  {
    id: "rfc-error-media", title: "error responses are application/scim+json", source: "RFC 7644 §3.12, §8.1",
    async run({ a, fx }) { const res = await a.get(`/Users/${fx.missingId()}`); status(res, 404); scimJson(res); },
  },
  {
    id: "rfc-get-group-404", title: "GET of an unknown group id → 404", source: "RFC 7644 §3.4.1, §3.12",
    async run({ a, fx }) { scimError(await a.get(`/Groups/${fx.missingId()}`), 404); },
  },
  {
    id: "rfc-put-200", title: "PUT replaces attributes and returns 200 with the resource", source: "RFC 7644 §3.5.1",
    async run(ctx) {
      const u = await ctx.createUser();
      const body = ctx.fx.user({ userName: u.userName, name: { givenName: "Replaced", familyName: "Person" }, title: "Replaced title" });
      const res = await ctx.a.put(`/Users/${u.id}`, body);
      status(res, 200);
      equal(res.body?.id, u.id, "id", res);
      equal(res.body?.name?.givenName, "Replaced", "name.givenName", res);
      const r = await ctx.read(`/Users/${u.id}`);
      equal(r.title, "Replaced title", "title after PUT");
    },
  },
  {
    id: "rfc-put-404", title: "PUT of an unknown id → 404", source: "RFC 7644 §3.5.1, §3.12",
    async run(ctx) { scimError(await ctx.a.put(`/Users/${ctx.fx.missingId()}`, ctx.fx.user()), 404); },
  },
  {
    id: "rfc-put-id-readonly", title: "PUT with a different id in the body does not change the id", source: "RFC 7644 §3.5.1, RFC 7643 §3.1",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.put(`/Users/${u.id}`, { ...ctx.fx.user({ userName: u.userName }), id: ctx.fx.missingId() });
      if (res.status === 400) { scimError(res, 400, ["mutability", "invalidValue"]); return; }
      status(res, 200);
      equal(res.body?.id, u.id, "id after PUT", res);
      await ctx.read(`/Users/${u.id}`);
    },
  },
  {
    id: "rfc-put-uniqueness", title: "PUT that takes another user's userName → 409 uniqueness", source: "RFC 7644 §3.5.1, §3.12",
    async run(ctx) {
      const u1 = await ctx.createUser();
      const u2 = await ctx.createUser();
      scimError(await ctx.a.put(`/Users/${u2.id}`, ctx.fx.user({ userName: u1.userName })), 409, ["uniqueness"]);
    },
  },
  {
    id: "rfc-put-lastmodified", title: "PUT advances meta.lastModified and keeps meta.created", source: "RFC 7643 §3.1",
    async run(ctx) {
      const u = await ctx.createUser();
      await sleep(1100); // second-resolution timestamps are legal
      const res = await ctx.a.put(`/Users/${u.id}`, ctx.fx.user({ userName: u.userName, displayName: "changed" }));
      status(res, 200);
      const r = await ctx.read(`/Users/${u.id}`);
      check(Date.parse(r.meta?.lastModified) > Date.parse(u.meta?.lastModified), `lastModified did not advance (${u.meta?.lastModified} → ${r.meta?.lastModified})`);
      equal(Date.parse(r.meta?.created), Date.parse(u.meta?.created), "meta.created");
    },
  },
  {
    id: "rfc-delete-204", title: "DELETE → 204 with no body", source: "RFC 7644 §3.6",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.delete(`/Users/${u.id}`);
      status(res, 204);
      check(res.text === "", "204 must have an empty body", res);
    },
  },
  {
    id: "rfc-delete-then-404", title: "after DELETE, GET → 404", source: "RFC 7644 §3.6",
    async run(ctx) {
      const u = await ctx.createUser();
      status(await ctx.a.delete(`/Users/${u.id}`), 204);
      scimError(await ctx.a.get(`/Users/${u.id}`), 404);
    },
  },
  {
    id: "rfc-delete-twice", title: "a second DELETE → 404", source: "RFC 7644 §3.6",
    async run(ctx) {
      const u = await ctx.createUser();
      status(await ctx.a.delete(`/Users/${u.id}`), 204);
      scimError(await ctx.a.delete(`/Users/${u.id}`), 404);
    },
  },
  {
    id: "rfc-delete-then-put-404", title: "after DELETE, PUT and PATCH → 404", source: "RFC 7644 §3.6",
    async run(ctx) {
      const u = await ctx.createUser();
      status(await ctx.a.delete(`/Users/${u.id}`), 204);
      scimError(await ctx.a.put(`/Users/${u.id}`, ctx.fx.user({ userName: u.userName })), 404);
      if (ctx.features.patch) {
        scimError(await ctx.a.patch(`/Users/${u.id}`, { schemas: [URN.patch], Operations: [{ op: "replace", path: "displayName", value: "x" }] }), 404);
      }
    },
  },
  {
    id: "rfc-delete-then-filter", title: "a deleted user no longer matches a filter", source: "RFC 7644 §3.6",
    requires: ["filter"],
    async run(ctx) {
      const u = await ctx.createUser();
      status(await ctx.a.delete(`/Users/${u.id}`), 204);
      const res = await ctx.a.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`);
      status(res, 200);
      equal(res.body?.totalResults, 0, "totalResults", res);
    },
  },
  {
    id: "rfc-group-create", title: "POST /Groups → 201 with Location", source: "RFC 7644 §3.3",
    async run(ctx) {
      const body = ctx.fx.group();
      const res = await ctx.a.post("/Groups", body);
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Groups/${res.body.id}`);
      status(res, 201);
      check(res.headers.get("location")?.endsWith(`/Groups/${res.body.id}`), "Location must point at the new group", res);
      equal(res.body.displayName, body.displayName, "displayName", res);
      equal(res.body.meta?.resourceType, "Group", "meta.resourceType", res);
    },
  },
  {
    id: "rfc-group-members-create", title: "a group created with members lists them", source: "RFC 7643 §4.2, RFC 7644 §3.3",
    async run(ctx) {
      const u = await ctx.createUser();
      const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u.id }] }));
      const r = await ctx.read(`/Groups/${g.id}`);
      equal((r.members ?? []).map((m: { value: string }) => m.value), [u.id], "member values");
    },
  },
  {
    id: "rfc-group-put-members", title: "PUT /Groups/{id} replaces the member list", source: "RFC 7644 §3.5.1",
    async run(ctx) {
      const u1 = await ctx.createUser();
      const u2 = await ctx.createUser();
      const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }] }));
      const res = await ctx.a.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: [{ value: u2.id }] });
      status(res, 200);
      const r = await ctx.read(`/Groups/${g.id}`);
      equal((r.members ?? []).map((m: { value: string }) => m.value), [u2.id], "member values after PUT");
    },
  },
  {
    id: "rfc-group-delete", title: "DELETE /Groups/{id} → 204, then 404", source: "RFC 7644 §3.6",
    async run(ctx) {
      const g = await ctx.createGroup();
      status(await ctx.a.delete(`/Groups/${g.id}`), 204);
      scimError(await ctx.a.get(`/Groups/${g.id}`), 404);
    },
  },
  {
    id: "rfc-group-member-unknown", title: "a group member that does not exist is refused (400), not stored", source: "RFC 7643 §4.2, RFC 7644 §3.12",
    async run(ctx) {
      const res = await ctx.a.post("/Groups", ctx.fx.group({ members: [{ value: ctx.fx.missingId() }] }));
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Groups/${res.body.id}`);
      if (res.status === 201) {
        check(!(res.body.members ?? []).length, "group stored a member that references no resource", res);
        return;
      }
      scimError(res, 400, ["invalidValue", "noTarget"]);
    },
  },
  {
    id: "rfc-me", title: "/Me is either supported or answers 501", source: "RFC 7644 §3.11",
    async run({ a }) {
      const res = await a.get("/Me");
      if (res.status === 501) return;
      check([200, 308].includes(res.status), `expected 200, 308 or 501, got ${res.status}`, res);
    },
  },
];
