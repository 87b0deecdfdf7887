// Cross-tenant isolation (--token2): what one tenant creates, another can neither see nor change.
import { URN, check, equal, listResponse, scimError, status } from "../assert.ts";
import { qs } from "../client.ts";
import { patchOp } from "../fixtures.ts";
import type { CaseDef, Ctx } from "../runner.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const SRC = "RFC 7644 §2 (authorization), §7.6";

function iso(id: string, title: string, run: (ctx: Ctx) => Promise<void>): CaseDef {
  return { id, title, source: SRC, needsToken2: true, run };
}

export const isolationCases: CaseDef[] = [
  iso("iso-get-user", "B: GET of A's user → 404", async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.other.get(`/Users/${u.id}`), 404);
  }),
  iso("iso-filter-username", "B: userName eq A's user → 0 results", async (ctx) => {
    const u = await ctx.createUser();
    const res = await ctx.other.get(`/Users${qs({ filter: `userName eq "${u.userName}"` })}`);
    equal(listResponse(res).length, 0, "Resources", res);
    equal(res.body.totalResults, 0, "totalResults", res);
  }),
  iso("iso-filter-id", "B: id eq and externalId eq of A's user → 0 results", async (ctx) => {
    const u = await ctx.createUser();
    equal(listResponse(await ctx.other.get(`/Users${qs({ filter: `id eq "${u.id}"` })}`)).length, 0, "id eq results");
    equal(listResponse(await ctx.other.get(`/Users${qs({ filter: `externalId eq "${u.externalId}"` })}`)).length, 0, "externalId eq results");
  }),
  iso("iso-list", "B: listing users never shows A's user", async (ctx) => {
    const u = await ctx.createUser();
    for (let start = 1, page = 0; page < 20; page++) {
      const res = await ctx.other.get(`/Users?startIndex=${start}&count=100`);
      const r = listResponse(res);
      check(!r.some((x: J) => x.id === u.id || x.userName === u.userName), "A's user appears in B's list", res);
      if (r.length === 0 || start + r.length > res.body.totalResults) break;
      start += r.length;
    }
  }),
  iso("iso-put-user", "B: PUT of A's user → 404, A's user unchanged", async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.other.put(`/Users/${u.id}`, ctx.fx.user({ userName: u.userName, displayName: "hijacked" })), 404);
    equal((await ctx.read(`/Users/${u.id}`)).displayName, u.displayName, "displayName seen by A");
  }),
  iso("iso-patch-user", "B: PATCH of A's user → 404, still active for A", async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.other.patch(`/Users/${u.id}`, patchOp({ op: "replace", value: { active: false } })), 404);
    equal((await ctx.read(`/Users/${u.id}`)).active, true, "active seen by A");
  }),
  iso("iso-delete-user", "B: DELETE of A's user → 404, A's user survives", async (ctx) => {
    const u = await ctx.createUser();
    scimError(await ctx.other.delete(`/Users/${u.id}`), 404);
    await ctx.read(`/Users/${u.id}`);
  }),
  iso("iso-same-username", "the same userName can exist in both tenants", async (ctx) => {
    const u = await ctx.createUser();
    const twin = await ctx.createUser(ctx.fx.user({ userName: u.userName }), ctx.other);
    check(twin.id !== u.id, "B's user got A's id");
    equal((await ctx.read(`/Users/${u.id}`)).userName, u.userName, "A's user intact");
  }),
  iso("iso-get-group", "B: GET of A's group → 404", async (ctx) => {
    const g = await ctx.createGroup();
    scimError(await ctx.other.get(`/Groups/${g.id}`), 404);
  }),
  iso("iso-filter-group", "B: displayName eq A's group → 0 results", async (ctx) => {
    const g = await ctx.createGroup();
    equal(listResponse(await ctx.other.get(`/Groups${qs({ filter: `displayName eq "${g.displayName}"` })}`)).length, 0, "results");
  }),
  iso("iso-patch-group", "B: PATCH of A's group (add B's user) → 404, A's group unchanged", async (ctx) => {
    const g = await ctx.createGroup();
    const ub = await ctx.createUser(ctx.fx.user(), ctx.other);
    scimError(await ctx.other.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: ub.id }] })), 404);
    const r = await ctx.read(`/Groups/${g.id}`);
    check(!(r.members ?? []).length, "A's group gained a member");
  }),
  iso("iso-delete-group", "B: DELETE of A's group → 404", async (ctx) => {
    const g = await ctx.createGroup();
    scimError(await ctx.other.delete(`/Groups/${g.id}`), 404);
    await ctx.read(`/Groups/${g.id}`);
  }),
  iso("iso-member-foreign-user", "B cannot put A's user into B's group", async (ctx) => {
    const u = await ctx.createUser();
    const res = await ctx.other.post("/Groups", { schemas: [URN.group], displayName: `conf-iso-${ctx.fx.uniq("g")}`, members: [{ value: u.id }] });
    if (res.status === 201) {
      ctx.track(ctx.other, `/Groups/${res.body.id}`);
      const r = await ctx.read(`/Groups/${res.body.id}`, ctx.other);
      check(!(r.members ?? []).some((m: J) => m.value === u.id), "B's group lists A's user as a member", res);
      return;
    }
    status(res, 400, 404);
  }),
  iso("iso-patch-member-foreign-user", "B cannot PATCH A's user into B's group", async (ctx) => {
    const u = await ctx.createUser();
    const g = await ctx.createGroup(ctx.fx.group(), ctx.other);
    const res = await ctx.other.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: u.id }] }));
    if (res.status === 200 || res.status === 204) {
      const r = await ctx.read(`/Groups/${g.id}`, ctx.other);
      check(!(r.members ?? []).some((m: J) => m.value === u.id), "B's group lists A's user as a member", res);
      return;
    }
    status(res, 400, 404);
  }),
];
