// RFC 9865 cursors: opaque to clients; here the id of the last row of the previous page,
// bound to the filter it was issued for.
import { createHash } from "node:crypto";
import { badRequest } from "../errors.ts";

const fingerprint = (filter: string | undefined) => createHash("sha256").update(filter ?? "").digest("base64url").slice(0, 8);

export function encodeCursor(afterId: string, filter: string | undefined): string {
  return Buffer.from(JSON.stringify({ a: afterId, f: fingerprint(filter) })).toString("base64url");
}

/** The id to continue after, or undefined for the first page (an empty cursor). */
export function decodeCursor(cursor: string, filter: string | undefined): string | undefined {
  if (cursor === "") return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { a?: unknown; f?: unknown };
    if (typeof parsed.a === "string" && parsed.a.length <= 64 && parsed.f === fingerprint(filter)) return parsed.a;
  } catch {
    /* fall through */
  }
  throw badRequest("The cursor is not valid for this query", "invalidCursor");
}
