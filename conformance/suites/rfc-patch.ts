// RFC 7644 §3.5.2 PATCH: add/replace/remove with and without path, value-path filters, multi-valued
// merge, a single primary, atomicity, and the 400 scimTypes for bad operations.
import { URN, check, equal, isObject, scimError, status } from "../assert.ts";
import { patchOp } from "../fixtures.ts";
import type { CaseDef, Ctx } from "../runner.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const P = "RFC 7644 §3.5.2";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A user with a work and a home email, for value-path cases. */
async function twoEmailUser(ctx: Ctx): Promise<J> {
  const local = ctx.fx.uniq("pt");
  return ctx.createUser(ctx.fx.user({
    userName: `conf-${local}@example.test`, title: "Original title",
    emails: [{ type: "work", value: `${local}@work.test`, primary: true }, { type: "home", value: `${local}@home.test` }],
  }));
}

const emailOf = (u: J, type: string) => (u.emails ?? []).filter((e: J) => e.type === type);

function patchCase(id: string, title: string, source: string, run: (ctx: Ctx) => Promise<void>): CaseDef {
  return { id, title, source, requires: ["patch"], run };
}

export const rfcPatchCases: CaseDef[] = [
  patchCase("rfc-patch-add-path", "add with a path sets a singular attribute", `${P}.1`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "add", path: "title", value: "Added title" }]);
    equal(r.title, "Added title", "title");
  }),
  patchCase("rfc-patch-replace-path", "replace with a path", `${P}.3`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: "title", value: "Replaced" }]);
    equal(r.title, "Replaced", "title");
    equal(r.userName, u.userName, "userName untouched");
  }),
  patchCase("rfc-patch-replace-nopath", "replace without a path applies each attribute of value", `${P}.3`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", value: { displayName: "No Path", title: "Pathless" } }]);
    equal(r.displayName, "No Path", "displayName");
    equal(r.title, "Pathless", "title");
    equal(r.emails?.length, 1, "emails untouched");
  }),
  patchCase("rfc-patch-add-nopath", "add without a path adds the attributes of value", `${P}.1`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "add", value: { nickName: "Nick", title: "Added" } }]);
    equal(r.nickName, "Nick", "nickName");
    equal(r.title, "Added", "title");
  }),
  patchCase("rfc-patch-subattr", "replace name.givenName keeps name.familyName", `${P}.3`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: "name.givenName", value: "Subby" }]);
    equal(r.name?.givenName, "Subby", "name.givenName");
    equal(r.name?.familyName, u.name.familyName, "name.familyName");
  }),
  patchCase("rfc-patch-remove-path", "remove with a path unassigns the attribute", `${P}.2`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "remove", path: "title" }]);
    check(r.title === undefined, `title still present: ${r.title}`);
  }),
  patchCase("rfc-patch-add-multivalued", "add to a multi-valued attribute appends", `${P}.1`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "add", path: "emails", value: [{ type: "home", value: `home-${ctx.fx.run}@home.test` }] }]);
    equal(r.emails?.length, 2, "number of emails");
    check(emailOf(r, "work").length === 1, "the existing work email was lost");
  }),
  patchCase("rfc-patch-valuepath-replace", "replace emails[type eq \"work\"].value changes only that element", `${P}.3`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: 'emails[type eq "work"].value', value: `new-${ctx.fx.run}@work.test` }]);
    equal(emailOf(r, "work")[0]?.value, `new-${ctx.fx.run}@work.test`, "work email");
    equal(emailOf(r, "home")[0]?.value, emailOf(u, "home")[0].value, "home email");
  }),
  patchCase("rfc-patch-valuepath-remove", "remove emails[type eq \"home\"] removes only that element", `${P}.2`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "remove", path: 'emails[type eq "home"]' }]);
    equal(emailOf(r, "home").length, 0, "home emails");
    equal(emailOf(r, "work").length, 1, "work emails");
  }),
  patchCase("rfc-patch-remove-multivalued", "remove emails (no filter) removes all values", `${P}.2`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "remove", path: "emails" }]);
    check(r.emails === undefined || r.emails.length === 0, "emails still present");
  }),
  patchCase("rfc-patch-single-primary", "adding a primary email clears the previous primary", "RFC 7643 §2.4, RFC 7644 §3.5.2", async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "add", path: "emails", value: [{ type: "other", value: `p-${ctx.fx.run}@other.test`, primary: true }] }]);
    const primaries = (r.emails ?? []).filter((e: J) => e.primary === true);
    equal(primaries.length, 1, "number of primary emails");
    equal(primaries[0]?.type, "other", "the new email is the primary");
  }),
  patchCase("rfc-patch-urn-path", "URN-qualified path into the enterprise extension", `${P}, §3.10`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: `${URN.enterprise}:department`, value: "Finance" }]);
    equal(r[URN.enterprise]?.department, "Finance", "enterprise department");
  }),
  patchCase("rfc-patch-active-false", "replace active false with a boolean", `${P}.3`, async (ctx) => {
    const u = await ctx.createUser();
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: "active", value: false }]);
    equal(r.active, false, "active");
  }),
  patchCase("rfc-patch-lastmodified", "PATCH advances meta.lastModified", "RFC 7643 §3.1", async (ctx) => {
    const u = await ctx.createUser();
    await sleep(1100);
    const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: "displayName", value: "later" }]);
    check(Date.parse(r.meta?.lastModified) > Date.parse(u.meta?.lastModified), `lastModified did not advance (${u.meta?.lastModified} → ${r.meta?.lastModified})`);
  }),
  patchCase("rfc-patch-remove-nopath", "remove without a path → 400 noTarget", `${P}.2`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "remove" })), 400, ["noTarget"]);
  }),
  patchCase("rfc-patch-replace-notarget", "replace on a value filter that matches nothing → 400 noTarget", `${P}.3`, async (ctx) => {
    const u = await twoEmailUser(ctx);
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: 'emails[type eq "nonexistent"].value', value: "x@y.test" })), 400, ["noTarget"]);
  }),
  patchCase("rfc-patch-invalid-op", "an unknown op → 400", `${P}, §3.12`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "jump", path: "title", value: "x" })), 400, ["invalidSyntax", "invalidValue"]);
  }),
  patchCase("rfc-patch-invalid-path", "a malformed path → 400 invalidPath", `${P}, §3.12`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: 'emails[type eq "work"', value: "x" })), 400, ["invalidPath", "invalidFilter"]);
  }),
  patchCase("rfc-patch-readonly", "replacing the readOnly id → 400 mutability", `${P}, §3.12`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "id", value: ctx.fx.missingId() })), 400, ["mutability"]);
  }),
  patchCase("rfc-patch-invalid-value", "a value of the wrong type → 400 invalidValue", `${P}, §3.12`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: "banana" })), 400, ["invalidValue", "invalidSyntax"]);
  }),
  patchCase("rfc-patch-no-operations", "a PatchOp without Operations → 400", `${P}, §3.12`, async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u.id}`, { schemas: [URN.patch] }), 400, ["invalidSyntax", "invalidValue"]);
  }),
  patchCase("rfc-patch-atomic", "a failing operation leaves the resource unchanged", `${P}`, async (ctx) => {
    const u = await ctx.createUser();
    const res = await ctx.a.patch(`/Users/${u.id}`, patchOp(
      { op: "replace", path: "displayName", value: "must-not-stick" },
      { op: "remove" },
    ));
    status(res, 400);
    const r = await ctx.read(`/Users/${u.id}`);
    equal(r.displayName, u.displayName, "displayName after the failed PATCH");
  }),
  patchCase("rfc-patch-404", "PATCH of an unknown id → 404", `${P}, §3.12`, async (ctx) => {
    scimError(await ctx.a.patch(`/Users/${ctx.fx.missingId()}`, patchOp({ op: "replace", path: "title", value: "x" })), 404);
  }),
  patchCase("rfc-patch-uniqueness", "replacing userName with a taken one → 409 uniqueness", `${P}, §3.12`, async (ctx) => {
    const u1 = await ctx.createUser();
    const u2 = await ctx.createUser();
    scimError(await ctx.a.patch(`/Users/${u2.id}`, patchOp({ op: "replace", path: "userName", value: u1.userName })), 409, ["uniqueness"]);
  }),
  patchCase("rfc-patch-group-add-member", "add members to a group", `${P}.1`, async (ctx) => {
    const u1 = await ctx.createUser();
    const u2 = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "add", path: "members", value: [{ value: u2.id }] }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value).sort(), [u1.id, u2.id].sort(), "members");
  }),
  patchCase("rfc-patch-group-add-member-idempotent", "adding an existing member does not duplicate it", `${P}.1`, async (ctx) => {
    const u1 = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "add", path: "members", value: [{ value: u1.id }] }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value), [u1.id], "members");
  }),
  patchCase("rfc-patch-group-remove-member", "remove members[value eq \"id\"] removes only that member", `${P}.2`, async (ctx) => {
    const u1 = await ctx.createUser();
    const u2 = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }, { value: u2.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "remove", path: `members[value eq "${u1.id}"]` }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value), [u2.id], "members");
  }),
  patchCase("rfc-patch-group-replace-members", "replace members sets exactly the given list", `${P}.3`, async (ctx) => {
    const u1 = await ctx.createUser();
    const u2 = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "replace", path: "members", value: [{ value: u2.id }] }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    equal((r.members ?? []).map((m: J) => m.value), [u2.id], "members");
  }),
  patchCase("rfc-patch-group-remove-all", "remove members (no filter) empties the group", `${P}.2`, async (ctx) => {
    const u1 = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u1.id }] }));
    await ctx.patch(`/Groups/${g.id}`, [{ op: "remove", path: "members" }]);
    const r = await ctx.read(`/Groups/${g.id}`);
    check(!r.members || r.members.length === 0, "members still present");
    check(isObject(await ctx.read(`/Users/${u1.id}`)), "the member user itself must survive");
  }),
];
