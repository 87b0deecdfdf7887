// RFC 7644 §3.4.2.2 filtering: every operator, logical grouping, complex value filters, URN paths,
// case rules per caseExact, and invalidFilter errors. Three users are created once and shared.
import { URN, check, equal, ids, listResponse, sameSet, scimError } from "../assert.ts";
import type { CaseDef, Ctx } from "../runner.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

export interface FilterFixture { p: string; alpha: J; beta: J; gamma: J; group: J }

/** Three users with distinct attributes, created a second apart so meta.created orders them. */
export function filterFixture(ctx: Ctx): Promise<FilterFixture> {
  return ctx.once("filter-fixture", async () => {
    const p = `flt-${ctx.fx.run}`;
    const alpha = await ctx.createUser({
      schemas: [URN.user, URN.enterprise], userName: `${p}-alpha@example.test`, externalId: `ext-${p}-alpha`,
      name: { givenName: "Alpha", familyName: p }, displayName: `Alpha "Quoted" ${p}`, title: "Engineer", active: true,
      emails: [{ type: "work", value: `alpha-${p}@work.test`, primary: true }],
      [URN.enterprise]: { employeeNumber: `E-${p}-1`, department: "R&D" },
    });
    await sleep(1100);
    const beta = await ctx.createUser({
      schemas: [URN.user], userName: `${p}-beta@example.test`, externalId: `ext-${p}-beta`,
      name: { givenName: "Beta", familyName: p }, displayName: `Beta ${p}`, title: "Manager", active: false,
      emails: [{ type: "home", value: `beta-${p}@work.test` }, { type: "work", value: `beta-${p}@other.test`, primary: true }],
    });
    await sleep(1100);
    const gamma = await ctx.createUser({
      schemas: [URN.user], userName: `${p}-gamma@example.test`, externalId: `ext-${p}-gamma`,
      name: { givenName: "Gamma", familyName: p }, displayName: `Gamma ${p}`, active: true,
      emails: [{ type: "work", value: `gamma-${p}@x.test`, primary: true }],
    });
    const group = await ctx.createGroup(ctx.fx.group({ displayName: `${p}-group`, members: [{ value: alpha.id }, { value: beta.id }] }));
    return { p, alpha, beta, gamma, group };
  });
}

const scoped = (p: string, expr: string) => `userName sw "${p}-" and (${expr})`;

async function filterIds(ctx: Ctx, filter: string, endpoint = "/Users"): Promise<string[]> {
  const res = await ctx.a.get(`${endpoint}?filter=${encodeURIComponent(filter)}`);
  return ids(res);
}

/** One case: a filter (scoped to the fixture) and which fixture users it must return. */
function expectMatch(id: string, title: string, source: string, build: (f: FilterFixture) => string, expect: (f: FilterFixture) => J[], scope = true): CaseDef {
  return {
    id, title, source, requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const filter = scope ? scoped(f.p, build(f)) : build(f);
      const res = await ctx.a.get(`/Users?filter=${encodeURIComponent(filter)}`);
      sameSet(ids(res), expect(f).map((u) => u.id), `ids matching ${filter}`, res);
    },
  };
}

const F = "RFC 7644 §3.4.2.2";

