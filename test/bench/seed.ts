// Seeds a benchmark tenant with PostgreSQL's bulk paths (INSERT … SELECT generate_series),
// not 100k API calls: realistic users (names, one or two emails, enterprise extension), 1,000
// groups, one of them with 50,000 members and the rest with a spread of a few hundred.
import pg from "pg";

export interface SeedResult {
  users: number;
  groups: number;
  memberships: number;
  bigGroupId: string;
  bigGroupMembers: number;
  ms: number;
}

const GIVEN = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Yvonne"];
const FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin"];
const DEPARTMENTS = ["Sales", "Engineering", "Finance", "Support", "Marketing", "Legal", "People", "Operations"];

export async function seedTenant(url: string, tenantId: string, users: number, groups = 1000): Promise<SeedResult> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const bigGroupMembers = Math.min(50_000, Math.floor(users / 2));
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "User" (id, "tenantId", "userName", "externalId", "displayName", active, data, version, "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1, 'user' || i || '@bench.example', 'ext-' || i,
              g.given || ' ' || f.family, true,
              jsonb_build_object(
                'name', jsonb_build_object('givenName', g.given, 'familyName', f.family, 'formatted', g.given || ' ' || f.family),
                'title', 'Employee ' || (i % 50),
                'emails', CASE WHEN i % 3 = 0
                  THEN jsonb_build_array(jsonb_build_object('value', 'user' || i || '@bench.example', 'type', 'work', 'primary', true),
                                         jsonb_build_object('value', 'u' || i || '@home.example', 'type', 'home'))
                  ELSE jsonb_build_array(jsonb_build_object('value', 'user' || i || '@bench.example', 'type', 'work', 'primary', true)) END,
                'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
                  jsonb_build_object('employeeNumber', i::text, 'department', d.dept, 'costCenter', 'CC' || (i % 40))),
              1, now(), now()
       FROM generate_series(1, $2::int) AS i
       CROSS JOIN LATERAL (SELECT ($3::text[])[1 + i % array_length($3::text[], 1)] AS given) g
       CROSS JOIN LATERAL (SELECT ($4::text[])[1 + (i / 7) % array_length($4::text[], 1)] AS family) f
       CROSS JOIN LATERAL (SELECT ($5::text[])[1 + i % array_length($5::text[], 1)] AS dept) d`,
      [tenantId, users, GIVEN, FAMILY, DEPARTMENTS],
    );
    await client.query(
      `INSERT INTO "Group" (id, "tenantId", "displayName", "externalId", data, version, "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1, CASE WHEN g = 1 THEN 'All Staff' ELSE 'Team ' || g END, 'gext-' || g, '{}', 1, now(), now()
       FROM generate_series(1, $2::int) AS g`,
      [tenantId, groups],
    );
    // Number the rows so memberships can be spread arithmetically.
    await client.query(`CREATE TEMP TABLE bench_u AS SELECT id, row_number() OVER (ORDER BY "userName") AS n FROM "User" WHERE "tenantId" = $1`, [tenantId]);
    await client.query(`CREATE TEMP TABLE bench_g AS SELECT id, row_number() OVER (ORDER BY "externalId") AS n, "displayName" FROM "Group" WHERE "tenantId" = $1`, [tenantId]);
    const big = await client.query(`SELECT id FROM bench_g WHERE "displayName" = 'All Staff'`);
    const bigGroupId = big.rows[0].id as string;
    await client.query(
      `INSERT INTO "GroupMember" ("tenantId", "groupId", "userId", "createdAt")
       SELECT $1, $2, u.id, now() FROM bench_u u WHERE u.n <= $3`,
      [tenantId, bigGroupId, bigGroupMembers],
    );
    // Every user in two of the other groups: ~200 members each.
    await client.query(
      `INSERT INTO "GroupMember" ("tenantId", "groupId", "userId", "createdAt")
       SELECT DISTINCT $1, g.id, u.id, now()
       FROM bench_u u
       JOIN bench_g g ON g.n IN (2 + (u.n * 7) % ($2::int - 1), 2 + (u.n * 13) % ($2::int - 1))`,
      [tenantId, groups],
    );
    await client.query("COMMIT");
    await client.query(`VACUUM ANALYZE "User"`);
    await client.query(`VACUUM ANALYZE "Group"`);
    await client.query(`VACUUM ANALYZE "GroupMember"`);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "GroupMember" WHERE "tenantId" = $1`, [tenantId]);
    return { users, groups, memberships: rows[0].n, bigGroupId, bigGroupMembers, ms: Date.now() - started };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}
