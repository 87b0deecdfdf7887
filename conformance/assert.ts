// Assertions for conformance cases. A failed assertion throws AssertionFailed; the runner prints its
// message with the exchange that produced it.
import type { ScimResponse } from "./client.ts";

export const URN = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  enterprise: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  search: "urn:ietf:params:scim:api:messages:2.0:SearchRequest",
  bulkRequest: "urn:ietf:params:scim:api:messages:2.0:BulkRequest",
  bulkResponse: "urn:ietf:params:scim:api:messages:2.0:BulkResponse",
  spc: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

/** RFC 7644 §3.12 Table 9: the scimType values and the status they go with. */
export const SCIM_TYPES = ["invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive"] as const;

export class AssertionFailed extends Error {
  constructor(message: string, readonly response?: ScimResponse) { super(message); }
}

/** Thrown from a case to skip it (an optional feature turned out to be absent). */
export class SkipCase extends Error {}

export function check(cond: unknown, message: string, res?: ScimResponse): asserts cond {
  if (!cond) throw new AssertionFailed(message, res);
}

export function equal(actual: unknown, expected: unknown, what: string, res?: ScimResponse): void {
  if (!deepEqual(actual, expected)) {
    throw new AssertionFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`, res);
  }
}

export function status(res: ScimResponse, ...expected: number[]): void {
  if (!expected.includes(res.status)) {
    throw new AssertionFailed(`expected status ${expected.join(" or ")}, got ${res.status}`, res);
  }
}

/** RFC 7644 §8.1: responses are application/scim+json. */
export function scimJson(res: ScimResponse): void {
  const ct = res.headers.get("content-type") ?? "";
  check(/^application\/scim\+json\b/i.test(ct), `expected Content-Type application/scim+json, got "${ct}"`, res);
}

/** RFC 7644 §3.12: an error body with the Error schema, status as a string, a valid scimType. */
export function scimError(res: ScimResponse, expectedStatus: number, scimTypes?: readonly string[]): void {
  status(res, expectedStatus);
  const b = res.body;
  check(isObject(b), "error response has no JSON body (RFC 7644 §3.12)", res);
  check(Array.isArray(b.schemas) && b.schemas.includes(URN.error), `error body schemas must contain ${URN.error}`, res);
  check(typeof b.status === "string", `error body "status" must be a string, got ${show(b.status)}`, res);
  equal(b.status, String(expectedStatus), 'error body "status"', res);
  if (b.scimType !== undefined) {
    check((SCIM_TYPES as readonly string[]).includes(b.scimType), `unknown scimType ${show(b.scimType)}`, res);
  }
  if (scimTypes && scimTypes.length) {
    check(scimTypes.includes(b.scimType), `expected scimType ${scimTypes.join(" or ")}, got ${show(b.scimType)}`, res);
  }
}

/** RFC 7644 §3.4.2: a ListResponse. Returns its Resources (absent → []). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listResponse(res: ScimResponse): any[] {
  status(res, 200);
  const b = res.body;
  check(isObject(b), "list response is not a JSON object", res);
  check(Array.isArray(b.schemas) && b.schemas.includes(URN.list), `schemas must contain ${URN.list}`, res);
  check(Number.isInteger(b.totalResults), `totalResults must be an integer, got ${show(b.totalResults)}`, res);
  if (b.Resources === undefined) {
    check(b.totalResults === 0 || b.itemsPerPage === 0, "Resources is absent but results exist", res);
    return [];
  }
  check(Array.isArray(b.Resources), "Resources must be an array", res);
  return b.Resources;
}

/** The ids of a ListResponse, for set comparisons. */
export function ids(res: ScimResponse): string[] {
  return listResponse(res).map((r) => r?.id).sort();
}

export function sameSet(actual: string[], expected: string[], what: string, res?: ScimResponse): void {
  equal([...actual].sort(), [...expected].sort(), what, res);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Case-insensitive attribute lookup (RFC 7643 §2.1: attribute names are case-insensitive). */
export function attr(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function show(v: unknown): string {
  const s = v === undefined ? "undefined" : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