export const rfcFilterCases: CaseDef[] = [
  expectMatch("rfc-filter-eq", "eq on userName", F, (f) => `userName eq "${f.alpha.userName}"`, (f) => [f.alpha], false),
  expectMatch("rfc-filter-eq-caseinsensitive-value", "eq on userName ignores case (caseExact false)", "RFC 7644 §3.4.2.2, RFC 7643 §4.1.1",
    (f) => `userName eq "${f.alpha.userName.toUpperCase()}"`, (f) => [f.alpha], false),
  expectMatch("rfc-filter-attrname-case", "attribute names in filters are case-insensitive", "RFC 7644 §3.4.2.2, RFC 7643 §2.1",
    (f) => `USERNAME eq "${f.alpha.userName}"`, (f) => [f.alpha], false),
  expectMatch("rfc-filter-operator-case", "filter operators are case-insensitive", F,
    (f) => `userName EQ "${f.alpha.userName}"`, (f) => [f.alpha], false),
  expectMatch("rfc-filter-externalid-caseexact", "externalId eq is case-sensitive (caseExact true)", "RFC 7643 §3.1",
    (f) => `externalId eq "${f.alpha.externalId.toUpperCase()}"`, () => []),
  expectMatch("rfc-filter-externalid", "eq on externalId", "RFC 7643 §3.1, RFC 7644 §3.4.2.2", (f) => `externalId eq "${f.beta.externalId}"`, (f) => [f.beta]),
  expectMatch("rfc-filter-id", "eq on id", F, (f) => `id eq "${f.gamma.id}"`, (f) => [f.gamma]),
  expectMatch("rfc-filter-ne", "ne", F, (f) => `userName ne "${f.alpha.userName}"`, (f) => [f.beta, f.gamma]),
  expectMatch("rfc-filter-co", "co", F, (f) => `userName co "${f.p}-bet"`, (f) => [f.beta], false),
  expectMatch("rfc-filter-sw", "sw", F, (f) => `userName sw "${f.p}-"`, (f) => [f.alpha, f.beta, f.gamma], false),
  expectMatch("rfc-filter-ew", "ew", F, (f) => `userName ew "${f.p}-gamma@example.test"`, (f) => [f.gamma], false),
  expectMatch("rfc-filter-pr", "pr (title present)", F, () => "title pr", (f) => [f.alpha, f.beta]),
  expectMatch("rfc-filter-gt-string", "gt on a string compares lexicographically", F, (f) => `userName gt "${f.beta.userName}"`, (f) => [f.gamma]),
  expectMatch("rfc-filter-le-string", "le on a string", F, (f) => `userName le "${f.beta.userName}"`, (f) => [f.alpha, f.beta]),
  expectMatch("rfc-filter-created-gt", "meta.created gt", "RFC 7644 §3.4.2.2 (DateTime comparison)", (f) => `meta.created gt "${f.alpha.meta.created}"`, (f) => [f.beta, f.gamma]),
  expectMatch("rfc-filter-created-ge", "meta.created ge", "RFC 7644 §3.4.2.2 (DateTime comparison)", (f) => `meta.created ge "${f.beta.meta.created}"`, (f) => [f.beta, f.gamma]),
  expectMatch("rfc-filter-created-lt", "meta.created lt", "RFC 7644 §3.4.2.2 (DateTime comparison)", (f) => `meta.created lt "${f.gamma.meta.created}"`, (f) => [f.alpha, f.beta]),
  expectMatch("rfc-filter-lastmodified-le", "meta.lastModified le", "RFC 7644 §3.4.2.2 (DateTime comparison)", (f) => `meta.lastModified le "${f.alpha.meta.lastModified}"`, (f) => [f.alpha]),
  expectMatch("rfc-filter-and-or-parens", "and/or with parentheses", F, () => `title eq "Engineer" or title eq "Manager"`, (f) => [f.alpha, f.beta]),
  expectMatch("rfc-filter-precedence", "and binds tighter than or", F, (f) => `title eq "Engineer" or title eq "Manager" and userName eq "${f.gamma.userName}"`, (f) => [f.alpha]),
  expectMatch("rfc-filter-not", "not ( … )", F, () => `not (title eq "Engineer")`, (f) => [f.beta, f.gamma]),
  expectMatch("rfc-filter-boolean", "eq false on a boolean", F, () => "active eq false", (f) => [f.beta]),
  expectMatch("rfc-filter-subattr", "eq on a sub-attribute (name.givenName)", F, () => `name.givenName eq "Gamma"`, (f) => [f.gamma]),
  expectMatch("rfc-filter-multivalued-subattr", "eq on a multi-valued sub-attribute (emails.value)", F, (f) => `emails.value eq "beta-${f.p}@other.test"`, (f) => [f.beta]),
  expectMatch("rfc-filter-complex-value", "complex value filter matches within one element", F,
    (f) => `emails[type eq "work" and value co "${f.p}@work.test"]`, (f) => [f.alpha]),
  expectMatch("rfc-filter-complex-value-type", "complex value filter on type", F, () => `emails[type eq "home"]`, (f) => [f.beta]),
  expectMatch("rfc-filter-urn-core", "URN-qualified core attribute", "RFC 7644 §3.4.2.2, §3.10",
    (f) => `${URN.user}:userName eq "${f.alpha.userName}"`, (f) => [f.alpha], false),
  expectMatch("rfc-filter-urn-enterprise", "URN-qualified enterprise attribute", "RFC 7644 §3.10, RFC 7643 §4.3",
    (f) => `${URN.enterprise}:employeeNumber eq "E-${f.p}-1"`, (f) => [f.alpha]),
  expectMatch("rfc-filter-escaped-quote", "string literal with escaped quotes", "RFC 7644 §3.4.2.2 (JSON string values)",
    (f) => `displayName eq ${JSON.stringify(f.alpha.displayName)}`, (f) => [f.alpha]),
  expectMatch("rfc-filter-no-match", "no match → 200 with totalResults 0", F, (f) => `userName eq "nobody-${f.p}@example.test"`, () => [], false),
  {
    id: "rfc-filter-group-displayname", title: "Groups: displayName eq", source: F, requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      sameSet(await filterIds(ctx, `displayName eq "${f.group.displayName}"`, "/Groups"), [f.group.id], "group ids");
    },
  },
  {
    id: "rfc-filter-group-member", title: "Groups: members.value eq finds the groups of a user", source: F, requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      sameSet(await filterIds(ctx, `displayName sw "${f.p}" and members.value eq "${f.beta.id}"`, "/Groups"), [f.group.id], "group ids");
    },
  },
  {
    id: "rfc-filter-total-results", title: "totalResults counts all matches", source: "RFC 7644 §3.4.2", requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const res = await ctx.a.get(`/Users?filter=${encodeURIComponent(`userName sw "${f.p}-"`)}`);
      listResponse(res);
      equal(res.body.totalResults, 3, "totalResults", res);
    },
  },
  ...([
    ["rfc-filter-invalid-incomplete", "incomplete expression", 'userName eq'],
    ["rfc-filter-invalid-operator", "unknown operator", 'userName zz "x"'],
    ["rfc-filter-invalid-parens", "unbalanced parentheses", '(userName eq "x"'],
    ["rfc-filter-invalid-unquoted", "unquoted string value", "userName eq bob"],
  ] as const).map(([id, what, filter]): CaseDef => ({
    id, title: `invalid filter (${what}) → 400 invalidFilter`, source: "RFC 7644 §3.4.2.2, §3.12", requires: ["filter"],
    async run(ctx) {
      scimError(await ctx.a.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, ["invalidFilter"]);
    },
  })),
  {
    id: "rfc-filter-lastmodified-future", title: "meta.lastModified gt a future date → no results", source: "RFC 7644 §3.4.2.2", requires: ["filter"],
    async run(ctx) {
      const f = await filterFixture(ctx);
      const got = await filterIds(ctx, scoped(f.p, `meta.lastModified gt "2999-01-01T00:00:00Z"`));
      check(got.length === 0, `expected no results, got ${got.length}`);
    },
  },
];
