// Runs compiled filters against real PostgreSQL to prove their semantics (not just their text).
// Creates a throwaway database with minimal "User"/"Group"/"GroupMember" tables and drops it after.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { Prisma } from "../../generated/prisma/client.ts";
import { compileFilter, compileSortKey } from "./index.ts";

const ADMIN_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DB_NAME = `roster_filter_${randomBytes(6).toString("hex")}`;
const T1 = "tenant-1";
const T2 = "tenant-2";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let admin: pg.Client;
let db: pg.Client;

const users = [
  {
    id: "u1", tenantId: T1, userName: "BJensen", externalId: "ext-1", displayName: "Barbara Jensen", active: true, version: 1,
    createdAt: "2020-01-01T00:00:00Z", updatedAt: "2021-06-01T00:00:00Z",
    data: {
      name: { givenName: "Barbara", familyName: "Jensen" },
      title: "Tour Guide",
      emails: [
        { value: "bjensen@Example.com", type: "work", primary: true },
        { value: "babs@home.org", type: "home" },
      ],
      [ENT]: { department: "Sales", manager: { value: "u2" } },
    },
  },
  {
    id: "u2", tenantId: T1, userName: "jsmith", externalId: null, displayName: "John Smith", active: false, version: 2,
    createdAt: "2022-03-01T00:00:00Z", updatedAt: "2022-03-01T00:00:00Z",
    data: {
      // acme is on the home address and the work address is elsewhere: a correlated filter must not match.
      emails: [
        { value: "zz-js@acme.com", type: "home" },
        { value: "john@other.com", type: "work" },
      ],
      [ENT]: { department: "sales" },
    },
  },
  {
    id: "u3", tenantId: T1, userName: "100%_real", externalId: null, displayName: null, active: true, version: 1,
    createdAt: "2023-01-01T00:00:00Z", updatedAt: "2023-01-01T00:00:00Z",
    data: { title: "", nickName: "a\\b", emails: [{ value: "x@acme.com", type: "work" }] },
  },
  {
    id: "u4", tenantId: T1, userName: "100xxreal", externalId: "EXT-1", displayName: "Zoë", active: true, version: 1,
    createdAt: "2023-06-01T00:00:00Z", updatedAt: "2023-06-01T00:00:00Z",
    data: {},
  },
  {
    id: "u5", tenantId: T2, userName: "bjensen", externalId: "ext-1", displayName: "Other Tenant", active: true, version: 1,
    createdAt: "2020-01-01T00:00:00Z", updatedAt: "2020-01-01T00:00:00Z",
    data: { emails: [{ value: "x@acme.com", type: "work" }] },
  },
];

const groups = [
  { id: "g1", tenantId: T1, displayName: "Admins" },
  { id: "g2", tenantId: T1, displayName: "Sales Team" },
  { id: "g3", tenantId: T1, displayName: "Empty" },
  { id: "g4", tenantId: T2, displayName: "admins" },
];

const memberships = [
  { tenantId: T1, groupId: "g1", userId: "u1" },
  { tenantId: T1, groupId: "g1", userId: "u3" },
  { tenantId: T1, groupId: "g2", userId: "u2" },
  { tenantId: T2, groupId: "g4", userId: "u5" },
  // A row whose tenant differs from its group's and user's: correlated subqueries must ignore it.
  { tenantId: T2, groupId: "g3", userId: "u4" },
];

