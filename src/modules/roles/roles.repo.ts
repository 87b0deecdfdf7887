// Roles, direct assignments, group→role mappings and the materialised EffectiveRole table.
// Recomputation is set-based SQL: the desired rows are derived from UserRole, GroupMember and
// GroupRoleMapping inside PostgreSQL, so a 100k-member group never travels through JS.
import type { Db, Tx } from "../../db/client.ts";
import { Prisma } from "../../db/client.ts";
import { json, type Queryable } from "../../db/sql.ts";
import type { EventType, ResourceType } from "../../events/catalog.ts";
import type { Actor } from "../context.ts";

/** The users a recompute covers, as a SQL fragment selecting "userId". */
function usersOfIds(ids: string[]): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT unnest(${ids}::text[]) AS "userId"`;
}

/** Members of the group, plus users still holding a role through it (member removed, group deleted). */
function usersOfGroup(tenantId: string, groupId: string): Prisma.Sql {
  return Prisma.sql`SELECT "userId" FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "groupId" = ${groupId}
    UNION SELECT "userId" FROM "EffectiveRole" WHERE "tenantId" = ${tenantId} AND "source" = ${"group:" + groupId}`;
}

/**
 * One statement: compute the desired (user, role, source) rows for the target users, delete
 * the rows no longer wanted, insert the missing ones, and return the users whose *set of
 * roles* changed. Every part of a WITH query sees the same snapshot, so the final SELECT
 * compares against EffectiveRole as it was before this statement (PostgreSQL docs §7.8.4).
 */
function recomputeSql(tenantId: string, target: Prisma.Sql, result: "ids" | "count"): Prisma.Sql {
  return Prisma.sql`
    WITH target AS (${target}),
    desired AS (
      SELECT ur."tenantId", ur."userId", ur."roleId", 'direct'::text AS source
        FROM "UserRole" ur JOIN target t ON t."userId" = ur."userId"
       WHERE ur."tenantId" = ${tenantId}
      UNION
      SELECT gm."tenantId", gm."userId", m."roleId", 'group:' || gm."groupId"
        FROM "GroupMember" gm
        JOIN target t ON t."userId" = gm."userId"
        JOIN "Group" g ON g."id" = gm."groupId" AND g."tenantId" = gm."tenantId"
        -- citext = citext: displayName mappings match case-insensitively.
        JOIN "GroupRoleMapping" m ON m."tenantId" = gm."tenantId"
             AND (m."groupId" = gm."groupId" OR (m."groupId" IS NULL AND m."groupDisplayName" = g."displayName"))
       WHERE gm."tenantId" = ${tenantId}
    ),
    del AS (
      DELETE FROM "EffectiveRole" e USING target t
       WHERE e."tenantId" = ${tenantId} AND e."userId" = t."userId"
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d."userId" = e."userId" AND d."roleId" = e."roleId" AND d.source = e.source)
      RETURNING e."userId", e."roleId"
    ),
    ins AS (
      INSERT INTO "EffectiveRole" ("tenantId", "userId", "roleId", "source")
      SELECT "tenantId", "userId", "roleId", source FROM desired
      ON CONFLICT DO NOTHING
      RETURNING "userId", "roleId"
    ),
    changed AS (
      SELECT d."userId" FROM del d
       WHERE NOT EXISTS (SELECT 1 FROM desired x WHERE x."userId" = d."userId" AND x."roleId" = d."roleId")
      UNION
      SELECT i."userId" FROM ins i
       WHERE NOT EXISTS (SELECT 1 FROM "EffectiveRole" e WHERE e."userId" = i."userId" AND e."roleId" = i."roleId")
    )
    ${result === "ids" ? Prisma.sql`SELECT "userId" FROM changed` : Prisma.sql`SELECT count(*)::int AS n FROM changed`}`;
}

/** A mapping's key as its events carry it (the row itself may be gone). */
export type MappingKey = {
  roleId: string;
  groupId: string | null;
  groupDisplayName: string | null;
};

export function createRolesRepo(db: Db) {
  return {
    // Roles
    createRole: (data: { tenantId: string; name: string; description: string | null; permissions: string[] }) => db.role.create({ data }),
    listRoles: (tenantId: string) => db.role.findMany({ where: { tenantId }, orderBy: { name: "asc" } }),
    findRole: (tenantId: string, id: string) => db.role.findFirst({ where: { tenantId, id } }),
    updateRole: (tenantId: string, id: string, data: { name?: string; description?: string | null; permissions?: string[] }) =>
      db.role.updateManyAndReturn({ where: { tenantId, id }, data }),
    deleteRole: (tenantId: string, id: string, tx: Tx = db) => tx.role.deleteMany({ where: { tenantId, id } }),

    // Lookups of SCIM resources this module refers to
    findUser: (tenantId: string, id: string) => db.user.findFirst({ where: { tenantId, id }, select: { id: true, active: true } }),
    findGroup: (tenantId: string, id: string) => db.group.findFirst({ where: { tenantId, id }, select: { id: true, displayName: true } }),

    // Direct assignments
    assign: (tx: Tx, tenantId: string, userId: string, roleId: string) =>
      tx.$executeRaw`INSERT INTO "UserRole" ("tenantId", "userId", "roleId") VALUES (${tenantId}, ${userId}, ${roleId}) ON CONFLICT DO NOTHING`,
    unassign: (tx: Tx, tenantId: string, userId: string, roleId: string) => tx.userRole.deleteMany({ where: { tenantId, userId, roleId } }),

    // Group → role mappings
    createMapping: (tx: Tx, data: { tenantId: string; roleId: string; groupId: string | null; groupDisplayName: string | null }) =>
      tx.groupRoleMapping.create({ data }),
    listMappings: (tenantId: string, roleId?: string) =>
      db.groupRoleMapping.findMany({ where: { tenantId, ...(roleId ? { roleId } : {}) }, orderBy: { createdAt: "asc" } }),
    findMapping: (tenantId: string, id: string) => db.groupRoleMapping.findFirst({ where: { tenantId, id } }),
    deleteMapping: (tx: Tx, tenantId: string, id: string) => tx.groupRoleMapping.deleteMany({ where: { tenantId, id } }),

    // Effective roles
    recomputeForUsers: async (tx: Tx, tenantId: string, userIds: string[]): Promise<string[]> => {
      const rows = await tx.$queryRaw<{ userId: string }[]>(recomputeSql(tenantId, usersOfIds(userIds), "ids"));
      return rows.map((r) => r.userId);
    },
    recomputeForGroup: async (tx: Tx, tenantId: string, groupId: string): Promise<number> => {
      const rows = await tx.$queryRaw<{ n: number }[]>(recomputeSql(tenantId, usersOfGroup(tenantId, groupId), "count"));
      return rows[0]?.n ?? 0;
    },
    /**
     * One page (keyset on user id) of the users a mapping change may affect: members of the
     * mapped group (by id, or by displayName now), plus users still holding the mapping's role
     * through that group (the mapping was deleted, the member left). Each page is an index walk
     * from `after`, so a 100k-member group is read in pages and never loaded whole.
     */
    usersForMapping: async (tenantId: string, m: MappingKey, after: string, limit: number): Promise<string[]> => {
      const rows = await db.$queryRaw<{ userId: string }[]>`
        WITH g AS (
          SELECT "id" FROM "Group"
           WHERE "tenantId" = ${tenantId}
             AND ("id" = ${m.groupId}::text OR (${m.groupId}::text IS NULL AND "displayName" = ${m.groupDisplayName}::citext))
        ),
        sources AS (
          SELECT 'group:' || "id" AS source FROM g
          UNION SELECT 'group:' || ${m.groupId}::text WHERE ${m.groupId}::text IS NOT NULL
        )
        SELECT "userId" FROM (
          SELECT gm."userId" FROM "GroupMember" gm JOIN g ON gm."groupId" = g."id"
           WHERE gm."tenantId" = ${tenantId} AND gm."userId" > ${after}
          UNION
          SELECT e."userId" FROM "EffectiveRole" e
           WHERE e."tenantId" = ${tenantId} AND e."roleId" = ${m.roleId} AND e."userId" > ${after}
             AND e."source" IN (SELECT source FROM sources)
        ) u
        ORDER BY "userId" LIMIT ${limit}`;
      return rows.map((r) => r.userId);
    },
    /**
     * Deletes an inactive (or deleted) user's effective roles; an active user's rows are
     * left alone, since after a reactivation they belong to the recompute. Runs on a Prisma
     * transaction or a pg client (the deprovision job's hot path). Returns the rows removed.
     */
    clearForUser: async (q: Tx | Queryable, tenantId: string, userId: string): Promise<number> => {
      const statement = Prisma.sql`
        DELETE FROM "EffectiveRole" er USING "User" u
         WHERE er."tenantId" = ${tenantId} AND er."userId" = ${userId}
           AND u."id" = er."userId" AND u."tenantId" = er."tenantId" AND NOT u."active"`;
      if ("query" in q && typeof q.query === "function") return (await (q as Queryable).query(statement.text, statement.values as unknown[])).rowCount ?? 0;
      return (q as Tx).$executeRaw(statement);
    },
    /**
     * Writes a user.roles_changed event for every user holding the role, in one statement
     * (before the role is deleted and its EffectiveRole rows cascade away). Returns how many.
     */
    emitRolesChangedForHolders: (tx: Tx, tenantId: string, roleId: string, actor: Actor, data: object) =>
      tx.$executeRaw`
        INSERT INTO "Event" ("tenantId", "type", "resourceType", "resourceId", "attributes", "actor", "data")
        SELECT ${tenantId}, ${"user.roles_changed" satisfies EventType}, ${"User" satisfies ResourceType}, h."userId", ARRAY['roles']::text[], ${json(actor)}::jsonb, ${json(data)}::jsonb
          FROM (SELECT DISTINCT "userId" FROM "EffectiveRole" WHERE "tenantId" = ${tenantId} AND "roleId" = ${roleId} ORDER BY "userId") h`,

    /** Every (role, source) the user holds, with the role and, for group sources, the group name. */
    effective: (tenantId: string, userId: string, tx: Tx = db) =>
      tx.$queryRaw<{ roleId: string; name: string; permissions: string[]; source: string; groupDisplayName: string | null }[]>`
        SELECT e."roleId", r."name"::text AS name, r."permissions", e."source", g."displayName"::text AS "groupDisplayName"
          FROM "EffectiveRole" e
          JOIN "Role" r ON r."id" = e."roleId" AND r."tenantId" = e."tenantId"
          LEFT JOIN "Group" g ON e."source" LIKE 'group:%' AND g."id" = substr(e."source", 7) AND g."tenantId" = e."tenantId"
         WHERE e."tenantId" = ${tenantId} AND e."userId" = ${userId}
         ORDER BY r."name", e."source"`,
  };
}

export type RolesRepo = ReturnType<typeof createRolesRepo>;
