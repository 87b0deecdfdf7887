// The one place that turns client JSON into canonical attribute values (RFC 7643 §2.3 data
// types, §2.4 multi-valued, §7 characteristics). Shared by the PATCH engine and by
// normalizeResource (POST/PUT), so both accept and reject exactly the same values.
//
// Every value returned here is a NEW object built only from schema-canonical keys: nothing
// from the request body is kept by reference, and no key outside the schema is ever written
// (which is what keeps `__proto__` and friends out).
import { badRequest, type AppError } from "../../errors.ts";
import { FORBIDDEN_KEYS, findAttribute, type AttributeDef } from "../schemas/index.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = Record<string, unknown>;

/** At most this many values in one multi-valued attribute (keeps dedupe O(n²) bounded). */
export const MAX_MULTI_VALUES = 1000;

export function isPlainObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key) || FORBIDDEN_KEYS.has(key.toLowerCase());
}

/** Short, log-safe rendering of client text inside error details. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

export const invalidValue = (message: string): AppError => badRequest(message, "invalidValue");

/** Structural equality on JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with sorted keys: a hash key for "the same value", so dedupe stays linear. */
export function stableKey(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableKey).join(",")}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

/** Drops exact duplicates, keeping the first of each (order preserved). */
export function dedupe<T>(values: T[]): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = stableKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Unassigned in the RFC 7643 §2.5 sense: absent, null, "" is NOT unassigned, [] and {} are. */
export function isUnassigned(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

/** Equality for change detection: all unassigned forms are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return (isUnassigned(a) && isUnassigned(b)) || deepEqual(a, b);
}

/** Compares two simple values the way the attribute says (caseExact, RFC 7643 §2.2). */
export function equalUnder(def: AttributeDef, a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string" && !def.caseExact) return a.toLowerCase() === b.toLowerCase();
  return deepEqual(a, b);
}

/**
 * Entra sends booleans as "True"/"False" (documented in "Known issues and resolutions with
 * SCIM 2.0 protocol compliance"); any other string for a boolean is an error.
 */
export function coerceBoolean(raw: unknown, where: string): boolean {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string") {
    const l = raw.trim().toLowerCase();
    if (l === "true") return true;
    if (l === "false") return false;
  }
  throw invalidValue(`${where} must be a boolean`);
}

/** A simple (non-complex) attribute value, checked against its RFC 7643 §2.3 type. */
export function coerceSimple(def: AttributeDef, raw: unknown, where: string): unknown {
  switch (def.type) {
    case "boolean":
      return coerceBoolean(raw, where);
    case "integer":
      if (typeof raw === "number" && Number.isInteger(raw)) return raw;
      throw invalidValue(`${where} must be an integer`);
    case "decimal":
      if (typeof raw === "number" && Number.isFinite(raw)) return raw;
      throw invalidValue(`${where} must be a number`);
    case "dateTime":
      if (typeof raw === "string" && !Number.isNaN(Date.parse(raw))) return raw;
      throw invalidValue(`${where} must be an xsd:dateTime string`);
    case "string":
    case "reference":
    case "binary":
      // PostgreSQL text and jsonb cannot hold U+0000: refuse it here rather than fail in the database.
      if (typeof raw === "string" && raw.includes("\u0000")) throw invalidValue(`${where} must not contain U+0000`);
      if (typeof raw === "string") return raw;
      throw invalidValue(`${where} must be a string`);
    case "complex":
      return coerceComplex(def, raw, where);
  }
}

/**
 * A complex value: an object whose keys are sub-attribute names (any case). Returns a new
 * object with canonical keys. `null` (and "" for a required sub-attribute) is kept as a
 * `null` marker meaning "clear this sub-attribute" — the caller decides what that means
 * (merge: delete it; whole value: drop it). Read-only sub-attributes (members.display,
 * manager.displayName) are ignored, as RFC 7644 §3.3 asks for read-only input. Unknown keys
 * are a 400 invalidValue: silently dropping data the client thinks it stored is worse.
 */
export function coerceComplex(def: AttributeDef, raw: unknown, where: string): Obj {
  const subs = def.subAttributes ?? [];
  // Entra sends the manager as a bare id string: `"value": "<id>"` means {value: "<id>"}.
  if (typeof raw === "string" && !def.multiValued && findAttribute(subs, "value")) raw = { value: raw };
  if (!isPlainObject(raw)) throw invalidValue(`${where} must be an object`);
  const out: Obj = {};
  for (const [key, v] of Object.entries(raw)) {
    if (isForbiddenKey(key)) throw invalidValue(`${where} contains a forbidden key ${quote(key)}`);
    const sub = findAttribute(subs, key);
    if (!sub) throw invalidValue(`${where} has no sub-attribute ${quote(key)}`);
    if (sub.mutability === "readOnly") continue;
    if (v === null || (v === "" && sub.required)) {
      out[sub.name] = null;
      continue;
    }
    if (Array.isArray(v) && !sub.multiValued) throw invalidValue(`${where}.${sub.name} must be a single value`);
    out[sub.name] = coerceSimple(sub, v, `${where}.${sub.name}`);
  }
  return out;
}

