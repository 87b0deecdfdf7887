// RFC 9865 cursors: opaque to clients; here the id of the last row of the previous page, bound
// to the filter it was issued for, and carrying the walk's totalResults as counted on its first
// page — so following a cursor through a 100k directory costs no count per page. (The total is
// a snapshot from the start of the walk; totalResults of later pages does not move with writes.)
import { createHash } from "node:crypto";
import { badRequest } from "../errors.ts";

const fingerprint = (filter: string | undefined) => createHash("sha256").update(filter ?? "").digest("base64url").slice(0, 8);

export interface CursorPosition {
  afterId: string;
  total?: number;
}

export function encodeCursor(afterId: string, filter: string | undefined, total?: number): string {
  return Buffer.from(JSON.stringify({ a: afterId, f: fingerprint(filter), t: total })).toString("base64url");
}

/** Where to continue, or undefined for the first page (an empty cursor). */
export function decodeCursor(cursor: string, filter: string | undefined): CursorPosition | undefined {
  if (cursor === "") return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { a?: unknown; f?: unknown; t?: unknown };
    if (typeof parsed.a === "string" && parsed.a.length <= 64 && parsed.f === fingerprint(filter)) {
      const total = Number.isSafeInteger(parsed.t) && (parsed.t as number) >= 0 ? (parsed.t as number) : undefined;
      return { afterId: parsed.a, total };
    }
  } catch {
    /* fall through */
  }
  throw badRequest("The cursor is not valid for this query", "invalidCursor");
}