before(async () => {
  admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`
    CREATE EXTENSION citext;
    CREATE TABLE "User" (
      "id" text PRIMARY KEY, "tenantId" text NOT NULL, "userName" citext NOT NULL, "externalId" text,
      "displayName" text, "active" boolean NOT NULL DEFAULT true, "data" jsonb NOT NULL DEFAULT '{}',
      "version" int NOT NULL DEFAULT 1, "createdAt" timestamptz(3) NOT NULL, "updatedAt" timestamptz(3) NOT NULL,
      UNIQUE ("tenantId", "userName"));
    CREATE TABLE "Group" (
      "id" text PRIMARY KEY, "tenantId" text NOT NULL, "displayName" citext NOT NULL, "externalId" text,
      "data" jsonb NOT NULL DEFAULT '{}', "version" int NOT NULL DEFAULT 1,
      "createdAt" timestamptz(3) NOT NULL DEFAULT now(), "updatedAt" timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE ("tenantId", "displayName"));
    CREATE TABLE "GroupMember" (
      "tenantId" text NOT NULL, "groupId" text NOT NULL, "userId" text NOT NULL, PRIMARY KEY ("groupId", "userId"));
  `);
  for (const u of users) {
    await db.query(
      `INSERT INTO "User" ("id","tenantId","userName","externalId","displayName","active","data","version","createdAt","updatedAt")
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [u.id, u.tenantId, u.userName, u.externalId, u.displayName, u.active, JSON.stringify(u.data), u.version, u.createdAt, u.updatedAt],
    );
  }
  for (const g of groups) await db.query(`INSERT INTO "Group" ("id","tenantId","displayName") VALUES ($1,$2,$3)`, [g.id, g.tenantId, g.displayName]);
  for (const m of memberships) {
    await db.query(`INSERT INTO "GroupMember" ("tenantId","groupId","userId") VALUES ($1,$2,$3)`, [m.tenantId, m.groupId, m.userId]);
  }
});

after(async () => {
  await db?.end();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
});

/** Runs the compiled filter the way a repository would: tenant condition first, then the filter. */
async function matchIds(table: "User" | "Group", filter: string, tenantId = T1): Promise<string[]> {
  const cond = compileFilter(filter, table);
  const q = Prisma.sql`SELECT r."id" FROM ${Prisma.raw(`"${table}"`)} r WHERE r."tenantId" = ${tenantId} AND ${cond} ORDER BY r."id"`;
  // Prisma.Sql: `.text` has $1… placeholders (what pg wants); `.sql` has `?`.
  const { rows } = await db.query<{ id: string }>(q.text, q.values);
  return rows.map((r) => r.id);
}

const userCases: [filter: string, expected: string[]][] = [
  ['userName eq "bjensen"', ["u1"]],
  ['USERNAME Eq "BJENSEN"', ["u1"]],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "BJENSEN"', ["u1"]],
  ['externalId eq "ext-1"', ["u1"]],
  ['externalId eq "EXT-1"', ["u4"]],
  ['id eq "u2"', ["u2"]],
  ['userName co "%_"', ["u3"]],
  ['userName sw "100%"', ["u3"]],
  ['userName ew "_REAL"', ["u3"]],
  ['nickName eq "a\\\\b"', ["u3"]],
  ['nickName co "\\\\"', ["u3"]],
  ['displayName eq "Zo\\u00eb"', ["u4"]],
  ['displayName eq "barbara JENSEN"', ["u1"]],
  ['displayName gt "b"', ["u1", "u2", "u4"]],
  ['emails[type eq "work" and value co "acme"]', ["u3"]],
  ['emails[type eq "work"].value co "ACME"', ["u3"]],
  ['emails.type eq "work" and emails.value co "acme"', ["u2", "u3"]],
  ['emails co "EXAMPLE.COM"', ["u1"]],
  ['emails[not (type eq "work")]', ["u1", "u2"]],
  ['emails.primary eq true', ["u1"]],
  ["emails pr", ["u1", "u2", "u3"]],
  ["not (emails pr)", ["u4"]],
  ["title pr", ["u1"]],
  ['title ne "Tour Guide"', ["u2", "u3", "u4"]],
  ["title eq null", ["u2", "u3", "u4"]],
  ["name pr", ["u1"]],
  ['name.givenName sw "bar"', ["u1"]],
  ["active eq false", ["u2"]],
  ["active eq True", ["u1", "u3", "u4"]],
  ["active ne true", ["u2"]],
  ['meta.created gt "2021-01-01T00:00:00Z"', ["u2", "u3", "u4"]],
  ['meta.created ge "2020-01-01T00:00:00Z" and meta.created lt "2022-03-01T00:00:00+00:00"', ["u1"]],
  ['meta.lastModified le "2022-03-01T01:00:00+01:00"', ["u1", "u2"]],
  ['meta.version eq "W/\\"2\\""', ["u2"]],
  ['meta.resourceType eq "User"', ["u1", "u2", "u3", "u4"]],
  ['meta.resourceType eq "Group"', []],
  [`${ENT}:department eq "SALES"`, ["u1", "u2"]],
  [`${ENT}:manager.value eq "u2"`, ["u1"]],
  [`not (${ENT}:department pr)`, ["u3", "u4"]],
  ['groups[value eq "g1"]', ["u1", "u3"]],
  ['groups.display eq "admins"', ["u1", "u3"]],
  ['groups eq "g3"', []],
  ["groups pr", ["u1", "u2", "u3"]],
  ['userName eq "jsmith" or userName eq "bjensen" and active eq false', ["u2"]],
  ['(userName eq "jsmith" or userName eq "bjensen") and active eq true', ["u1"]],
  ['not (userName eq "jsmith") and not (title pr)', ["u3", "u4"]],
  ['not (userName eq "jsmith" or title pr)', ["u3", "u4"]],
  ['userName eq "nobody" or name pr', ["u1"]],
];

const groupCases: [filter: string, expected: string[]][] = [
  ['displayName eq "ADMINS"', ["g1"]],
  ['displayName co "team"', ["g2"]],
  ['members[value eq "u1"]', ["g1"]],
  ['members eq "u4"', []],
  ['members.display co "SMITH"', ["g2"]],
  ['members[display eq "100%_real"]', ["g1"]],
  ['members[type eq "User" and value eq "u2"]', ["g2"]],
  ["members pr", ["g1", "g2"]],
  ["not (members pr)", ["g3"]],
  ['meta.resourceType eq "Group" and not (displayName sw "a")', ["g2", "g3"]],
];

describe("compiled filters on PostgreSQL: Users", () => {
  for (const [filter, expected] of userCases) {
    test(`${filter} → [${expected.join(", ")}]`, async () => {
      assert.deepEqual(await matchIds("User", filter), expected);
    });
  }

  test("subqueries stay inside the row's tenant", async () => {
    assert.deepEqual(await matchIds("User", 'groups[value eq "g4"]', T2), ["u5"]);
    assert.deepEqual(await matchIds("User", "groups pr", T2), ["u5"]);
  });
});

describe("compiled filters on PostgreSQL: Groups", () => {
  for (const [filter, expected] of groupCases) {
    test(`${filter} → [${expected.join(", ")}]`, async () => {
      assert.deepEqual(await matchIds("Group", filter), expected);
    });
  }

  test("a membership row of another tenant is not a member", async () => {
    assert.deepEqual(await matchIds("Group", 'members[value eq "u4"]'), []);
  });
});

describe("sort keys on PostgreSQL", () => {
  async function sortedIds(sortBy: string): Promise<string[]> {
    const q = Prisma.sql`SELECT r."id" FROM "User" r WHERE r."tenantId" = ${T1} ORDER BY ${compileSortKey(sortBy, "User")} NULLS LAST, r."id"`;
    const { rows } = await db.query<{ id: string }>(q.text, q.values);
    return rows.map((r) => r.id);
  }

  test("userName sorts case-insensitively", async () => {
    assert.deepEqual(await sortedIds("userName"), ["u3", "u4", "u1", "u2"]);
  });

  test("emails sorts by the primary email, else the first one", async () => {
    // u1: primary bjensen@…; u2: first zz-js@…; u3: x@…; u4: none.
    assert.deepEqual(await sortedIds("emails"), ["u1", "u3", "u2", "u4"]);
    assert.deepEqual(await sortedIds("emails.type"), ["u2", "u1", "u3", "u4"]);
  });

  test("meta.created, name.givenName and meta.resourceType are valid ORDER BY expressions", async () => {
    assert.deepEqual(await sortedIds("meta.created"), ["u1", "u2", "u3", "u4"]);
    assert.deepEqual(await sortedIds("name.givenName"), ["u1", "u2", "u3", "u4"]);
    assert.deepEqual(await sortedIds("meta.resourceType"), ["u1", "u2", "u3", "u4"]);
  });
});

describe("index-friendly plans", () => {
  async function plan(table: "User" | "Group", filter: string): Promise<string> {
    const q = Prisma.sql`EXPLAIN SELECT r."id" FROM ${Prisma.raw(`"${table}"`)} r WHERE r."tenantId" = ${T1} AND ${compileFilter(filter, table)}`;
    await db.query("SET enable_seqscan = off");
    try {
      const { rows } = await db.query<{ "QUERY PLAN": string }>(q.text, q.values);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    } finally {
      await db.query("RESET enable_seqscan");
    }
  }

  test("userName eq uses the (tenantId, userName) unique index", async () => {
    assert.match(await plan("User", 'userName eq "bjensen"'), /User_tenantId_userName_key/);
  });

  test("members[value eq] probes the GroupMember primary key", async () => {
    assert.match(await plan("Group", 'members[value eq "u1"]'), /GroupMember_pkey/);
  });
});
