import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../../errors.ts";
import { compileFilter, compileSortKey, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from "./index.ts";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ESC = "ESCAPE E'\\\\'";
const emailsArray = `jsonb_array_elements(CASE jsonb_typeof(r."data"->'emails') WHEN 'array' THEN r."data"->'emails' END)`;

type RT = "User" | "Group";

const shapes: { filter: string; rt?: RT; alias?: string; sql: string; values: unknown[] }[] = [
  // Index-served equality on columns: exactly `col = $1`.
  { filter: 'userName eq "bjensen"', sql: `r."userName" = $1`, values: ["bjensen"] },
  { filter: 'externalId eq "ext-1"', sql: `r."externalId" = $1`, values: ["ext-1"] },
  { filter: 'id eq "2819c223"', sql: `r."id" = $1`, values: ["2819c223"] },
  { filter: 'displayName eq "Admins"', rt: "Group", sql: `r."displayName" = $1`, values: ["Admins"] },
  { filter: 'userName eq "bjensen"', alias: "usr", sql: `usr."userName" = $1`, values: ["bjensen"] },
  // Attribute names, operators and URN prefixes are case-insensitive.
  { filter: 'USERNAME EQ "x"', sql: `r."userName" = $1`, values: ["x"] },
  { filter: 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', sql: `r."userName" = $1`, values: ["x"] },
  // LIKE: % _ \ escaped, explicit ESCAPE; citext → lower(col::text) LIKE (the trigram index expression), caseExact=false text → lower(), caseExact → LIKE.
  { filter: 'userName co "a%b_c\\\\d"', sql: `lower(r."userName"::text) LIKE lower($1) ${ESC}`, values: ["%a\\%b\\_c\\\\d%"] },
  { filter: 'userName sw "J"', sql: `lower(r."userName"::text) LIKE lower($1) ${ESC}`, values: ["J%"] },
  { filter: 'userName ew "@x.com"', sql: `lower(r."userName"::text) LIKE lower($1) ${ESC}`, values: ["%@x.com"] },
  { filter: 'displayName co "ann"', sql: `lower(r."displayName") LIKE lower($1) ${ESC}`, values: ["%ann%"] },
  { filter: 'displayName co "ann"', rt: "Group", sql: `lower(r."displayName"::text) LIKE lower($1) ${ESC}`, values: ["%ann%"] },
  { filter: 'externalId sw "E_"', sql: `r."externalId" LIKE $1 ${ESC}`, values: ["E\\_%"] },
  { filter: 'displayName eq "Ann"', sql: `lower(r."displayName") = lower($1)`, values: ["Ann"] },
  { filter: 'displayName gt "m"', sql: `lower(r."displayName") > lower($1)`, values: ["m"] },
  { filter: 'userName le "m"', sql: `r."userName" <= $1`, values: ["m"] },
  { filter: 'externalId ge "m"', sql: `r."externalId" >= $1`, values: ["m"] },
  // ne: missing attribute → true.
  { filter: 'externalId ne "x"', sql: `r."externalId" IS DISTINCT FROM $1`, values: ["x"] },
  { filter: 'title ne "x"', sql: `lower(r."data"->>'title') IS DISTINCT FROM lower($1)`, values: ["x"] },
  // JSONB paths.
  { filter: 'name.givenName eq "Barbara"', sql: `lower(r."data"->'name'->>'givenName') = lower($1)`, values: ["Barbara"] },
  { filter: `${ENT}:department eq "Sales"`, sql: `lower(r."data"->'${ENT}'->>'department') = lower($1)`, values: ["Sales"] },
  { filter: `${ENT.toUpperCase()}:MANAGER.VALUE eq "m1"`, sql: `lower(r."data"->'${ENT}'->'manager'->>'value') = lower($1)`, values: ["m1"] },
  // Typed values.
  { filter: "active eq true", sql: `r."active" = $1`, values: [true] },
  { filter: "active ne False", sql: `r."active" IS DISTINCT FROM $1`, values: [false] },
  { filter: 'meta.created gt "2011-05-13T04:42:34Z"', sql: `r."createdAt" > $1::timestamptz`, values: ["2011-05-13T04:42:34Z"] },
  { filter: 'meta.lastModified le "2011-05-13T04:42:34.123+02:00"', sql: `r."updatedAt" <= $1::timestamptz`, values: ["2011-05-13T04:42:34.123+02:00"] },
  { filter: 'meta.lastModified eq "2011-05-13T04:42:34"', sql: `r."updatedAt" = $1::timestamptz`, values: ["2011-05-13T04:42:34Z"] },
  { filter: 'meta.version eq "W/\\"3\\""', sql: `('W/"' || r."version" || '"') = $1`, values: ['W/"3"'] },
  { filter: 'meta.resourceType eq "User"', sql: `$1::text = $2`, values: ["User", "User"] },
  // pr and null.
  { filter: "title pr", sql: `r."data"->>'title' <> ''`, values: [] },
  { filter: "active pr", sql: `r."active" IS NOT NULL`, values: [] },
  { filter: "title eq null", sql: `(r."data"->>'title' <> '') IS NOT TRUE`, values: [] },
  { filter: "title ne null", sql: `r."data"->>'title' <> ''`, values: [] },
  { filter: "emails pr", sql: `(jsonb_typeof(r."data"->'emails') = 'array' AND r."data"->'emails' <> '[]'::jsonb)`, values: [] },
  // Correlated value filters: every condition on the same element.
  {
    filter: 'emails[type eq "work" and value co "@acme.com"]',
    sql: `EXISTS (SELECT 1 FROM ${emailsArray} AS el(v) WHERE lower(el.v->>'type') = lower($1) AND lower(el.v->>'value') LIKE lower($2) ${ESC})`,
    values: ["work", "%@acme.com%"],
  },
  {
    filter: 'emails[type eq "work"].value co "@acme.com"',
    sql: `EXISTS (SELECT 1 FROM ${emailsArray} AS el(v) WHERE lower(el.v->>'type') = lower($1) AND lower(el.v->>'value') LIKE lower($2) ${ESC})`,
    values: ["work", "%@acme.com%"],
  },
  {
    filter: 'emails[type eq "work" or primary eq true].value sw "a"',
    sql: `EXISTS (SELECT 1 FROM ${emailsArray} AS el(v) WHERE (lower(el.v->>'type') = lower($1) OR (el.v->'primary') = to_jsonb($2::boolean)) AND lower(el.v->>'value') LIKE lower($3) ${ESC})`,
    values: ["work", true, "a%"],
  },
  { filter: 'emails co "x"', sql: `EXISTS (SELECT 1 FROM ${emailsArray} AS el(v) WHERE lower(el.v->>'value') LIKE lower($1) ${ESC})`, values: ["%x%"] },
  { filter: "emails.primary eq true", sql: `EXISTS (SELECT 1 FROM ${emailsArray} AS el(v) WHERE (el.v->'primary') = to_jsonb($1::boolean))`, values: [true] },
  {
    filter: 'members[value eq "u1"]',
    rt: "Group",
    sql: `EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."tenantId" = r."tenantId" AND gm."groupId" = r."id" AND gm."userId" = $1)`,
    values: ["u1"],
  },
  {
    filter: 'members eq "u1"',
    rt: "Group",
    sql: `EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."tenantId" = r."tenantId" AND gm."groupId" = r."id" AND gm."userId" = $1)`,
    values: ["u1"],
  },
  {
    filter: 'members.display sw "b"',
    rt: "Group",
    sql: `EXISTS (SELECT 1 FROM "GroupMember" gm JOIN "User" u ON u."id" = gm."userId" AND u."tenantId" = gm."tenantId" WHERE gm."tenantId" = r."tenantId" AND gm."groupId" = r."id" AND lower(COALESCE(u."displayName", u."userName"::text)) LIKE lower($1) ${ESC})`,
    values: ["b%"],
  },
  {
    filter: 'groups[value eq "g1"]',
    sql: `EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."tenantId" = r."tenantId" AND gm."userId" = r."id" AND gm."groupId" = $1)`,
    values: ["g1"],
  },
  {
    filter: 'groups.display eq "Admins"',
    sql: `EXISTS (SELECT 1 FROM "GroupMember" gm JOIN "Group" g ON g."id" = gm."groupId" AND g."tenantId" = gm."tenantId" WHERE gm."tenantId" = r."tenantId" AND gm."userId" = r."id" AND g."displayName" = $1)`,
    values: ["Admins"],
  },
  // Logic: not > and > or; OR always parenthesised; not → IS NOT TRUE.
  { filter: 'not (userName eq "x")', sql: `(r."userName" = $1) IS NOT TRUE`, values: ["x"] },
  {
    filter: 'userName eq "a" or userName eq "b" and active eq true',
    sql: `(r."userName" = $1 OR r."userName" = $2 AND r."active" = $3)`,
    values: ["a", "b", true],
  },
  {
    filter: '(userName eq "a" or userName eq "b") and active eq true',
    sql: `(r."userName" = $1 OR r."userName" = $2) AND r."active" = $3`,
    values: ["a", "b", true],
  },
  {
    filter: 'not(userName eq "a" or title pr) and not (active eq false)',
    sql: `((r."userName" = $1 OR r."data"->>'title' <> '')) IS NOT TRUE AND (r."active" = $2) IS NOT TRUE`,
    values: ["a", false],
  },
  // JSON string escapes are decoded fully, then bound.
  { filter: 'userName eq "\\u00e9\\n\\t\\"\\\\\\/\\ud83d\\ude00"', sql: `r."userName" = $1`, values: ['é\n\t"\\/😀'] },
  { filter: 'userName eq "Robert\'); DROP TABLE \\"User\\";--"', sql: `r."userName" = $1`, values: ['Robert\'); DROP TABLE "User";--'] },
];

describe("compileFilter: SQL shapes", () => {
  for (const row of shapes) {
    test(`${row.rt ?? "User"} ${row.filter}`, () => {
      const sql = compileFilter(row.filter, row.rt ?? "User", row.alias);
      assert.equal(sql.text, row.sql);
      assert.deepEqual(sql.values, row.values);
    });
  }

  test(`accepts exactly ${MAX_FILTER_DEPTH} levels of nesting`, () => {
    const f = "(".repeat(MAX_FILTER_DEPTH) + "userName pr" + ")".repeat(MAX_FILTER_DEPTH);
    assert.equal(compileFilter(f, "User").text, `r."userName" <> ''`);
  });

  test(`accepts a filter of exactly ${MAX_FILTER_LENGTH} characters`, () => {
    const f = 'userName eq "' + "a".repeat(MAX_FILTER_LENGTH - 14) + '"';
    assert.equal(f.length, MAX_FILTER_LENGTH);
    assert.equal(compileFilter(f, "User").text, `r."userName" = $1`);
  });

  test("long and/or chains do not recurse", () => {
    const f = Array.from({ length: 300 }, () => 'id eq ""').join(" or ");
    assert.ok(f.length <= MAX_FILTER_LENGTH);
    assert.equal(compileFilter(f, "User").values.length, 300);
  });
});

const hostile: [filter: string, rt?: RT][] = [
  // Empty / structure
  [""],
  ["   "],
  ["(userName pr"],
  ["userName pr)"],
  ["()"],
  ['emails[type eq "work"'],
  ['emails type eq "work"]'],
  ['emails[type eq "work"]]'],
  ["emails[]"],
  ['userName eq "x'],
  ['userName eq x"'],
  ['userName eq "x" and'],
  ["and userName pr"],
  ["or"],
  ['userName eq "x" userName eq "y"'],
  ['not userName eq "x"'],
  ["not ()"],
  // Size and depth
  ['userName eq "' + "a".repeat(10_000) + '"'],
  [Array.from({ length: 600 }, () => 'userName eq "x"').join(" and ")],
  ["(".repeat(MAX_FILTER_DEPTH + 1) + "userName pr" + ")".repeat(MAX_FILTER_DEPTH + 1)],
  ["not (".repeat(MAX_FILTER_DEPTH + 1) + "userName pr" + ")".repeat(MAX_FILTER_DEPTH + 1)],
  ["(".repeat(3000)],
  ["not (".repeat(800)],
  ['emails[value eq "a" and ' + "(".repeat(MAX_FILTER_DEPTH) + "type pr" + ")".repeat(MAX_FILTER_DEPTH) + "]"],
  // Unknown attributes and paths
  ['foo eq "x"'],
  ['name.foo eq "x"'],
  ['department eq "Sales"'],
  [`${ENT}:foo eq "x"`],
  [`${ENT} eq "x"`],
  ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"'],
  ['userName.value eq "x"'],
  ['name.givenName.x eq "x"'],
  ['emails[emails.type eq "work"]'],
  ['emails[type eq "work"].value'],
  ['emails[type eq "work"].value.x eq "y"'],
  ['emails[type eq "work"]. eq "y"'],
  ['emails[type eq "work"] value eq "y"'],
  ['emails[value[type eq "x"]]'],
  ['emails[foo eq "x"]'],
  // Operators
  ['userName like "x"'],
  ['userName == "x"'],
  ["userName eq"],
  ["userName"],
  ["userName pr pr"],
  ['userName eq "x" xor title pr'],
  // Value filters on non-multi-valued attributes; complex attributes compared as a whole
  ['name[givenName eq "x"]'],
  ['userName[value eq "x"]'],
  [`${ENT}:manager[value eq "x"]`],
  ['name eq "x"'],
  ['meta eq "x"'],
  ['addresses co "x"'],
  // Prototype keys
  ['__proto__ eq "x"'],
  ["constructor pr"],
  ['prototype eq "x"'],
  ['name.__proto__ eq "x"'],
  ["name.constructor pr"],
  ['emails[__proto__ eq "x"]'],
  ['emails.prototype eq "x"'],
  [`${ENT}:__proto__ eq "x"`],
  // String escapes
  ['userName eq "\\u0000"'],
  ['userName eq "\\ud800"'],
  ['userName eq "\\udc00x"'],
  ['userName eq "\\u12"'],
  ['userName eq "\\x41"'],
  ['userName eq "\\"'],
  ['userName eq "a\u0001b"'],
  ['userName eq "a\nb"'],
  // Unreadable / non-existent attributes
  ['password eq "secret"'],
  ["password pr"],
  ['PASSWORD sw "a"'],
  ['groups[value eq "x"]', "Group"],
  ['members[value eq "x"]', "User"],
  ['meta.location eq "https://x"'],
  ['members.$ref eq "x"', "Group"],
  ['groups.$ref eq "x"'],
  ['name eq "x"', "Group"],
  // Types
  ['active eq "true"'],
  ['active eq "True"'],
  ["active gt true"],
  ['active co "t"'],
  ["active eq 1"],
  ["userName eq 1"],
  ["userName eq true"],
  ["userName gt null"],
  ['meta.created gt "yesterday"'],
  ['meta.created gt "2020-02-30T00:00:00Z"'],
  ['meta.created gt "2020-13-01T00:00:00Z"'],
  ['meta.created gt "0000-01-01T00:00:00Z"'],
  ['meta.created gt "2020-01-01T24:00:00Z"'],
  ['meta.created gt "2020-01-01T00:00:00+25:00"'],
  ['meta.created gt "2020-01-01"'],
  ["meta.created gt 5"],
  ['meta.created co "2020"'],
  ["emails eq 3"],
  ['emails[primary eq "true"]'],
  // Numbers and stray characters
  ["userName eq 1e999"],
  ["userName eq -"],
  ["userName eq 12abc"],
  ["userName eq 1.2.3"],
  ['userName eq "x"; DROP TABLE "User"'],
  ['userName eq "x" -- comment'],
  ["@"],
  ["userName eq 'x'"],
  ["userName\u00a0eq \"x\""],
  ["😀 pr"],
];

function assertInvalidFilter(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.scimType, "invalidFilter");
    return true;
  });
}