/** Drops `null` markers; returns undefined when nothing is left. */
export function stripNulls(o: Obj): Obj | undefined {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** RFC 7643 §2.4: "primary" true at most once per multi-valued attribute. */
export function countPrimary(values: unknown[]): number {
  return values.filter((v) => isPlainObject(v) && v.primary === true).length;
}

export function hasRequiredSubs(def: AttributeDef, o: Obj): boolean {
  return (def.subAttributes ?? []).every((s) => !s.required || (o[s.name] !== undefined && o[s.name] !== ""));
}

/** One element of a multi-valued attribute, complete (no null markers). */
export function coerceElement(def: AttributeDef, raw: unknown, where: string): unknown {
  if (def.type !== "complex") {
    if (raw === null) throw invalidValue(`${where} must not contain null`);
    return coerceSimple({ ...def, multiValued: false }, raw, where);
  }
  const o = stripNulls(coerceComplex(def, raw, where));
  if (!o) throw invalidValue(`${where} must not contain empty values`);
  return o;
}

/**
 * A whole multi-valued attribute: an array (a single value is accepted as a one-element
 * array — several clients send `"value": {"type":"work",…}` for `add emails`). Exact
 * duplicates are dropped; more than one primary is a 400 invalidValue.
 */
export function coerceMulti(def: AttributeDef, raw: unknown, where: string): unknown[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_MULTI_VALUES) throw invalidValue(`${where} has more than ${MAX_MULTI_VALUES} values`);
  const out = dedupe(list.map((item, i) => coerceElement(def, item, `${where}[${i}]`)));
  if (countPrimary(out) > 1) throw invalidValue(`${where} has more than one primary value`);
  return out;
}

/**
 * A whole attribute value for POST/PUT (and the PATCH "replace whole attribute" case).
 * Returns undefined for "unassigned" (null, [], {} or a complex value that clears its
 * required sub-attribute, like Entra's manager `{"value": ""}`).
 */
export function coerceWhole(def: AttributeDef, raw: unknown, where: string): unknown {
  if (raw === null) return undefined;
  if (def.multiValued) {
    const list = coerceMulti(def, raw, where);
    return list.length ? list : undefined;
  }
  if (Array.isArray(raw)) throw invalidValue(`${where} is single-valued; an array is not allowed`);
  if (def.type === "complex") {
    const marked = coerceComplex(def, raw, where);
    if ((def.subAttributes ?? []).some((s) => s.required && marked[s.name] === null)) return undefined;
    const o = stripNulls(marked);
    if (o && !hasRequiredSubs(def, o)) throw invalidValue(`${where} is missing a required sub-attribute`);
    return o;
  }
  const v = coerceSimple(def, raw, where);
  if (def.required && v === "") throw invalidValue(`${where} is required and must not be empty`);
  return v;
}

/**
 * Group members as ids (Roster members are users only). Accepts an array of member
 * objects, one member object, or `{members: [...]}` (a shape some clients send in a remove
 * value). Each member needs a string `value`; `$ref`/`display` are ignored and `type`, when
 * given, must be "User".
 */
export function parseMemberIds(membersDef: AttributeDef, raw: unknown, where: string): string[] {
  if (isPlainObject(raw) && !Object.hasOwn(raw, "value")) {
    const key = Object.keys(raw).find((k) => k.toLowerCase() === "members");
    if (key && Object.keys(raw).length === 1) raw = raw[key];
  }
  const list = Array.isArray(raw) ? raw : [raw];
  const ids: string[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(item)) throw invalidValue(`${at} must be an object with a "value"`);
    let id: unknown;
    for (const [key, v] of Object.entries(item)) {
      if (isForbiddenKey(key)) throw invalidValue(`${at} contains a forbidden key ${quote(key)}`);
      const sub = findAttribute(membersDef.subAttributes ?? [], key);
      if (!sub) throw invalidValue(`${at} has no sub-attribute ${quote(key)}`);
      if (sub.name === "value") id = v;
      else if (sub.name === "type" && v !== null && (typeof v !== "string" || v.toLowerCase() !== "user")) {
        throw invalidValue(`${at}.type must be "User": nested groups are not supported`);
      } else if (v !== null && typeof v !== "string") throw invalidValue(`${at}.${sub.name} must be a string`);
    }
    if (typeof id !== "string" || id === "" || id.includes("\u0000")) throw invalidValue(`${at}.value must be a non-empty string id`);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  });
  return ids;
}
