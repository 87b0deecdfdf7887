// One list query for SCIM resources: tenant scope + compiled filter + order + page, and an
// exact count. Both run in PostgreSQL; rows are never loaded to be counted or filtered.
import { Prisma } from "../../db/client.ts";
import { query, type Queryable } from "../../db/sql.ts";

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
  /** totalResults already known (carried by an RFC 9865 cursor): no count is run. */
  knownTotal?: number;
  /** Extra columns computed per row (e.g. a user's groups as JSON), over alias `r`. */
  extraColumns?: Prisma.Sql;
}

export async function listRows<T>(q: Queryable, spec: ListSpec): Promise<{ rows: T[]; total: number }> {
  const table = Prisma.raw(`"${spec.table}"`);
  const conditions = [Prisma.sql`r."tenantId" = ${spec.tenantId}`];
  if (spec.where) conditions.push(Prisma.sql`(${spec.where})`);
  const whereSql = Prisma.join(conditions, " AND ");
  const countTotal = async () =>
    spec.knownTotal ?? Number((await query<{ total: string }>(q, Prisma.sql`SELECT count(*) AS total FROM ${table} r WHERE ${whereSql}`))[0]?.total ?? 0);
  if (spec.limit === 0) return { rows: [], total: await countTotal() };

  const offset = spec.offset ?? 0;
  const pageConditions = spec.afterId ? Prisma.sql`${whereSql} AND r."id" > ${spec.afterId}` : whereSql;
  const direction = Prisma.raw(spec.descending ? "DESC" : "ASC");
  const order = (alias: string) => {
    const id = Prisma.raw(`${alias}."id"`);
    return spec.sortKey ? Prisma.sql`${spec.sortKey} ${direction} NULLS LAST, ${id} ${direction}` : Prisma.sql`${id} ${direction}`;
  };
  const extra = spec.extraColumns ? Prisma.sql`, ${spec.extraColumns}` : Prisma.empty;
  // Deferred join: find the page's ids first (an index-only walk of (tenantId, id) for the
  // default order), then read just those rows, so a page 90,000 rows deep skips index
  // entries instead of whole rows.
  const pageIds = Prisma.sql`SELECT r.id FROM ${table} r WHERE ${pageConditions} ORDER BY ${order("r")} LIMIT ${spec.limit} OFFSET ${offset}`;
  const rows = await query<T>(
    q,
    spec.sortKey
      ? Prisma.sql`SELECT r.*${extra} FROM ${table} r WHERE ${pageConditions} ORDER BY ${order("r")} LIMIT ${spec.limit} OFFSET ${offset}`
      : Prisma.sql`SELECT r.*${extra} FROM ${table} r WHERE r.id IN (${pageIds}) ORDER BY ${order("r")}`,
  );
  // The count is implied when the page is partial and not past the end: a userName lookup
  // (the query every IdP sends before a create) costs one statement, not two.
  const implied = rows.length < spec.limit && (rows.length > 0 || offset === 0) && !spec.afterId;
  return { rows, total: implied ? offset + rows.length : await countTotal() };
}
