// The only code that touches the "User" table. Every statement is scoped by tenantId.
import type { Db, Tx } from "../../db/client.ts";
import type { UserColumns, UserRow } from "../../scim/mappers/user.mapper.ts";

export type { UserRow };

export function createUsersRepo() {
  return {
    insert: (tx: Tx, tenantId: string, cols: UserColumns, passwordHash: string | null) =>
      tx.user.create({ data: { tenantId, ...cols, data: cols.data as object, passwordHash } }),

    find: (db: Db | Tx, tenantId: string, id: string): Promise<UserRow | null> => db.user.findFirst({ where: { tenantId, id } }),

    /** Locks the row for the rest of the transaction, so concurrent writes apply one after another. */
    async lock(tx: Tx, tenantId: string, id: string): Promise<UserRow | null> {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE "tenantId" = ${tenantId} AND id = ${id} FOR UPDATE`;
      return rows.length ? tx.user.findFirst({ where: { tenantId, id } }) : null;
    },

    update: (tx: Tx, tenantId: string, id: string, cols: UserColumns, passwordHash?: string | null) =>
      tx.user.update({
        where: { id, tenantId },
        data: { ...cols, data: cols.data as object, ...(passwordHash !== undefined ? { passwordHash } : {}), version: { increment: 1 }, updatedAt: new Date() },
      }),

    remove: (tx: Tx, tenantId: string, id: string) => tx.user.deleteMany({ where: { tenantId, id } }),

    /** The groups of each user, for the derived `groups` attribute (one query per page). */
    async groupsOf(db: Db | Tx, tenantId: string, userIds: string[]) {
      const byUser = new Map<string, { id: string; displayName: string }[]>(userIds.map((id) => [id, []]));
      if (!userIds.length) return byUser;
      const rows = await db.$queryRaw<{ userId: string; id: string; displayName: string }[]>`
        SELECT gm."userId", g.id, g."displayName"::text AS "displayName"
        FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId"
        WHERE gm."tenantId" = ${tenantId} AND gm."userId" = ANY(${userIds}::text[])
        ORDER BY g."displayName"`;
      for (const r of rows) byUser.get(r.userId)?.push({ id: r.id, displayName: r.displayName });
      return byUser;
    },

    /** Bumps the version of every group the user belongs to (their member list is about to change). */
    touchGroupsOf: (tx: Tx, tenantId: string, userId: string) =>
      tx.$executeRaw`UPDATE "Group" SET version = version + 1, "updatedAt" = now()
        WHERE "tenantId" = ${tenantId} AND id IN (SELECT "groupId" FROM "GroupMember" WHERE "tenantId" = ${tenantId} AND "userId" = ${userId})`,

    groupIdsOf: async (tx: Tx, tenantId: string, userId: string) =>
      (await tx.groupMember.findMany({ where: { tenantId, userId }, select: { groupId: true } })).map((m) => m.groupId),
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
