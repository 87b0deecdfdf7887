// The only code that touches the "User" table. Every statement is scoped by tenantId. Plain
// SQL over pg (src/db/sql.ts): this is the hot path of every IdP.
import { Prisma } from "../../db/client.ts";
import { v7 as uuidv7 } from "uuid";
import { json, query, queryOne, type Queryable } from "../../db/sql.ts";
import type { GroupRef, UserColumns, UserRow } from "../../scim/mappers/user.mapper.ts";

export type { UserRow };

/** A row with its groups, when the query asked for them. */
export type UserRowWithGroups = UserRow & { groupRefs?: GroupRef[] };

/** The derived `groups` of each row as one JSON column: no second query per page. */
export const GROUP_REFS = Prisma.sql`COALESCE((
    SELECT json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayName")
    FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId"
    WHERE gm."tenantId" = r."tenantId" AND gm."userId" = r.id), '[]') AS "groupRefs"`;

export function createUsersRepo() {
  return {
    insert: async (q: Queryable, tenantId: string, cols: UserColumns, passwordHash: string | null): Promise<UserRow> =>
      (await queryOne<UserRow>(q, Prisma.sql`
        INSERT INTO "User" (id, "tenantId", "userName", "externalId", "displayName", active, data, "passwordHash")
        VALUES (${uuidv7()}, ${tenantId}, ${cols.userName}, ${cols.externalId}, ${cols.displayName}, ${cols.active},
                ${json(cols.data)}::jsonb, ${passwordHash})
        RETURNING *`))!,

    find: (q: Queryable, tenantId: string, id: string, withGroups: boolean): Promise<UserRowWithGroups | undefined> =>
      queryOne(q, Prisma.sql`SELECT r.*${withGroups ? Prisma.sql`, ${GROUP_REFS}` : Prisma.empty}
        FROM "User" r WHERE r."tenantId" = ${tenantId} AND r.id = ${id}`),

    /** Reads and locks the row for the rest of the transaction: concurrent writes apply one after another. */
    lock: (q: Queryable, tenantId: string, id: string): Promise<UserRow | undefined> =>
      queryOne(q, Prisma.sql`SELECT * FROM "User" WHERE "tenantId" = ${tenantId} AND id = ${id} FOR UPDATE`),

    /** Writes the new columns; returns the row with its groups (for the response) in the same statement. */
    update: async (q: Queryable, tenantId: string, id: string, cols: UserColumns, passwordHash?: string | null): Promise<UserRowWithGroups> =>
      (await queryOne<UserRowWithGroups>(q, Prisma.sql`
        UPDATE "User" r SET "userName" = ${cols.userName}, "externalId" = ${cols.externalId}, "displayName" = ${cols.displayName},
          active = ${cols.active}, data = ${json(cols.data)}::jsonb,
          ${passwordHash !== undefined ? Prisma.sql`"passwordHash" = ${passwordHash},` : Prisma.empty}
          version = version + 1, "updatedAt" = now()
        WHERE r."tenantId" = ${tenantId} AND r.id = ${id}
        RETURNING r.*, ${GROUP_REFS}`))!,

    remove: (q: Queryable, tenantId: string, id: string) => query(q, Prisma.sql`DELETE FROM "User" WHERE "tenantId" = ${tenantId} AND id = ${id}`),

    /**
     * Before a delete: bumps the version of every group the user belongs to (their member
     * lists are about to change) and returns those groups' ids.
     */
    async leaveGroups(q: Queryable, tenantId: string, userId: string): Promise<string[]> {
      const rows = await query<{ id: string }>(q, Prisma.sql`
        UPDATE "Group" SET version = version + 1, "updatedAt" = now()
        WHERE "tenantId" = ${tenantId} AND id IN (SELECT "groupId" FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "userId" = ${userId})
        RETURNING id`);
      return rows.map((r) => r.id);
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
