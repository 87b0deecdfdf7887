// The tenant's audit log of admin and security actions. Entries name ids and actions, never
// secrets: callers pass ids, names and reasons, not tokens. Read with an id cursor.
import type { Tx } from "../../db/client.ts";
import { badRequest } from "../../errors.ts";
import type { AuditActor, AuditEntryInput, AuditRepo } from "./audit.repo.ts";

export type { AuditActor, AuditEntryInput };

export interface AuditEntryView {
  id: string;
  tenantId: string;
  actor: AuditActor;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

type Row = Awaited<ReturnType<AuditRepo["insert"]>>;

function toView(r: Row): AuditEntryView {
  return {
    id: r.id.toString(),
    tenantId: r.tenantId,
    actor: r.actor as AuditActor,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: (r.data ?? {}) as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
  };
}

export function createAuditService(deps: { repo: AuditRepo }) {
  const { repo } = deps;
  return {
    /** Writes one entry; pass `tx` to commit it with the change it describes. */
    async record(entry: AuditEntryInput, tx?: Tx): Promise<void> {
      await repo.insert(entry, tx);
    },

    async list(tenantId: string, opts: { after?: string; limit: number }): Promise<{ data: AuditEntryView[]; nextCursor: string | null }> {
      if (opts.after !== undefined && (!/^\d{1,19}$/.test(opts.after) || BigInt(opts.after) > 9223372036854775807n)) throw badRequest("after must be a cursor returned by this endpoint");
      const rows = await repo.page(tenantId, { after: opts.after === undefined ? undefined : BigInt(opts.after), limit: opts.limit + 1 });
      const page = rows.slice(0, opts.limit).map(toView);
      return { data: page, nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
