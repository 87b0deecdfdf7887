// RFC 7643 §3.1 `meta`, and the weak ETag form of a resource version (RFC 7644 §3.14).
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Parses If-Match / If-None-Match: "*" or a list of (weak or strong) ETags. */
export function parseEtagList(header: unknown): "*" | string[] | undefined {
  if (typeof header !== "string") return undefined;
  const trimmed = header.trim();
  if (trimmed === "*") return "*";
  return trimmed
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .filter(Boolean);
}

/** Whether an ETag list names this version (weak comparison, RFC 7232 §2.3.2). */
export function etagMatches(list: "*" | string[], version: number): boolean {
  return list === "*" || list.includes(`"${version}"`);
}

export function metaOf(resourceType: "User" | "Group", location: string, row: { createdAt: Date; updatedAt: Date; version: number }) {
  return {
    resourceType,
    created: row.createdAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
    location,
    version: etagOf(row.version),
  };
}
