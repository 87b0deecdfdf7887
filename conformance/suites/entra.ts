// Microsoft Entra ID: the request shapes of the Entra provisioning service and the tests of its SCIM
// validator, including the dialect (capitalised ops, string booleans, member removal in value).
import { URN, check, equal, isObject, listResponse, scimError, status } from "../assert.ts";
import { patchOp } from "../fixtures.ts";
import type { CaseDef, Ctx } from "../runner.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const VAL = "Entra SCIM validator";
const TUT = "Microsoft: Tutorial: Develop and plan provisioning for a SCIM endpoint";
const KI = "Microsoft: Known issues aadOptscim062020";

/** The body Entra sends on create (core + enterprise, meta.resourceType, roles). */
function entraUser(ctx: Ctx, extra: Record<string, unknown> = {}): J {
  const local = ctx.fx.uniq("entra");
  return {
    schemas: [URN.user, URN.enterprise],
    externalId: `${local}-ext`, userName: `conf-${local}@contoso.example`, active: true, displayName: `Entra ${local}`,
    emails: [{ primary: true, type: "work", value: `${local}@contoso.example` }],
    meta: { resourceType: "User" },
    name: { formatted: `Entra ${local}`, familyName: local, givenName: "Entra" },
    roles: [],
    [URN.enterprise]: { employeeNumber: `EN-${local}`, department: "Sales" },
    ...extra,
  };
}

function entraGroup(ctx: Ctx, extra: Record<string, unknown> = {}): J {
  const local = ctx.fx.uniq("egrp");
  return { schemas: [URN.group], externalId: `${local}-ext`, displayName: `Entra ${local}`, meta: { resourceType: "Group" }, ...extra };
}

/** Entra's query form: `filter=userName+eq+"…"` — spaces as '+', quotes percent-encoded. */
const entraQuery = (filter: string) => `?filter=${encodeURIComponent(filter).replace(/%20/g, "+")}`;

const entra = (id: string, title: string, source: string, run: (ctx: Ctx) => Promise<void>): CaseDef => ({ id, title, source, run });
const memberIds = (g: J) => (g.members ?? []).map((m: J) => m.value).sort();

