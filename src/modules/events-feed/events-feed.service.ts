// The change feed: a tenant's events in id order with an id cursor. An id is assigned when a
// transaction inserts its event, not when it commits, so a reader at cursor 100 could see 102
// commit before 101 and skip 101 forever. The feed therefore shows only events written by
// transactions older than every transaction still running (PostgreSQL's snapshot xmin):
// everything at or below the returned cursor is final.
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/client.ts";
import { badRequest } from "../../errors.ts";
import { toEventView, type EventRowLike, type EventView } from "./event-view.ts";

export interface FeedQuery {
  after?: string;
  limit: number;
  types?: string[];
  resourceType?: string;
  resourceId?: string;
}

export function createEventsFeedService(deps: { db: Db; retentionDays: number }) {
  const { db } = deps;
  return {
    retentionDays: deps.retentionDays,
    async list(tenantId: string, q: FeedQuery): Promise<{ data: EventView[]; nextCursor: string | null }> {
      if (q.after !== undefined && !/^\d{1,19}$/.test(q.after)) throw badRequest("after must be a cursor returned by this endpoint");
      const after = BigInt(q.after ?? "0");
      const conds = [Prisma.sql`"tenantId" = ${tenantId}`, Prisma.sql`id > ${after}`,
        Prisma.sql`txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint`];
      if (q.types?.length) conds.push(Prisma.sql`type = ANY(${q.types}::text[])`);
      if (q.resourceType) conds.push(Prisma.sql`"resourceType" = ${q.resourceType}`);
      if (q.resourceId) conds.push(Prisma.sql`"resourceId" = ${q.resourceId}`);
      const rows = await db.$queryRaw<EventRowLike[]>`
        SELECT id, "tenantId", type, "resourceType", "resourceId", attributes, actor, data, "createdAt"
          FROM "Event" WHERE ${Prisma.join(conds, " AND ")} ORDER BY id LIMIT ${q.limit}`;
      const data = rows.map(toEventView);
      // A short page is not the end of the feed; the cursor is where to resume either way.
      return { data, nextCursor: data.length ? data[data.length - 1]!.id : (q.after ?? null) };
    },
  };
}

export type EventsFeedService = ReturnType<typeof createEventsFeedService>;