describe("compileFilter: hostile input → 400 invalidFilter", () => {
  for (const [filter, rt = "User"] of hostile) {
    test(`${rt} ${JSON.stringify(filter.length > 80 ? filter.slice(0, 80) + "…" : filter)}`, () => {
      assertInvalidFilter(() => compileFilter(filter, rt));
    });
  }

  test("random token soup never escapes as anything but invalidFilter", () => {
    const pieces = ["(", ")", "[", "]", " ", "not", "and", "or", "eq", "pr", "co", "gt", '"a"', '"\\u0041"', "1", "true", "null",
      "userName", "emails", "emails.value", "type", "value", "name.givenName", "meta.created", "active", ".value", "groups", "members", "__proto__"];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const n = 1 + (next() % 14);
      const f = Array.from({ length: n }, () => pieces[next() % pieces.length]).join(next() % 2 ? " " : "");
      for (const rt of ["User", "Group"] as const) {
        try {
          compileFilter(f, rt);
        } catch (e) {
          assert.ok(e instanceof AppError && e.status === 400 && e.scimType === "invalidFilter", `${rt} ${f}: ${String(e)}`);
        }
      }
    }
  });

  test("an unsafe alias is a programming error, not a 400", () => {
    assert.throws(() => compileFilter("userName pr", "User", 'r"; --'), (e: unknown) => !(e instanceof AppError));
    assert.throws(() => compileFilter("userName pr", "User", "gm"), (e: unknown) => !(e instanceof AppError));
  });
});

