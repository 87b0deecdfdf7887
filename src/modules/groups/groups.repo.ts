// The only code that touches "Group" and "GroupMember". Membership changes are set-based
// statements: adding or removing one member of a 100k-member group never loads it.
import { v7 as uuidv7 } from "uuid";
import { Prisma } from "../../db/client.ts";
import { json, query, queryOne, type Queryable } from "../../db/sql.ts";
import type { GroupColumns, GroupRow, MemberRef } from "../../scim/mappers/group.mapper.ts";

export type { GroupRow };

export function createGroupsRepo() {
  return {
    insert: async (q: Queryable, tenantId: string, cols: GroupColumns): Promise<GroupRow> =>
      (await queryOne<GroupRow>(q, Prisma.sql`
        INSERT INTO "Group" (id, "tenantId", "displayName", "externalId", data)
        VALUES (${uuidv7()}, ${tenantId}, ${cols.displayName}, ${cols.externalId}, ${json(cols.data)}::jsonb)
        RETURNING *`))!,

    find: (q: Queryable, tenantId: string, id: string): Promise<GroupRow | undefined> =>
      queryOne(q, Prisma.sql`SELECT * FROM "Group" WHERE "tenantId" = ${tenantId} AND id = ${id}`),

    lock: (q: Queryable, tenantId: string, id: string): Promise<GroupRow | undefined> =>
      queryOne(q, Prisma.sql`SELECT * FROM "Group" WHERE "tenantId" = ${tenantId} AND id = ${id} FOR UPDATE`),

    update: async (q: Queryable, tenantId: string, id: string, cols: GroupColumns): Promise<GroupRow> =>
      (await queryOne<GroupRow>(q, Prisma.sql`
        UPDATE "Group" SET "displayName" = ${cols.displayName}, "externalId" = ${cols.externalId}, data = ${json(cols.data)}::jsonb,
          version = version + 1, "updatedAt" = now()
        WHERE "tenantId" = ${tenantId} AND id = ${id} RETURNING *`))!,

    bumpVersion: async (q: Queryable, tenantId: string, id: string): Promise<GroupRow> =>
      (await queryOne<GroupRow>(q, Prisma.sql`
        UPDATE "Group" SET version = version + 1, "updatedAt" = now() WHERE "tenantId" = ${tenantId} AND id = ${id} RETURNING *`))!,

    remove: (q: Queryable, tenantId: string, id: string) => query(q, Prisma.sql`DELETE FROM "Group" WHERE "tenantId" = ${tenantId} AND id = ${id}`),

    /** Members with their display value (displayName, else userName), in a stable order. */
    async members(q: Queryable, tenantId: string, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
      const byGroup = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      if (!groupIds.length) return byGroup;
      const rows = await query<{ groupId: string; id: string; display: string }>(q, Prisma.sql`
        SELECT gm."groupId", u.id, COALESCE(u."displayName", u."userName"::text) AS display
        FROM "GroupMember" gm JOIN "User" u ON u.id = gm."userId"
        WHERE gm."tenantId" = ${tenantId} AND gm."groupId" = ANY(${groupIds}::text[])
        ORDER BY gm."groupId", u.id`);
      for (const r of rows) byGroup.get(r.groupId)?.push({ id: r.id, display: r.display });
      return byGroup;
    },

    /** The ids among `ids` that are users of this tenant. */
    async existingUserIds(q: Queryable, tenantId: string, ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      const rows = await query<{ id: string }>(q, Prisma.sql`SELECT id FROM "User" WHERE "tenantId" = ${tenantId} AND id = ANY(${ids}::text[])`);
      return new Set(rows.map((r) => r.id));
    },

    async addMembers(q: Queryable, tenantId: string, groupId: string, userIds: string[]): Promise<string[]> {
      if (!userIds.length) return [];
      const rows = await query<{ userId: string }>(q, Prisma.sql`
        INSERT INTO "GroupMember" ("tenantId", "groupId", "userId")
        SELECT ${tenantId}, ${groupId}, u FROM unnest(${userIds}::text[]) AS u
        ON CONFLICT DO NOTHING RETURNING "userId"`);
      return rows.map((r) => r.userId);
    },

    async removeMembers(q: Queryable, tenantId: string, groupId: string, userIds: string[]): Promise<string[]> {
      if (!userIds.length) return [];
      const rows = await query<{ userId: string }>(q, Prisma.sql`
        DELETE FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "groupId" = ${groupId} AND "userId" = ANY(${userIds}::text[])
        RETURNING "userId"`);
      return rows.map((r) => r.userId);
    },

    /** Removes every member not in `keep` (all of them when `keep` is empty). */
    async removeMembersExcept(q: Queryable, tenantId: string, groupId: string, keep: string[]): Promise<string[]> {
      const rows = await query<{ userId: string }>(q, Prisma.sql`
        DELETE FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "groupId" = ${groupId} AND NOT ("userId" = ANY(${keep}::text[]))
        RETURNING "userId"`);
      return rows.map((r) => r.userId);
    },
  };
}

export type GroupsRepo = ReturnType<typeof createGroupsRepo>;
