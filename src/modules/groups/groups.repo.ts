// The only code that touches "Group" and "GroupMember". Membership changes are set-based
// SQL statements: adding or removing one member of a 100k-member group never loads it.
import type { Db, Tx } from "../../db/client.ts";
import type { GroupColumns, GroupRow, MemberRef } from "../../scim/mappers/group.mapper.ts";

export type { GroupRow };

export function createGroupsRepo() {
  return {
    insert: (tx: Tx, tenantId: string, cols: GroupColumns) => tx.group.create({ data: { tenantId, ...cols, data: cols.data as object } }),

    find: (db: Db | Tx, tenantId: string, id: string): Promise<GroupRow | null> => db.group.findFirst({ where: { tenantId, id } }),

    async lock(tx: Tx, tenantId: string, id: string): Promise<GroupRow | null> {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Group" WHERE "tenantId" = ${tenantId} AND id = ${id} FOR UPDATE`;
      return rows.length ? tx.group.findFirst({ where: { tenantId, id } }) : null;
    },

    update: (tx: Tx, tenantId: string, id: string, cols: GroupColumns) =>
      tx.group.update({ where: { id, tenantId }, data: { ...cols, data: cols.data as object, version: { increment: 1 }, updatedAt: new Date() } }),

    bumpVersion: (tx: Tx, tenantId: string, id: string) =>
      tx.group.update({ where: { id, tenantId }, data: { version: { increment: 1 }, updatedAt: new Date() } }),

    remove: (tx: Tx, tenantId: string, id: string) => tx.group.deleteMany({ where: { tenantId, id } }),

    /** Members with their display value (displayName, else userName), in a stable order. */
    async members(db: Db | Tx, tenantId: string, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
      const byGroup = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      if (!groupIds.length) return byGroup;
      const rows = await db.$queryRaw<{ groupId: string; id: string; display: string }[]>`
        SELECT gm."groupId", u.id, COALESCE(u."displayName", u."userName"::text) AS display
        FROM "GroupMember" gm JOIN "User" u ON u.id = gm."userId"
        WHERE gm."tenantId" = ${tenantId} AND gm."groupId" = ANY(${groupIds}::text[])
        ORDER BY gm."groupId", u.id`;
      for (const r of rows) byGroup.get(r.groupId)?.push({ id: r.id, display: r.display });
      return byGroup;
    },

    /** The ids among `ids` that are users of this tenant. */
    async existingUserIds(tx: Tx, tenantId: string, ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE "tenantId" = ${tenantId} AND id = ANY(${ids}::text[])`;
      return new Set(rows.map((r) => r.id));
    },

    async addMembers(tx: Tx, tenantId: string, groupId: string, userIds: string[]): Promise<string[]> {
      if (!userIds.length) return [];
      const rows = await tx.$queryRaw<{ userId: string }[]>`
        INSERT INTO "GroupMember" ("tenantId", "groupId", "userId")
        SELECT ${tenantId}, ${groupId}, u FROM unnest(${userIds}::text[]) AS u
        ON CONFLICT DO NOTHING RETURNING "userId"`;
      return rows.map((r) => r.userId);
    },

    async removeMembers(tx: Tx, tenantId: string, groupId: string, userIds: string[]): Promise<string[]> {
      if (!userIds.length) return [];
      const rows = await tx.$queryRaw<{ userId: string }[]>`
        DELETE FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "groupId" = ${groupId} AND "userId" = ANY(${userIds}::text[])
        RETURNING "userId"`;
      return rows.map((r) => r.userId);
    },

    /** Removes every member not in `keep` (all of them when `keep` is empty). */
    async removeMembersExcept(tx: Tx, tenantId: string, groupId: string, keep: string[]): Promise<string[]> {
      const rows = await tx.$queryRaw<{ userId: string }[]>`
        DELETE FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "groupId" = ${groupId} AND NOT ("userId" = ANY(${keep}::text[]))
        RETURNING "userId"`;
      return rows.map((r) => r.userId);
    },
  };
}

export type GroupsRepo = ReturnType<typeof createGroupsRepo>;
