// Listing SCIM resources: compile the filter and sort to SQL, page by index or cursor.
import { badRequest, preconditionFailed } from "../../errors.ts";
import type { Db } from "../../db/client.ts";
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
  db: Db,
  resourceType: "User" | "Group",
  tenantId: string,
  q: ListQuery,
): Promise<Page<T>> {
  const where = q.filter ? compileFilter(q.filter, resourceType, "r") : undefined;
  const sortKey = q.sortBy ? compileSortKey(q.sortBy, resourceType, "r") : undefined;
  if (q.cursor !== undefined) {
    if (sortKey) throw badRequest("Cursor pagination returns resources in id order; sortBy is not supported with cursor", "invalidValue");
    const afterId = decodeCursor(q.cursor, q.filter);
    const { rows, total } = await listRows<T>(db, { table: resourceType, tenantId, where, descending: false, limit: q.count + 1, afterId });
    const page = rows.slice(0, q.count);
    const more = rows.length > q.count && page.length > 0;
    return { rows: page, total, startIndex: 1, nextCursor: more ? encodeCursor(page[page.length - 1]!.id, q.filter) : undefined };
  }
  const { rows, total } = await listRows<T>(db, {
    table: resourceType,
    tenantId,
    where,
    sortKey,
    descending: q.sortOrder === "descending",
    limit: q.count,
    offset: q.startIndex - 1,
  });
  return { rows, total, startIndex: q.startIndex };
}

/** RFC 7644 §3.14: a write with a stale If-Match fails with 412 and changes nothing. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  const list = parseEtagList(ifMatch);
  if (list !== undefined && !etagMatches(list, version)) throw preconditionFailed();
}
