// Okta: the request sequences of Okta's SCIM 2.0 provisioning and what Okta's published SCIM 2.0
// spec tests (the Runscope / BlazeMeter suite) assert.
import { URN, check, equal, isObject, listResponse, scimError, scimJson, status } from "../assert.ts";
import { qs } from "../client.ts";
import { patchOp } from "../fixtures.ts";
import type { CaseDef, Ctx } from "../runner.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const SPEC = "Okta SCIM 2.0 spec tests";
const DOCS = "Okta SCIM 2.0 provisioning";

/** The body Okta sends on "create user" (userName is the Okta login, an email). */
function oktaUser(ctx: Ctx, userName = ctx.fx.userName("okta")): J {
  const local = userName.split("@")[0];
  return {
    schemas: [URN.user], userName,
    name: { givenName: "Runscope", familyName: local },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: `Runscope ${local}`, locale: "en-US", externalId: `00u${ctx.fx.uniq("okta").replace(/-/g, "")}`,
    groups: [], password: "1mz050nq!Conf", active: true,
  };
}

/** Okta's lookup before create: filter=userName eq "…"&startIndex=1&count=100. */
const lookup = (ctx: Ctx, userName: string) => ctx.a.get(`/Users${qs({ filter: `userName eq "${userName}"`, startIndex: 1, count: 100 })}`);

const okta = (id: string, title: string, source: string, run: (ctx: Ctx) => Promise<void>): CaseDef => ({ id, title, source, run });

