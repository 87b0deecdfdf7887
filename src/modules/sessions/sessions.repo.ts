import type { Db, Tx } from "../../db/client.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

export type SessionRow = NonNullable<Awaited<ReturnType<Db["session"]["findFirst"]>>>;
export type RefreshTokenRow = NonNullable<Awaited<ReturnType<Db["refreshToken"]["findFirst"]>>>;

export function createSessionsRepo(db: Db) {
  return {
    findUser: (tenantId: string, id: string, tx: Tx = db) =>
      tx.user.findFirst({ where: { tenantId, id }, select: { id: true, active: true, userName: true } }),
    createSession: (tx: Tx, data: Prisma.SessionUncheckedCreateInput) => tx.session.create({ data }),
    findSession: (tenantId: string, id: string, tx: Tx = db) => tx.session.findFirst({ where: { tenantId, id } }),
    listSessions: (tenantId: string, userId: string) =>
      db.session.findMany({ where: { tenantId, userId }, orderBy: { createdAt: "desc" }, take: 200 }),
    touchSession: (tx: Tx, id: string, lastSeenAt: Date, idleExpiresAt: Date) =>
      tx.session.update({ where: { id }, data: { lastSeenAt, idleExpiresAt } }),

    createRefreshToken: (tx: Tx, data: { tenantId: string; sessionId: string; familyId: string; digest: string; expiresAt: Date }) =>
      tx.refreshToken.create({ data }),
    /**
     * Marks the token used if — and only if — it is still usable. Row-level locking makes this
     * the single winner among concurrent presentations: a second UPDATE waits for the first to
     * commit, re-checks `usedAt IS NULL`, and matches nothing.
     */
    consumeRefreshToken: async (tx: Tx, digest: string, now: Date): Promise<RefreshTokenRow | null> => {
      const rows = await tx.$queryRaw<RefreshTokenRow[]>`
        UPDATE "RefreshToken" SET "usedAt" = ${now}
         WHERE "digest" = ${digest} AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}
        RETURNING *`;
      return rows[0] ?? null;
    },
    findRefreshToken: (tx: Tx, digest: string) => tx.refreshToken.findUnique({ where: { digest } }),
    revokeFamily: (tx: Tx, familyId: string, now: Date) =>
      tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } }),
    /** Kills the refresh tokens that could still be used; counts only those. */
    revokeRefreshTokensOfSessions: async (tx: Tx, tenantId: string, sessionIds: string[], now: Date) =>
      (await tx.refreshToken.updateMany({ where: { tenantId, sessionId: { in: sessionIds }, revokedAt: null, usedAt: null }, data: { revokedAt: now } })).count,

    revokeSession: (tx: Tx, tenantId: string, id: string, reason: string, now: Date) =>
      tx.session.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } }),
    revokeUserSessions: async (tx: Tx, tenantId: string, userId: string, reason: string, now: Date): Promise<string[]> => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Session" SET "revokedAt" = ${now}, "revokedReason" = ${reason}
         WHERE "tenantId" = ${tenantId} AND "userId" = ${userId} AND "revokedAt" IS NULL
        RETURNING "id"`;
      return rows.map((r) => r.id);
    },
    /** Sessions of the user whose access tokens may still be live: to (re-)list on the deny-list. */
    recentlyRevokedSessionIds: async (tx: Tx, tenantId: string, userId: string, since: Date): Promise<string[]> =>
      (await tx.session.findMany({ where: { tenantId, userId, revokedAt: { gt: since } }, select: { id: true } })).map((s) => s.id),

    /** Every session of a tenant whose access tokens may still be live (before the tenant is deleted). */
    liveSessionIdsOfTenant: async (tenantId: string, since: Date): Promise<string[]> =>
      (await db.session.findMany({ where: { tenantId, OR: [{ revokedAt: null }, { revokedAt: { gt: since } }], absoluteExpiresAt: { gt: since } }, select: { id: true } }))
        .map((s) => s.id),

    /** For introspection: the session and its user in one indexed query. */
    sessionState: (sessionId: string) =>
      db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true, tenantId: true, user: { select: { active: true, userName: true } } } }),

  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
