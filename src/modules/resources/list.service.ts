// Listing SCIM resources: compile the filter and sort to SQL, page by index or cursor.
import { badRequest, preconditionFailed } from "../../errors.ts";
import type { Prisma } from "../../db/client.ts";
import type { Queryable } from "../../db/sql.ts";
import { compileFilter, compileSortKey } from "../../scim/filter/index.ts";
import { decodeCursor, encodeCursor } from "../../scim/cursor.ts";
import { etagMatches, parseEtagList } from "../../scim/mappers/meta.ts";
import type { ListQuery } from "../../scim/query.ts";
import { listRows } from "./list.repo.ts";

export interface Page<T> {
  rows: T[];
  total: number;
  startIndex: number;
  nextCursor?: string;
}

export async function listResources<T extends { id: string }>(
  q: Queryable,
  resourceType: "User" | "Group",
  tenantId: string,
  lq: ListQuery,
  extraColumns?: Prisma.Sql,
): Promise<Page<T>> {
  const where = lq.filter ? compileFilter(lq.filter, resourceType, "r") : undefined;
  const sortKey = lq.sortBy ? compileSortKey(lq.sortBy, resourceType, "r") : undefined;
  if (lq.cursor !== undefined) {
    if (sortKey) throw badRequest("Cursor pagination returns resources in id order; sortBy is not supported with cursor", "invalidValue");
    const position = decodeCursor(lq.cursor, lq.filter);
    const { rows, total } = await listRows<T>(q, {
      table: resourceType, tenantId, where, descending: false, limit: lq.count + 1, afterId: position?.afterId, knownTotal: position?.total, extraColumns,
    });
    const page = rows.slice(0, lq.count);
    const more = rows.length > lq.count && page.length > 0;
    return { rows: page, total, startIndex: 1, nextCursor: more ? encodeCursor(page[page.length - 1]!.id, lq.filter, total) : undefined };
  }
  const { rows, total } = await listRows<T>(q, {
    table: resourceType,
    tenantId,
    where,
    sortKey,
    descending: lq.sortOrder === "descending",
    limit: lq.count,
    offset: lq.startIndex - 1,
    extraColumns,
  });
  return { rows, total, startIndex: lq.startIndex };
}

/** RFC 7644 §3.14: a write with a stale If-Match fails with 412 and changes nothing. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  const list = parseEtagList(ifMatch);
  if (list !== undefined && !etagMatches(list, version)) throw preconditionFailed();
}
