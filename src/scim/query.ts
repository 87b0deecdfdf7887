// List query parameters (RFC 7644 §3.4.2, RFC 9865), read from a URL query or a /.search
// body into one validated shape.
import { badRequest } from "../errors.ts";

export interface ListQuery {
  filter?: string;
  /** 1-based; RFC 7644 §3.4.2.4: values below 1 are read as 1. */
  startIndex: number;
  /** Page size, capped at the advertised maximum; 0 returns only totalResults. */
  count: number;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  attributes?: string[];
  excludedAttributes?: string[];
  /** RFC 9865: present (possibly empty) when the client asks for cursor pagination. */
  cursor?: string;
}

export interface PagingLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

type Raw = Record<string, unknown>;

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  // Beyond 2^53 a number is no longer an exact integer (and PostgreSQL's OFFSET would reject it).
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer`, "invalidValue");
  return n;
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${name} must be a string`, "invalidValue");
  return value;
}

function attributeList(name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const items = Array.isArray(value) ? value : String(value).split(",");
  const list = items.map((v) => {
    if (typeof v !== "string") throw badRequest(`${name} must be attribute names`, "invalidValue");
    return v.trim();
  });
  return list.filter(Boolean);
}

/** Reads the parameters case-insensitively (IdPs differ in `startIndex` vs `startindex`). */
export function parseListQuery(raw: Raw, limits: PagingLimits): ListQuery {
  const get = (key: string) => {
    const lower = key.toLowerCase();
    const k = Object.keys(raw).find((x) => x.toLowerCase() === lower);
    return k === undefined ? undefined : raw[k];
  };
  const startIndex = Math.max(1, integer("startIndex", get("startIndex")) ?? 1);
  const count = Math.min(limits.maxPageSize, Math.max(0, integer("count", get("count")) ?? limits.defaultPageSize));
  const sortOrderRaw = text("sortOrder", get("sortOrder"));
  let sortOrder: ListQuery["sortOrder"] = "ascending";
  if (sortOrderRaw !== undefined && sortOrderRaw !== "") {
    const v = sortOrderRaw.toLowerCase();
    if (v !== "ascending" && v !== "descending") throw badRequest("sortOrder must be ascending or descending", "invalidValue");
    sortOrder = v;
  }
  const filter = text("filter", get("filter"));
  const cursor = text("cursor", get("cursor"));
  if (cursor !== undefined && get("startIndex") !== undefined) {
    throw badRequest("Use either cursor or startIndex pagination, not both (RFC 9865 §2)", "invalidValue");
  }
  return {
    filter: filter?.trim() ? filter : undefined,
    startIndex,
    count,
    sortBy: text("sortBy", get("sortBy")) || undefined,
    sortOrder,
    attributes: attributeList("attributes", get("attributes")),
    excludedAttributes: attributeList("excludedAttributes", get("excludedAttributes")),
    cursor,
  };
}

/** Query-string parameters of a request as a plain object (first value of each). */
export function queryParams(url: string): Raw {
  const out: Raw = {};
  for (const [k, v] of new URL(url).searchParams) if (!(k in out)) out[k] = v;
  return out;
}