export const oktaCases: CaseDef[] = [
  okta("okta-users-endpoint", "GET /Users?count=1&startIndex=1 is a ListResponse", `${SPEC}: Test Users endpoint`, async (ctx) => {
    await ctx.createUser(oktaUser(ctx));
    const res = await ctx.a.get("/Users?count=1&startIndex=1");
    const r = listResponse(res);
    check(Number.isInteger(res.body.itemsPerPage) && Number.isInteger(res.body.startIndex), "itemsPerPage and startIndex must be integers", res);
    check(r.length === 1 && res.body.totalResults >= 1, "expected one resource and totalResults ≥ 1", res);
  }),
  okta("okta-get-user-by-id", "GET /Users/{id} of a listed user", `${SPEC}: Get Users/{{id}}`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const res = await ctx.a.get(`/Users/${u.id}`);
    status(res, 200);
    equal(res.body?.id, u.id, "id", res);
    check(res.body.userName && res.body.schemas?.includes(URN.user), "userName and schemas required", res);
  }),
  okta("okta-unknown-username", "lookup of a random userName → 200, totalResults 0", `${SPEC}: Test invalid User by username`, async (ctx) => {
    const res = await lookup(ctx, ctx.fx.userName("nobody"));
    equal(listResponse(res).length, 0, "Resources", res);
    equal(res.body.totalResults, 0, "totalResults", res);
  }),
  okta("okta-unknown-id", "GET of a random id → 404 with the Error schema and a detail", `${SPEC}: Test invalid User by ID`, async (ctx) => {
    const res = await ctx.a.get(`/Users/${ctx.fx.missingId()}`);
    scimError(res, 404);
    check(typeof res.body.detail === "string", "detail missing", res);
  }),
  okta("okta-create-user", "create with realistic values → 201 with active, userName, name", `${SPEC}: Create Okta user with realistic values`, async (ctx) => {
    const body = oktaUser(ctx);
    const u = await ctx.createUser(body);
    equal(u.active, true, "active");
    equal(u.userName, body.userName, "userName");
    equal(u.name?.familyName, body.name.familyName, "name.familyName");
    equal(u.name?.givenName, body.name.givenName, "name.givenName");
    check(u.password === undefined, "password must not be returned");
  }),
  okta("okta-create-media", "create answers Content-Type application/scim+json", `${DOCS}: Create the user`, async (ctx) => {
    const res = await ctx.a.post("/Users", oktaUser(ctx));
    if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
    status(res, 201);
    scimJson(res);
  }),
  okta("okta-verify-created", "lookup by userName finds the created user", `${SPEC}: Verify that user was created`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const res = await lookup(ctx, u.userName);
    const r = listResponse(res);
    equal(res.body.totalResults, 1, "totalResults", res);
    equal(r[0]?.id, u.id, "id", res);
    equal(r[0]?.userName, u.userName, "userName", res);
  }),
  okta("okta-duplicate", "recreating the same user → 409", `${SPEC}: Expect failure when recreating user with same values`, async (ctx) => {
    const body = oktaUser(ctx);
    await ctx.createUser(body);
    const res = await ctx.a.post("/Users", body);
    if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
    scimError(res, 409, ["uniqueness"]);
  }),
  okta("okta-username-case", "lookup with the userName upper-cased → 200 and finds the user", `${SPEC}: Username Case Sensitivity Check`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const res = await lookup(ctx, String(u.userName).toUpperCase());
    equal(listResponse(res).map((x: J) => x.id), [u.id], "ids", res);
  }),
  okta("okta-username-plus", "lookup of a userName containing + and ' finds exactly it", `${DOCS}: Check whether the user exists`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx, `conf+${ctx.fx.uniq("o'neil")}@example.test`));
    const res = await lookup(ctx, u.userName);
    equal(listResponse(res).map((x: J) => x.id), [u.id], "ids", res);
  }),
  okta("okta-groups-endpoint", "GET /Groups → 200 ListResponse", `${SPEC}: Verify Groups endpoint`, async (ctx) => {
    listResponse(await ctx.a.get("/Groups"));
  }),
  okta("okta-lookup-shape", "lookup result carries the full user (id, active, name, emails)", `${DOCS}: Check whether the user exists`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const r = listResponse(await lookup(ctx, u.userName));
    check(r[0] && r[0].active === true && isObject(r[0].name) && Array.isArray(r[0].emails), `lookup result lacks attributes: ${JSON.stringify(r[0]).slice(0, 200)}`);
  }),
  okta("okta-put-profile", "full PUT of the user updates the profile", `${DOCS}: Update a specific user (PUT)`, async (ctx) => {
    const body = oktaUser(ctx);
    const u = await ctx.createUser(body);
    const res = await ctx.a.put(`/Users/${u.id}`, { ...body, id: u.id, name: { givenName: "Another", familyName: "Name" }, password: undefined });
    status(res, 200);
    equal(res.body?.name?.givenName, "Another", "name.givenName", res);
    equal(res.body?.active, true, "active (PUT keeps the user active)", res);
    equal((await ctx.read(`/Users/${u.id}`)).name?.familyName, "Name", "name.familyName after GET");
  }),
  okta("okta-deactivate", 'PATCH {"op":"replace","value":{"active":false}} deactivates', `${DOCS}: Update a specific user (PATCH) — deactivate`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const res = await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", value: { active: false } }));
    status(res, 200, 204);
    if (res.status === 200) equal(res.body?.active, false, "active in the PATCH response", res);
    equal((await ctx.read(`/Users/${u.id}`)).active, false, "active after GET");
  }),
  okta("okta-deactivated-still-found", "a deactivated user is still returned by the lookup (Okta never deletes)", `${DOCS}: Delete users (deactivation)`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    status(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", value: { active: false } })), 200, 204);
    const r = listResponse(await lookup(ctx, u.userName));
    equal(r.map((x: J) => [x.id, x.active]), [[u.id, false]], "lookup result");
  }),
  okta("okta-reactivate", 'PATCH {"op":"replace","value":{"active":true}} reactivates', `${DOCS}: Update a specific user (PATCH) — reactivate`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    await ctx.patch(`/Users/${u.id}`, [{ op: "replace", value: { active: false } }]);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", value: { active: true } }]);
    equal(r.active, true, "active");
  }),
  okta("okta-password-sync", "password sync PATCH succeeds and the password is never returned", `${DOCS}: Update a specific user (PATCH) — password`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const res = await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", value: { password: "N3w!Conformance-pass" } }));
    status(res, 200, 204);
    check(res.body?.password === undefined, "password returned in the PATCH response", res);
    check((await ctx.read(`/Users/${u.id}`)).password === undefined, "password returned by GET");
  }),
  okta("okta-users-page", "user import pages with startIndex/count", `${DOCS}: Retrieve all users`, async (ctx) => {
    await ctx.createUser(oktaUser(ctx));
    await ctx.createUser(oktaUser(ctx));
    const p1 = await ctx.a.get("/Users?startIndex=1&count=1");
    const p2 = await ctx.a.get("/Users?startIndex=2&count=1");
    const a = listResponse(p1), b = listResponse(p2);
    check(a.length === 1 && b.length === 1 && a[0].id !== b[0].id, "pages 1 and 2 must hold different users", p2);
    equal(p2.body.startIndex, 2, "startIndex", p2);
  }),
  okta("okta-group-create", "group push: POST /Groups with displayName and no members → 201", `${DOCS}: Create a group (group push)`, async (ctx) => {
    const body = { schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}`, members: [] };
    const g = await ctx.createGroup(body);
    equal(g.displayName, body.displayName, "displayName");
  }),
  okta("okta-group-create-members", "group push with members in the POST body", `${DOCS}: Create a group (group push)`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}`, members: [{ value: u.id, display: u.userName }] });
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value), [u.id], "members");
  }),
  okta("okta-group-lookup", "group lookup by displayName eq", `${DOCS}: Retrieve groups`, async (ctx) => {
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}` });
    const res = await ctx.a.get(`/Groups${qs({ filter: `displayName eq "${g.displayName}"`, startIndex: 1, count: 100 })}`);
    equal(listResponse(res).map((x: J) => x.id), [g.id], "ids", res);
  }),
  okta("okta-group-put", "full group PUT with displayName and members replaces the members", `${DOCS}: Update a specific group name / members (PUT)`, async (ctx) => {
    const u1 = await ctx.createUser(oktaUser(ctx));
    const u2 = await ctx.createUser(oktaUser(ctx));
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}`, members: [{ value: u1.id }] });
    const res = await ctx.a.put(`/Groups/${g.id}`, { schemas: [URN.group], id: g.id, displayName: `${g.displayName} v2`, members: [{ value: u2.id, display: u2.userName }] });
    status(res, 200);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal(r.displayName, `${g.displayName} v2`, "displayName");
    equal((r.members ?? []).map((m: J) => m.value), [u2.id], "members");
  }),
  okta("okta-group-rename", 'group rename: PATCH replace value {"id","displayName"}', `${DOCS}: Update a specific group name (PATCH)`, async (ctx) => {
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}` });
    const r = await ctx.patch(`/Groups/${g.id}`, [{ op: "replace", value: { id: g.id, displayName: `${g.displayName} renamed` } }]);
    equal(r.displayName, `${g.displayName} renamed`, "displayName");
    equal(r.id, g.id, "id");
  }),
  okta("okta-group-add-members", "group PATCH add members", `${DOCS}: Update specific group membership (PATCH)`, async (ctx) => {
    const u1 = await ctx.createUser(oktaUser(ctx));
    const u2 = await ctx.createUser(oktaUser(ctx));
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}`, members: [{ value: u1.id }] });
    await ctx.patch(`/Groups/${g.id}`, [{ op: "add", path: "members", value: [{ value: u2.id, display: u2.userName }] }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value).sort(), [u1.id, u2.id].sort(), "members");
  }),
  okta("okta-group-remove-member", 'group PATCH remove members[value eq "id"] removes only that member', `${DOCS}: Update specific group membership (PATCH)`, async (ctx) => {
    const u1 = await ctx.createUser(oktaUser(ctx));
    const u2 = await ctx.createUser(oktaUser(ctx));
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}`, members: [{ value: u1.id }, { value: u2.id }] });
    await ctx.patch(`/Groups/${g.id}`, [{ op: "remove", path: `members[value eq "${u2.id}"]` }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value), [u1.id], "members");
  }),
  okta("okta-groups-page", "group import pages with startIndex/count", `${DOCS}: Retrieve groups`, async (ctx) => {
    await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}` });
    await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}` });
    const res = await ctx.a.get("/Groups?startIndex=1&count=1");
    const r = listResponse(res);
    check(r.length === 1 && res.body.totalResults >= 2, "expected one group on the page and totalResults ≥ 2", res);
  }),
  okta("okta-group-delete", "group DELETE → 204, then 404", `${DOCS}: Delete a specific group`, async (ctx) => {
    const g = await ctx.createGroup({ schemas: [URN.group], displayName: `Okta ${ctx.fx.uniq("grp")}` });
    status(await ctx.a.delete(`/Groups/${g.id}`), 204);
    scimError(await ctx.a.get(`/Groups/${g.id}`), 404);
  }),
  okta("okta-deactivate-keeps-groups", "deactivating a user keeps the user readable by id", `${DOCS}: Delete users (deactivation)`, async (ctx) => {
    const u = await ctx.createUser(oktaUser(ctx));
    await ctx.patch(`/Users/${u.id}`, [{ op: "replace", value: { active: false } }]);
    const r = await ctx.read(`/Users/${u.id}`);
    equal([r.id, r.userName, r.active], [u.id, u.userName, false], "id, userName, active");
  }),
];