export const entraCases: CaseDef[] = [
  entra("entra-create-user", "create a user with the enterprise extension → 201", `${VAL}: Create a new User`, async (ctx) => {
    const body = entraUser(ctx);
    const u = await ctx.createUser(body);
    equal(u.userName, body.userName, "userName");
    equal(u.externalId, body.externalId, "externalId");
    equal(u[URN.enterprise]?.employeeNumber, body[URN.enterprise].employeeNumber, "enterprise employeeNumber");
  }),
  entra("entra-create-charset", "Content-Type application/scim+json; charset=utf-8 is accepted", `${TUT}: request headers`, async (ctx) => {
    const res = await ctx.a.post("/Users", entraUser(ctx), { headers: { "Content-Type": "application/scim+json; charset=utf-8" } });
    if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
    status(res, 201);
  }),
  entra("entra-duplicate", "creating an existing userName → 409", `${VAL}: Create a duplicate User`, async (ctx) => {
    const body = entraUser(ctx);
    await ctx.createUser(body);
    const res = await ctx.a.post("/Users", { ...body, externalId: `${body.externalId}-2` });
    if (res.status === 201) ctx.track(ctx.a, `/Users/${res.body?.id}`);
    scimError(res, 409, ["uniqueness"]);
  }),
  entra("entra-get-user", "GET /Users/{id}", `${VAL}: Get User by id`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    equal((await ctx.read(`/Users/${u.id}`)).userName, u.userName, "userName");
  }),
  entra("entra-filter-username", 'matching query userName eq "…" with + for spaces', `${VAL}: Get User by query - userName`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const res = await ctx.a.get(`/Users${entraQuery(`userName eq "${u.userName}"`)}`);
    equal(listResponse(res).map((x: J) => x.id), [u.id], "ids", res);
  }),
  entra("entra-filter-externalid", 'matching query externalId eq "…"', `${VAL}: Get User by query - externalId`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const res = await ctx.a.get(`/Users${entraQuery(`externalId eq "${u.externalId}"`)}`);
    equal(listResponse(res).map((x: J) => x.id), [u.id], "ids", res);
  }),
  entra("entra-filter-zero", "a query matching nothing → 200 with totalResults 0", `${VAL}: Get User by query - zero results`, async (ctx) => {
    const res = await ctx.a.get(`/Users${entraQuery(`userName eq "${ctx.fx.userName("nobody")}"`)}`);
    equal(listResponse(res).length, 0, "Resources", res);
    equal(res.body.totalResults, 0, "totalResults", res);
  }),
  entra("entra-patch-replace-many", "pathless Replace of several attributes in one operation", `${VAL}: Patch User - Replace Attributes`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", value: { displayName: "Entra Renamed", title: "Director", "name.givenName": "Given2" } }]);
    equal([r.displayName, r.title, r.name?.givenName], ["Entra Renamed", "Director", "Given2"], "displayName, title, name.givenName");
    equal(r.name?.familyName, u.name.familyName, "name.familyName untouched");
  }),
  entra("entra-patch-replace-paths", "Replace with emails[type eq \"work\"].value and name.familyName paths", `${VAL}: Patch User - Replace Attributes`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const email = `updated-${ctx.fx.run}@contoso.example`;
    const r = await ctx.patch(`/Users/${u.id}`, [
      { op: "Replace", path: 'emails[type eq "work"].value', value: email },
      { op: "Replace", path: "name.familyName", value: "UpdatedFamily" },
    ]);
    equal((r.emails ?? []).filter((e: J) => e.type === "work").map((e: J) => e.value), [email], "work emails");
    equal(r.name?.familyName, "UpdatedFamily", "name.familyName");
  }),
  entra("entra-patch-add", "Add (capitalised) of a singular attribute", `${VAL}: Patch User - Add Attributes`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Add", path: "title", value: "Engineer" }, { op: "Add", path: "nickName", value: "Nick" }]);
    equal([r.title, r.nickName], ["Engineer", "Nick"], "title, nickName");
  }),
  entra("entra-disable-string-false", 'Replace active with the string "False" disables the user', `${KI}: boolean values as strings`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: "active", value: "False" }]);
    check(r.active === false, `active must be the boolean false, got ${JSON.stringify(r.active)}`);
  }),
  entra("entra-enable-string-true", 'Replace active with the string "True" re-enables', `${KI}: boolean values as strings`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx, { active: false }));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: "active", value: "True" }]);
    check(r.active === true, `active must be the boolean true, got ${JSON.stringify(r.active)}`);
  }),
  entra("entra-disable-pathless-string", 'pathless Replace {"active":"False"}', `${KI}: boolean values as strings`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", value: { active: "False" } }]);
    check(r.active === false, `active must be the boolean false, got ${JSON.stringify(r.active)}`);
  }),
  entra("entra-disabled-still-found", "a disabled user is still found by the userName query", `${VAL}: Patch User - Disable User`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: "active", value: false }]);
    const res = await ctx.a.get(`/Users${entraQuery(`userName eq "${u.userName}"`)}`);
    equal(listResponse(res).map((x: J) => [x.id, x.active]), [[u.id, false]], "query result", res);
  }),
  entra("entra-add-filtered-creates", "Add on a filtered path that matches nothing creates the element", `${TUT}: Update User [Multi-valued properties]`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "+1 555 0100" }]);
    equal((r.phoneNumbers ?? []).filter((p: J) => p.type === "work").map((p: J) => p.value), ["+1 555 0100"], "work phone numbers");
  }),
  entra("entra-add-filtered-existing", "Add on a filtered path that matches updates that element only", `${TUT}: Update User [Multi-valued properties]`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const email = `added-${ctx.fx.run}@contoso.example`;
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Add", path: 'emails[type eq "work"].value', value: email }]);
    equal((r.emails ?? []).filter((e: J) => e.type === "work").map((e: J) => e.value), [email], "work emails");
  }),
  entra("entra-enterprise-urn-path", "Replace an enterprise attribute through its URN path", `${VAL}: Patch User - Replace Attributes (enterprise)`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: `${URN.enterprise}:department`, value: "Marketing" }]);
    equal(r[URN.enterprise]?.department, "Marketing", "enterprise department");
    equal(r[URN.enterprise]?.employeeNumber, u[URN.enterprise]?.employeeNumber, "enterprise employeeNumber untouched");
  }),
  entra("entra-manager-bare-id", "Replace manager with a bare id value", `${KI}: manager as a string`, async (ctx) => {
    const boss = await ctx.createUser(entraUser(ctx));
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: `${URN.enterprise}:manager`, value: boss.id }]);
    equal(r[URN.enterprise]?.manager?.value, boss.id, "enterprise manager.value");
  }),
  entra("entra-manager-object", 'Add manager as {"value": id}', `${TUT}: Update User [Add Manager]`, async (ctx) => {
    const boss = await ctx.createUser(entraUser(ctx));
    const u = await ctx.createUser(entraUser(ctx));
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Add", path: `${URN.enterprise}:manager`, value: { value: boss.id } }]);
    equal(r[URN.enterprise]?.manager?.value, boss.id, "enterprise manager.value");
  }),
  entra("entra-manager-remove", "Remove manager", `${TUT}: Update User [Remove Manager]`, async (ctx) => {
    const boss = await ctx.createUser(entraUser(ctx));
    const u = await ctx.createUser(entraUser(ctx));
    await ctx.patch(`/Users/${u.id}`, [{ op: "Replace", path: `${URN.enterprise}:manager`, value: { value: boss.id } }]);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "Remove", path: `${URN.enterprise}:manager` }]);
    check(r[URN.enterprise]?.manager === undefined, "manager still present");
  }),
  entra("entra-delete-user", "DELETE → 204 and then GET → 404", `${VAL}: Delete a User`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    status(await ctx.a.delete(`/Users/${u.id}`), 204);
    scimError(await ctx.a.get(`/Users/${u.id}`), 404);
  }),
  entra("entra-create-group", "create a group (externalId, displayName, no members) → 201", `${VAL}: Create a new Group`, async (ctx) => {
    const body = entraGroup(ctx);
    const g = await ctx.createGroup(body);
    equal([g.displayName, g.externalId], [body.displayName, body.externalId], "displayName, externalId");
  }),
  entra("entra-group-duplicate", "creating a group with an existing displayName → 409", `${VAL}: Create a duplicate Group`, async (ctx) => {
    const body = entraGroup(ctx);
    await ctx.createGroup(body);
    const res = await ctx.a.post("/Groups", { ...body, externalId: `${body.externalId}-2` });
    if (res.status === 201) ctx.track(ctx.a, `/Groups/${res.body?.id}`);
    scimError(res, 409, ["uniqueness"]);
  }),
  entra("entra-group-get-excluded", "GET /Groups/{id}?excludedAttributes=members", `${VAL}: Get Group by id (excludedAttributes=members)`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u.id }] }));
    const res = await ctx.a.get(`/Groups/${g.id}?excludedAttributes=members`);
    status(res, 200);
    check(res.body?.members === undefined, "members returned", res);
    equal(res.body.displayName, g.displayName, "displayName", res);
  }),
  entra("entra-group-filter-displayname", "displayName eq query with excludedAttributes=members", `${VAL}: Get Group by query - displayName`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u.id }] }));
    const res = await ctx.a.get(`/Groups${entraQuery(`displayName eq "${g.displayName}"`)}&excludedAttributes=members`);
    const r = listResponse(res);
    equal(r.map((x: J) => x.id), [g.id], "ids", res);
    check(r[0].members === undefined, "members returned", res);
  }),
  entra("entra-group-filter-externalid", "externalId eq query on groups", `${VAL}: Get Group by query - externalId`, async (ctx) => {
    const g = await ctx.createGroup(entraGroup(ctx));
    const res = await ctx.a.get(`/Groups${entraQuery(`externalId eq "${g.externalId}"`)}`);
    equal(listResponse(res).map((x: J) => x.id), [g.id], "ids", res);
  }),
  entra("entra-group-add-member", 'Add members [{"value": id}]', `${VAL}: Patch Group - Add Member`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const g = await ctx.createGroup(entraGroup(ctx));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "Add", path: "members", value: [{ value: u.id }] }]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u.id], "members");
  }),
  entra("entra-group-add-two", "Add two members in one operation keeps the existing one", `${VAL}: Patch Group - Add Member`, async (ctx) => {
    const [u1, u2, u3] = [await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx))];
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "Add", path: "members", value: [{ value: u2.id }, { value: u3.id }] }]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u1.id, u2.id, u3.id].sort(), "members");
  }),
  entra("entra-group-remove-member-value", 'Remove path "members" with value [{"value": id}] removes only that member', `${KI}: member removal without the flag`, async (ctx) => {
    const [u1, u2] = [await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx))];
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u1.id }, { value: u2.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "Remove", path: "members", value: [{ value: u1.id }] }]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u2.id], "members");
  }),
  entra("entra-group-remove-two-value", "Remove two of three members through value", `${KI}: member removal without the flag`, async (ctx) => {
    const [u1, u2, u3] = [await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx))];
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u1.id }, { value: u2.id }, { value: u3.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "Remove", path: "members", value: [{ value: u1.id }, { value: u3.id }] }]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u2.id], "members");
  }),
  entra("entra-group-remove-member-flag", 'remove members[value eq "id"] (aadOptscim062020 shape)', `${KI}: member removal with the flag`, async (ctx) => {
    const [u1, u2] = [await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx))];
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u1.id }, { value: u2.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "remove", path: `members[value eq "${u2.id}"]` }]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u1.id], "members");
  }),
  entra("entra-group-add-remove-one-request", "Add one member and Remove another in one request", `${VAL}: Patch Group - Add/Remove Member`, async (ctx) => {
    const [u1, u2] = [await ctx.createUser(entraUser(ctx)), await ctx.createUser(entraUser(ctx))];
    const g = await ctx.createGroup(entraGroup(ctx, { members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [
      { op: "Add", path: "members", value: [{ value: u2.id }] },
      { op: "Remove", path: "members", value: [{ value: u1.id }] },
    ]);
    equal(memberIds(await ctx.read(`/Groups/${g.id}`)), [u2.id], "members");
  }),
  entra("entra-group-replace-displayname", "Replace displayName with a path", `${VAL}: Patch Group - Replace Attributes`, async (ctx) => {
    const g = await ctx.createGroup(entraGroup(ctx));
    const r = await ctx.patch(`/Groups/${g.id}`, [{ op: "Replace", path: "displayName", value: `${g.displayName} v2` }]);
    equal(r.displayName, `${g.displayName} v2`, "displayName");
  }),
  entra("entra-group-replace-pathless", "pathless Replace of displayName and externalId", `${VAL}: Patch Group - Replace Attributes`, async (ctx) => {
    const g = await ctx.createGroup(entraGroup(ctx));
    const r = await ctx.patch(`/Groups/${g.id}`, [{ op: "Replace", value: { displayName: `${g.displayName} v3`, externalId: `${g.externalId}-v3` } }]);
    equal([r.displayName, r.externalId], [`${g.displayName} v3`, `${g.externalId}-v3`], "displayName, externalId");
  }),
  entra("entra-delete-group", "DELETE group → 204, then 404", `${VAL}: Delete a Group`, async (ctx) => {
    const g = await ctx.createGroup(entraGroup(ctx));
    status(await ctx.a.delete(`/Groups/${g.id}`), 204);
    scimError(await ctx.a.get(`/Groups/${g.id}`), 404);
  }),
  entra("entra-patch-unknown-op-case", 'an op in mixed case ("rEpLaCe") is accepted like replace', `${KI}: op values in any case`, async (ctx) => {
    const u = await ctx.createUser(entraUser(ctx));
    const res = await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "rEpLaCe", path: "title", value: "Mixed" }));
    status(res, 200, 204);
    equal((await ctx.read(`/Users/${u.id}`)).title, "Mixed", "title");
  }),
];
