// Deprovisioning receipts: what the deprovision job revoked for one user.deactivated /
// user.deleted event, when the event happened and how long revocation took. One per event
// (unique eventId), which is also what makes the job idempotent.
import type { Db, Tx } from "../../db/client.ts";
import { badRequest } from "../../errors.ts";

export interface ReceiptView {
  id: string;
  tenantId: string;
  userId: string;
  eventId: string;
  reason: string;
  sessionsRevoked: number;
  refreshTokensRevoked: number;
  rolesRemoved: number;
  eventAt: string;
  completedAt: string;
  elapsedMs: number;
}

export interface NewReceipt {
  tenantId: string;
  userId: string;
  eventId: bigint;
  reason: string;
  sessionsRevoked: number;
  refreshTokensRevoked: number;
  rolesRemoved: number;
  eventAt: Date;
  completedAt: Date;
}

type Row = NonNullable<Awaited<ReturnType<Db["deprovisionReceipt"]["findFirst"]>>>;

const view = (r: Row): ReceiptView => ({
  id: r.id, tenantId: r.tenantId, userId: r.userId, eventId: r.eventId.toString(), reason: r.reason,
  sessionsRevoked: r.sessionsRevoked, refreshTokensRevoked: r.refreshTokensRevoked, rolesRemoved: r.rolesRemoved,
  eventAt: r.eventAt.toISOString(), completedAt: r.completedAt.toISOString(), elapsedMs: r.elapsedMs,
});

export function createReceiptsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    exists: async (eventId: bigint) => (await db.deprovisionReceipt.count({ where: { eventId } })) > 0,

    /** Writes the receipt unless one exists for the event; returns whether this call wrote it. */
    async record(r: NewReceipt, tx: Tx = db): Promise<boolean> {
      const { count } = await tx.deprovisionReceipt.createMany({
        skipDuplicates: true,
        data: [{ ...r, elapsedMs: Math.max(0, r.completedAt.getTime() - r.eventAt.getTime()) }],
      });
      return count === 1;
    },

    /** Newest first, with the id (UUIDv7, time-ordered) of the last one as the cursor. */
    async list(tenantId: string, q: { userId?: string; after?: string; limit: number }) {
      if (q.after !== undefined && !/^[0-9a-f-]{36}$/i.test(q.after)) throw badRequest("after must be a cursor returned by this endpoint");
      const rows = await db.deprovisionReceipt.findMany({
        where: { tenantId, ...(q.userId ? { userId: q.userId } : {}), ...(q.after ? { id: { lt: q.after } } : {}) },
        orderBy: { id: "desc" },
        take: q.limit,
      });
      return { data: rows.map(view), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
    },
  };
}

export type ReceiptsService = ReturnType<typeof createReceiptsService>;
