// One list query for SCIM resources: tenant scope + compiled filter + order + page, and an
// exact count. Both run in PostgreSQL; rows are never loaded to be counted or filtered.
import { Prisma } from "../../db/client.ts";
import type { Db, Tx } from "../../db/client.ts";

export interface ListSpec {
  table: "User" | "Group";
  tenantId: string;
  /** A compiled SCIM filter over alias `r`, or undefined for all rows. */
  where?: Prisma.Sql;
  /** A sort expression over alias `r`; rows are always ordered by id last, so pages are stable. */
  sortKey?: Prisma.Sql;
  descending: boolean;
  limit: number;
  /** startIndex pagination. */
  offset?: number;
  /** Cursor pagination: rows after this id (default order only). */
  afterId?: string;
}

export async function listRows<T>(db: Db | Tx, spec: ListSpec): Promise<{ rows: T[]; total: number }> {
  const table = Prisma.raw(`"${spec.table}"`);
  const conditions = [Prisma.sql`r."tenantId" = ${spec.tenantId}`];
  if (spec.where) conditions.push(Prisma.sql`(${spec.where})`);
  const whereSql = Prisma.join(conditions, " AND ");
  const countRows = await db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM ${table} r WHERE ${whereSql}`;
  const total = Number(countRows[0]?.total ?? 0);
  if (spec.limit === 0) return { rows: [], total };

  const pageConditions = spec.afterId ? Prisma.sql`${whereSql} AND r."id" > ${spec.afterId}` : whereSql;
  const direction = Prisma.raw(spec.descending ? "DESC" : "ASC");
  const order = spec.sortKey
    ? Prisma.sql`${spec.sortKey} ${direction} NULLS LAST, r."id" ${direction}`
    : Prisma.sql`r."id" ${direction}`;
  const rows = await db.$queryRaw<T[]>`
    SELECT r.* FROM ${table} r WHERE ${pageConditions}
    ORDER BY ${order} LIMIT ${spec.limit} OFFSET ${spec.offset ?? 0}`;
  return { rows, total };
}
