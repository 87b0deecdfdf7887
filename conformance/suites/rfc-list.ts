// RFC 7644 §3.4.2.4 pagination, §3.4.2.5 projection, §3.4.2.3 sorting, §3.4.3 POST .search, RFC 9865 cursors.
import { SkipCase, URN, check, equal, ids, isObject, listResponse, status } from "../assert.ts";
import { qs, type ScimResponse } from "../client.ts";
import type { CaseDef, Ctx } from "../runner.ts";
import { filterFixture } from "./rfc-filter.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const P = "RFC 7644 §3.4.2.4";

/** One page of the filter fixture; sorted by userName when sort is advertised (never with a cursor: RFC 9865 lets servers refuse that). */
async function page(ctx: Ctx, params: Record<string, string | number | undefined>) {
  const f = await filterFixture(ctx);
  const sortBy = ctx.features.sort && params.cursor === undefined ? "userName" : undefined;
  return { f, res: await ctx.a.get(`/Users${qs({ filter: `userName sw "${f.p}-"`, sortBy, ...params })}`) };
}


export const rfcListCases: CaseDef[] = [
  {
    id: "rfc-list-shape", title: "GET /Users is a ListResponse with totalResults, itemsPerPage, startIndex", source: "RFC 7644 §3.4.2",
    async run(ctx) {
      await ctx.createUser();
      const res = await ctx.a.get("/Users?startIndex=1&count=5");
      const r = listResponse(res);
      check(Number.isInteger(res.body.itemsPerPage), "itemsPerPage must be an integer when paginating", res);
      equal(res.body.startIndex, 1, "startIndex", res);
      check(r.length <= 5 && r.length === res.body.itemsPerPage, `itemsPerPage (${res.body.itemsPerPage}) must equal the number of Resources (${r.length}) and ≤ count`, res);
    },
  },
  {
    id: "rfc-page-count", title: "count=1 returns one resource and the full totalResults", source: P, requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { count: 1 });
      equal(listResponse(res).length, 1, "Resources length", res);
      equal(res.body.totalResults, 3, "totalResults", res);
      equal(res.body.itemsPerPage, 1, "itemsPerPage", res);
    },
  },
  {
    id: "rfc-page-startindex", title: "startIndex is 1-based and echoed", source: P, requires: ["filter"],
    async run(ctx) {
      const first = (await page(ctx, { startIndex: 1, count: 1 })).res;
      const second = (await page(ctx, { startIndex: 2, count: 1 })).res;
      const a = listResponse(first), b = listResponse(second);
      equal(second.body.startIndex, 2, "startIndex", second);
      check(a[0]?.id && b[0]?.id && a[0].id !== b[0].id, "startIndex=2 must return a different resource than startIndex=1", second);
    },
  },
  {
    id: "rfc-page-walk", title: "walking pages of one covers every match exactly once", source: P, requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const seen: string[] = [];
      for (let i = 1; i <= 4; i++) seen.push(...ids((await page(ctx, { startIndex: i, count: 1 })).res));
      equal([...seen].sort(), [f.alpha.id, f.beta.id, f.gamma.id].sort(), "ids across pages");
    },
  },
  {
    id: "rfc-page-count-zero", title: "count=0 returns no Resources but the totalResults", source: P, requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { count: 0 });
      equal(listResponse(res).length, 0, "Resources length", res);
      equal(res.body.totalResults, 3, "totalResults", res);
    },
  },
  {
    id: "rfc-page-count-negative", title: "a negative count is treated as 0", source: P, requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { count: -5 });
      equal(listResponse(res).length, 0, "Resources length", res);
      equal(res.body.totalResults, 3, "totalResults", res);
    },
  },
  {
    id: "rfc-page-startindex-zero", title: "startIndex < 1 is treated as 1", source: P, requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { startIndex: 0, count: 10 });
      equal(listResponse(res).length, 3, "Resources length", res);
      equal(res.body.startIndex, 1, "startIndex", res);
    },
  },
  {
    id: "rfc-page-beyond", title: "startIndex beyond the results → empty page, same totalResults", source: P, requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { startIndex: 50, count: 10 });
      equal(listResponse(res).length, 0, "Resources length", res);
      equal(res.body.totalResults, 3, "totalResults", res);
    },
  },
  {
    id: "rfc-project-attributes", title: "attributes=userName returns userName, id and schemas only", source: "RFC 7644 §3.4.2.5, RFC 7643 §2.4",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}?attributes=userName`);
      status(res, 200);
      equal(res.body?.userName, u.userName, "userName", res);
      equal(res.body?.id, u.id, "id (returned always)", res);
      check(Array.isArray(res.body?.schemas), "schemas must still be returned", res);
      check(res.body.name === undefined && res.body.emails === undefined && res.body.displayName === undefined, "attributes not asked for were returned", res);
    },
  },
  {
    id: "rfc-project-excluded", title: "excludedAttributes=emails omits emails only", source: "RFC 7644 §3.4.2.5",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}?excludedAttributes=emails`);
      status(res, 200);
      check(res.body?.emails === undefined, "emails returned despite excludedAttributes", res);
      equal(res.body?.userName, u.userName, "userName", res);
      check(isObject(res.body?.name), "name must still be returned", res);
    },
  },
  {
    id: "rfc-project-excluded-always", title: "excludedAttributes cannot remove returned:always (id)", source: "RFC 7643 §2.4, RFC 7644 §3.4.2.5",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}?excludedAttributes=id,userName`);
      status(res, 200);
      equal(res.body?.id, u.id, "id", res);
    },
  },
  {
    id: "rfc-project-subattr", title: "attributes=name.givenName returns only that sub-attribute", source: "RFC 7644 §3.4.2.5, §3.10",
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}?attributes=name.givenName`);
      status(res, 200);
      equal(res.body?.name?.givenName, u.name.givenName, "name.givenName", res);
      check(res.body.name.familyName === undefined, "name.familyName returned although not asked for", res);
    },
  },
  {
    id: "rfc-project-urn", title: "attributes with a URN-qualified enterprise attribute", source: "RFC 7644 §3.10, RFC 7643 §4.3",
    async run(ctx) {
      const u = await ctx.createUser(ctx.fx.user({ schemas: [URN.user, URN.enterprise], [URN.enterprise]: { employeeNumber: "77", department: "Ops" } }));
      const res = await ctx.a.get(`/Users/${u.id}?attributes=${URN.enterprise}:employeeNumber`);
      status(res, 200);
      equal(res.body?.[URN.enterprise]?.employeeNumber, "77", "enterprise employeeNumber", res);
      check(res.body[URN.enterprise].department === undefined && res.body.userName === undefined, "unrequested attributes returned", res);
    },
  },
  {
    id: "rfc-project-list", title: "attributes applies to every resource of a list", source: "RFC 7644 §3.4.2.5", requires: ["filter"],
    async run(ctx) {
      const { res } = await page(ctx, { attributes: "userName" });
      const r = listResponse(res);
      check(r.length === 3, `expected 3 resources, got ${r.length}`, res);
      check(r.every((x: J) => x.userName && x.id && x.emails === undefined && x.name === undefined), "list resources carry unrequested attributes", res);
    },
  },
  {
    id: "rfc-project-group-members", title: "excludedAttributes=members on a group", source: "RFC 7644 §3.4.2.5",
    async run(ctx) {
      const u = await ctx.createUser();
      const g = await ctx.createGroup(ctx.fx.group({ members: [{ value: u.id }] }));
      const res = await ctx.a.get(`/Groups/${g.id}?excludedAttributes=members`);
      status(res, 200);
      check(res.body?.members === undefined, "members returned", res);
      equal(res.body.displayName, g.displayName, "displayName", res);
    },
  },
  {
    id: "rfc-sort-asc", title: "sortBy=userName ascending", source: "RFC 7644 §3.4.2.3", requires: ["sort", "filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.get(`/Users${qs({ filter: `userName sw "${f.p}-"`, sortBy: "userName" })}`);
      equal(listResponse(res).map((u: J) => u.id), [f.alpha.id, f.beta.id, f.gamma.id], "order", res);
    },
  },
  {
    id: "rfc-sort-desc", title: "sortOrder=descending", source: "RFC 7644 §3.4.2.3", requires: ["sort", "filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.get(`/Users${qs({ filter: `userName sw "${f.p}-"`, sortBy: "userName", sortOrder: "descending" })}`);
      equal(listResponse(res).map((u: J) => u.id), [f.gamma.id, f.beta.id, f.alpha.id], "order", res);
    },
  },
  {
    id: "rfc-sort-subattr", title: "sortBy=name.givenName descending", source: "RFC 7644 §3.4.2.3", requires: ["sort", "filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.get(`/Users${qs({ filter: `userName sw "${f.p}-"`, sortBy: "name.givenName", sortOrder: "descending" })}`);
      equal(listResponse(res).map((u: J) => u.id), [f.gamma.id, f.beta.id, f.alpha.id], "order", res);
    },
  },
  {
    id: "rfc-search-users", title: "POST /Users/.search with a filter", source: "RFC 7644 §3.4.3", requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.post("/Users/.search", { schemas: [URN.search], filter: `userName eq "${f.beta.userName}"` });
      if (res.status === 501) return skip("server answers 501 to .search");
      equal(ids(res), [f.beta.id], "ids", res);
    },
  },
  {
    id: "rfc-search-paging", title: "POST /Users/.search honours startIndex, count and attributes", source: "RFC 7644 §3.4.3", requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.post("/Users/.search", { schemas: [URN.search], filter: `userName sw "${f.p}-"`, startIndex: 1, count: 2, attributes: ["userName"] });
      if (res.status === 501) return skip("server answers 501 to .search");
      const r = listResponse(res);
      equal(r.length, 2, "Resources length", res);
      equal(res.body.totalResults, 3, "totalResults", res);
      check(r.every((x: J) => x.name === undefined), "attributes not applied", res);
    },
  },
  {
    id: "rfc-search-root", title: "POST /.search at the root searches across resource types", source: "RFC 7644 §3.4.3", requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.post("/.search", { schemas: [URN.search], filter: `userName eq "${f.alpha.userName}"` });
      if (res.status === 501) return skip("server answers 501 to root .search");
      check(ids(res).includes(f.alpha.id), "root .search did not find the user", res);
    },
  },
  {
    id: "rfc-cursor-first", title: "cursor pagination: first page carries nextCursor", source: "RFC 9865 §2", requires: ["cursor", "filter"],
    async run(ctx) {
      const { res } = await page(ctx, { cursor: "", count: 1 });
      equal(listResponse(res).length, 1, "Resources length", res);
      check(typeof res.body.nextCursor === "string" && res.body.nextCursor.length > 0, "nextCursor missing", res);
    },
  },
  {
    id: "rfc-cursor-walk", title: "cursor pagination: following nextCursor visits every match once", source: "RFC 9865 §2", requires: ["cursor", "filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const seen: string[] = [];
      let cursor: string | undefined = "";
      for (let i = 0; i < 5 && cursor !== undefined; i++) {
        const res: ScimResponse = (await page(ctx, { cursor, count: 1 })).res;
        seen.push(...ids(res));
        cursor = typeof res.body.nextCursor === "string" ? res.body.nextCursor : undefined;
      }
      equal(seen.sort(), [f.alpha.id, f.beta.id, f.gamma.id].sort(), "ids across cursor pages");
    },
  },
  {
    id: "rfc-cursor-invalid", title: "cursor pagination: an unknown cursor → 400 invalidCursor", source: "RFC 9865 §2", requires: ["cursor"],
    async run(ctx) {
      const res = await ctx.a.get(`/Users?cursor=not-a-real-cursor-${ctx.fx.run}&count=1`);
      status(res, 400);
      equal(res.body?.scimType, "invalidCursor", "scimType", res);
    },
  },
];

function skip(reason: string): never { throw new SkipCase(reason); }
