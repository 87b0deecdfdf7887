import type { Db, Tx } from "../../db/client.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

export interface AuditEntryInput {
  tenantId: string;
  actor: AuditActor;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  data?: Record<string, unknown>;
}

/** Who did it: a vendor admin credential, a tenant user (maybe impersonated), or Roster itself. */
export type AuditActor =
  | { type: "admin"; credentialId: string; name: string }
  | { type: "user"; userId: string; sessionId: string; impersonatorId?: string }
  | { type: "system"; reason?: string };

export function createAuditRepo(db: Db) {
  return {
    insert: (e: AuditEntryInput, tx: Tx = db) =>
      tx.auditLog.create({
        data: {
          tenantId: e.tenantId,
          actor: e.actor as Prisma.InputJsonValue,
          action: e.action,
          targetType: e.targetType ?? null,
          targetId: e.targetId ?? null,
          data: (e.data ?? {}) as Prisma.InputJsonValue,
        },
      }),
    page: (tenantId: string, opts: { after?: bigint; limit: number }) =>
      db.auditLog.findMany({
        where: { tenantId, ...(opts.after !== undefined ? { id: { gt: opts.after } } : {}) },
        orderBy: { id: "asc" },
        take: opts.limit,
      }),
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
