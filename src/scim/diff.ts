// Which attributes a write changed, as names (never values) for events. Extension attributes
// are named with their URN prefix, as in `urn:…:enterprise:2.0:User:department`.
import { isDeepStrictEqual } from "node:util";

const IGNORED = new Set(["schemas", "id", "meta", "groups", "members"]);

export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED.has(key)) continue;
    const a = before[key];
    const b = after[key];
    if (key.startsWith("urn:") && (isObject(a) || isObject(b))) {
      const ia = (isObject(a) ? a : {}) as Record<string, unknown>;
      const ib = (isObject(b) ? b : {}) as Record<string, unknown>;
      for (const sub of new Set([...Object.keys(ia), ...Object.keys(ib)])) {
        if (!isDeepStrictEqual(ia[sub], ib[sub])) changed.push(`${key}:${sub}`);
      }
    } else if (!isDeepStrictEqual(a, b)) {
      changed.push(key);
    }
  }
  return changed.sort();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