describe("compileSortKey", () => {
  const sorts: [sortBy: string, rt: RT, sql: string][] = [
    ["userName", "User", `r."userName"`],
    ["USERNAME", "User", `r."userName"`],
    ["displayName", "User", `lower(r."displayName")`],
    ["displayName", "Group", `r."displayName"`],
    ["externalId", "User", `r."externalId"`],
    ["id", "Group", `r."id"`],
    ["meta.created", "User", `r."createdAt"`],
    ["meta.lastModified", "Group", `r."updatedAt"`],
    ["active", "User", `r."active"`],
    ["name.familyName", "User", `lower(r."data"->'name'->>'familyName')`],
    [`${ENT}:employeeNumber`, "User", `lower(r."data"->'${ENT}'->>'employeeNumber')`],
    [
      "emails",
      "User",
      `(SELECT lower(el.v->>'value') FROM ${emailsArray} WITH ORDINALITY AS el(v, n) ORDER BY COALESCE(el.v->'primary' = 'true'::jsonb, false) DESC, el.n LIMIT 1)`,
    ],
  ];
  for (const [sortBy, rt, sql] of sorts) {
    test(`${rt} sortBy=${sortBy} → ${sql.slice(0, 60)}`, () => {
      assert.equal(compileSortKey(sortBy, rt).text, sql);
    });
  }

  const badSorts: [sortBy: string, rt: RT][] = [
    ["", "User"],
    ["nope", "User"],
    ["password", "User"],
    ["name", "User"],
    ["meta", "User"],
    ["groups", "User"],
    ["members", "Group"],
    ["members.value", "Group"],
    ["__proto__", "User"],
    ["name.constructor", "User"],
    ["userName desc", "User"],
    ['emails[type eq "work"].value', "User"],
    ["meta.location", "User"],
    ["x".repeat(5000), "User"],
  ];
  for (const [sortBy, rt] of badSorts) {
    test(`${rt} sortBy=${JSON.stringify(sortBy.slice(0, 40))} → 400 invalidValue`, () => {
      assert.throws(
        () => compileSortKey(sortBy, rt),
        (e: unknown) => e instanceof AppError && e.status === 400 && e.scimType === "invalidValue",
      );
    });
  }
});
