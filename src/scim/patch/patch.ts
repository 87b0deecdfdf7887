// The SCIM PATCH engine (RFC 7644 §3.5.2): pure, schema-aware, atomic.
//
// It works on a deep clone of the resource document and throws an AppError (400 + scimType)
// before returning anything, so a PATCH applies all its operations or none (§3.5.2: "the
// operations are applied sequentially… if any operation fails, the whole PATCH fails").
// Group members are never loaded: member operations become MemberChanges for the repository.
// The IdP dialects accepted here are listed in /work/shared/DESIGN.md and README.md beside
// this file.
import { badRequest, type AppError } from "../../errors.ts";
import type { AttributeDef } from "../schemas/index.ts";
import { elementFromFilter, matchesFilter, memberIdsFromFilter, type ValueFilter } from "./filter.ts";
import { parsePath, type PathTarget } from "./path.ts";
import { schemaUrnOf, type ResourceSchema, type TopAttribute } from "./schema.ts";
import {
  coerceComplex,
  coerceElement,
  coerceMulti,
  coerceSimple,
  coerceWhole,
  countPrimary,
  deepEqual,
  equalUnder,
  hasRequiredSubs,
  invalidValue,
  isForbiddenKey,
  isPlainObject,
  MAX_MULTI_VALUES,
  parseMemberIds,
  quote,
  sameValue,
  stripNulls,
  type Obj,
} from "./values.ts";

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** More operations than this in one PATCH → 400 invalidValue (see README). */
export const MAX_OPERATIONS = 1000;

export interface MemberChanges {
  add: string[];
  remove: string[];
  /** Every current member goes first; `add` is applied after (replace = removeAll + add). */
  removeAll: boolean;
}

export interface PatchResult {
  /** The patched document (canonical names; no members, no password). */
  resource: Record<string, unknown>;
  /** Distinct top-level attributes whose value changed; extension ones URN-prefixed. */
  changed: string[];
  members: MemberChanges;
  /** Present when the patch set (string) or removed (null) the write-only password. */
  password?: string | null;
}

type Op = "add" | "replace" | "remove";

const invalidSyntax = (m: string): AppError => badRequest(m, "invalidSyntax");
const invalidPath = (m: string): AppError => badRequest(m, "invalidPath");
const noTarget = (m: string): AppError => badRequest(m, "noTarget");
const mutability = (m: string): AppError => badRequest(m, "mutability");

/** Net member changes, applied in operation order. */
class MemberState {
  removeAll = false;
  readonly add = new Set<string>();
  readonly remove = new Set<string>();
  addIds(ids: string[]): void {
    for (const id of ids) {
      this.remove.delete(id);
      this.add.add(id);
    }
  }
  removeIds(ids: string[]): void {
    for (const id of ids) {
      this.add.delete(id);
      if (!this.removeAll) this.remove.add(id);
    }
  }
  clear(): void {
    this.removeAll = true;
    this.add.clear();
    this.remove.clear();
  }
  result(): MemberChanges {
    return { add: [...this.add], remove: [...this.remove], removeAll: this.removeAll };
  }
  get touched(): boolean {
    return this.removeAll || this.add.size > 0 || this.remove.size > 0;
  }
}

interface State {
  schema: ResourceSchema;
  doc: Obj;
  currentId: unknown;
  members: MemberState;
  password: { value: string | null } | undefined;
}

/** Case-insensitive own-key lookup (`Operations`/`operations`, `op`/`Op`). */
function getCI(o: Obj, name: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(o, name)) return { found: true, value: o[name] };
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { found: false, value: undefined } : { found: true, value: o[key] };
}

/** Reads and validates the PatchOp envelope (RFC 7644 §3.5.2). */
function readOperations(body: unknown): { op: Op; path: string | undefined; hasValue: boolean; value: unknown }[] {
  if (!isPlainObject(body)) throw invalidSyntax("PATCH body must be a JSON object");
  const schemas = getCI(body, "schemas").value;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`PATCH body must have schemas ["${PATCH_OP_SCHEMA}"]`);
  }
  const ops = getCI(body, "Operations").value;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax("PATCH body must have a non-empty Operations array");
  if (ops.length > MAX_OPERATIONS) throw invalidValue(`PATCH body has more than ${MAX_OPERATIONS} operations`);
  return ops.map((raw, i) => {
    if (!isPlainObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
    const opName = getCI(raw, "op").value;
    // Entra sends "Add"/"Replace"/"Remove".
    const op = typeof opName === "string" ? opName.toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove") throw invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    const p = getCI(raw, "path").value;
    if (p !== undefined && p !== null && typeof p !== "string") throw invalidPath(`Operations[${i}].path must be a string`);
    const v = getCI(raw, "value");
    return { op, path: typeof p === "string" && p.trim() !== "" ? p.trim() : undefined, hasValue: v.found && v.value !== null, value: v.value };
  });
}

export function applyPatchWith(schema: ResourceSchema, current: Record<string, unknown>, body: unknown): PatchResult {
  const operations = readOperations(body);
  const st: State = {
    schema,
    doc: structuredClone(current) as Obj,
    currentId: current.id,
    members: new MemberState(),
    password: undefined,
  };
  for (const o of operations) {
    if (o.op !== "remove" && !o.hasValue && !(o.path && o.value === null)) {
      throw invalidValue(`${o.op} needs a value`);
    }
    applyOperation(st, o.op, o.path, o.value, o.hasValue);
  }
  if (schema.passwordAttribute) delete st.doc[schema.passwordAttribute];
  if (schema.membersAttribute) delete st.doc[schema.membersAttribute];

  const changed: string[] = [];
  for (const top of schema.attributes) {
    if (top.def.name === schema.membersAttribute || top.def.name === schema.passwordAttribute) continue;
    if (!sameValue(read(current, top), read(st.doc, top))) changed.push(top.key);
  }
  if (st.members.touched) changed.push("members");
  if (st.password) changed.push("password");

  const result: PatchResult = { resource: st.doc, changed, members: st.members.result() };
  if (st.password) result.password = st.password.value;
  return result;
}

function read(doc: Obj, top: TopAttribute): unknown {
  if (!top.extension) return doc[top.def.name];
  const c = doc[top.schema];
  return isPlainObject(c) ? c[top.def.name] : undefined;
}

function write(doc: Obj, top: TopAttribute, value: unknown): void {
  let c = doc;
  if (top.extension) {
    const existing = doc[top.schema];
    if (isPlainObject(existing)) c = existing;
    else {
      if (value === undefined) return;
      c = {};
      doc[top.schema] = c;
    }
  }
  if (value === undefined || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && !Object.keys(value).length)) {
    delete c[top.def.name];
  } else {
    c[top.def.name] = value;
  }
  if (top.extension && !Object.keys(c).length) delete doc[top.schema];
}

function applyOperation(st: State, op: Op, path: string | undefined, value: unknown, hasValue: boolean): void {
  if (path === undefined) {
    // RFC 7644 §3.5.2.2: remove with no path → 400 noTarget.
    if (op === "remove") throw noTarget("remove needs a path");
    return applyToResource(st, op, value);
  }
  const target = parsePath(st.schema, path);
  if (target.kind === "schema") return applyToSchema(st, op, target, value, hasValue);
  const { top, sub, filter } = target;
  if (top.def.name === st.schema.membersAttribute) return applyMembers(st, op, top, sub, filter, value, hasValue);
  if (top.def.name === st.schema.passwordAttribute) return applyPassword(st, op, sub, filter, value);
  if (top.def.mutability === "readOnly" || sub?.mutability === "readOnly") {
    throw mutability(`${top.key}${sub ? `.${sub.name}` : ""} is read-only`);
  }
  // The document is this call's private clone and is edited in place; only attributes
  // with immutable parts need a snapshot to compare against.
  const guarded = top.def.mutability === "immutable" || (top.def.subAttributes ?? []).some((s) => s.mutability === "immutable");
  const before = guarded ? structuredClone(read(st.doc, top)) : undefined;
  if (op === "remove") removeAt(st, top, sub, filter, value, hasValue);
  else setAt(st, op, top, sub, filter, value);
  if (guarded) checkImmutable(top, before, read(st.doc, top));
}

/**
 * Pathless add/replace (RFC 7644 §3.5.2.1/§3.5.2.3): `value` is an object of attributes.
 * Each key is handled as if it were the path of its own operation, which also covers what
 * Entra sends: `"name.givenName"`, `"emails[type eq \"work\"].value"`, URN-qualified names
 * (`"urn:…:enterprise:2.0:User:department"`) and the nested `{"urn:…:enterprise:2.0:User":
 * {…}}` form.
 */
function applyToResource(st: State, op: Op, value: unknown): void {
  if (!isPlainObject(value)) throw invalidValue(`${op} without a path needs an object value`);
  for (const [key, v] of Object.entries(value)) {
    if (isForbiddenKey(key)) throw invalidPath(`Attribute ${quote(key)} is a forbidden key`);
    const lower = key.toLowerCase();
    if (lower === "schemas") continue; // part of a full-resource value; the server owns it
    // Okta's group rename sends {"id": "<the group id>", "displayName": …} on every change.
    if (lower === "id" && (st.currentId === undefined || v === st.currentId)) continue;
    const urn = schemaUrnOf(st.schema, key);
    if (urn) {
      applyToSchema(st, op, { kind: "schema", schema: urn, extension: urn !== st.schema.coreSchema }, v, v !== null);
      continue;
    }
    applyOperation(st, op, key, v, v !== null);
  }
}

/** A path (or pathless key) naming a whole schema: `urn:…:enterprise:2.0:User`. */
function applyToSchema(st: State, op: Op, target: Extract<PathTarget, { kind: "schema" }>, value: unknown, hasValue: boolean): void {
  if (op === "remove") {
    if (!target.extension) throw noTarget("remove of the whole resource is not a PATCH; use DELETE");
    delete st.doc[target.schema];
    return;
  }
  if (!hasValue) {
    // `replace <extension URN>` with null clears the extension; add needs a value.
    if (op === "replace" && target.extension) delete st.doc[target.schema];
    else throw invalidValue(`${op} ${target.schema} needs an object value`);
    return;
  }
  if (!isPlainObject(value)) throw invalidValue(`${target.schema} needs an object value`);
  for (const [key, v] of Object.entries(value)) {
    if (isForbiddenKey(key)) throw invalidPath(`Attribute ${quote(key)} is a forbidden key`);
    if (!target.extension && key.toLowerCase() === "schemas") continue;
    applyOperation(st, op, `${target.schema}:${key}`, v, v !== null);
  }
}

function applyPassword(st: State, op: Op, sub: AttributeDef | undefined, filter: ValueFilter | undefined, value: unknown): void {
  if (sub || filter) throw invalidPath("password has no sub-attributes");
  if (op === "remove" || value === null) {
    st.password = { value: null };
    return;
  }
  if (typeof value !== "string" || value === "") throw invalidValue("password must be a non-empty string");
  st.password = { value };
}

/**
 * Group members (users only), never loaded: each operation becomes ids to add or remove.
 * Entra's and Okta's `remove` with path "members" and the members in `value` removes only
 * those members — never all (DESIGN.md, IdP dialects). Only a remove with no value at all
 * empties the group (RFC 7644 §3.5.2.2).
 */
function applyMembers(
  st: State,
  op: Op,
  top: TopAttribute,
  sub: AttributeDef | undefined,
  filter: ValueFilter | undefined,
  value: unknown,
  hasValue: boolean,
): void {
  if (sub?.mutability === "readOnly") throw mutability(`members.${sub.name} is read-only`);
  if (sub) throw invalidPath(`members.${sub.name} cannot be patched; add or remove the member instead`);
  if (filter) {
    if (op !== "remove") throw invalidPath(`${op} on a filtered members path is not supported; use add with path "members"`);
    const ids = memberIdsFromFilter(filter);
    if (!ids) throw badRequest('Only members[value eq "<id>"] (optionally joined by "or") is supported', "invalidFilter");
    st.members.removeIds(ids);
    return;
  }
  if (op === "remove") {
    if (!hasValue) st.members.clear();
    else st.members.removeIds(parseMemberIds(top.def, value, "members"));
    return;
  }
  if (op === "replace") {
    const ids = value === null ? [] : parseMemberIds(top.def, value, "members");
    st.members.clear();
    st.members.addIds(ids);
    return;
  }
  if (value === null) throw invalidValue("add members needs a value");
  st.members.addIds(parseMemberIds(top.def, value, "members"));
}

function checkImmutable(top: TopAttribute, before: unknown, after: unknown): void {
  // RFC 7643 §2.2: immutable — may be set once (when it has no value), never changed.
  if (top.def.mutability === "immutable" && before !== undefined && !deepEqual(before, after)) {
    throw mutability(`${top.key} is immutable`);
  }
  if (!top.def.multiValued && isPlainObject(before)) {
    for (const s of top.def.subAttributes ?? []) {
      if (s.mutability !== "immutable" || before[s.name] === undefined) continue;
      if (!isPlainObject(after) || !deepEqual(before[s.name], after[s.name])) throw mutability(`${top.key}.${s.name} is immutable`);
    }
  }
}

function requireRemovable(top: TopAttribute): void {
  // A required attribute cannot become unassigned: "A required value was missing" is
  // RFC 7644 §3.12 invalidValue.
  if (top.def.required) throw invalidValue(`${top.key} is required and cannot be removed`);
}

function subPath(top: TopAttribute, sub: AttributeDef): string {
  return `${top.key}.${sub.name}`;
}

/** add / replace at a path (RFC 7644 §3.5.2.1, §3.5.2.3). */
function setAt(st: State, op: Op, top: TopAttribute, sub: AttributeDef | undefined, filter: ValueFilter | undefined, raw: unknown): void {
  const def = top.def;
  const existing = read(st.doc, top);

  if (!def.multiValued && def.type !== "complex") {
    if (raw === null) {
      requireRemovable(top);
      return write(st.doc, top, undefined);
    }
    return write(st.doc, top, coerceWhole(def, raw, top.key));
  }

  if (!def.multiValued) {
    // Single complex (name, manager). §3.5.2.3: the given sub-attributes replace or are
    // added; sub-attributes not given are left unchanged — for add and replace alike.
    const base: Obj = isPlainObject(existing) ? { ...existing } : {};
    let incoming: Obj;
    if (sub) {
      if (Array.isArray(raw)) throw invalidValue(`${subPath(top, sub)} is single-valued; an array is not allowed`);
      incoming = { [sub.name]: raw === null || (raw === "" && sub.required) ? null : coerceSimple(sub, raw, subPath(top, sub)) };
    } else {
      if (raw === null) {
        requireRemovable(top);
        return write(st.doc, top, undefined);
      }
      if (Array.isArray(raw)) throw invalidValue(`${top.key} is single-valued; an array is not allowed`);
      incoming = coerceComplex(def, raw, top.key);
    }
    // Clearing a required sub-attribute clears the attribute: Entra removes a manager
    // with `{"value": ""}` (or a bare "").
    if ((def.subAttributes ?? []).some((s) => s.required && incoming[s.name] === null)) {
      requireRemovable(top);
      return write(st.doc, top, undefined);
    }
    for (const [k, v] of Object.entries(incoming)) {
      if (v === null) delete base[k];
      else base[k] = v;
    }
    if (Object.keys(base).length && !hasRequiredSubs(def, base)) throw invalidValue(`${top.key} is missing a required sub-attribute`);
    return write(st.doc, top, base);
  }

  // Multi-valued complex (emails, addresses, …).
  const list = elementsOf(existing);
  const written = new Set<Obj>();

  if (!filter && !sub) {
    if (raw === null) {
      if (op === "add") throw invalidValue(`add ${top.key} needs a value`);
      requireRemovable(top);
      return write(st.doc, top, undefined);
    }
    const values = coerceMulti(def, raw, top.key) as Obj[];
    if (op === "replace") return write(st.doc, top, values);
    // §3.5.2.1: add appends; a value equal to an existing one (same value and type) is
    // merged into it instead of duplicated.
    for (const v of values) {
      const same = list.find((e) => sameIdentity(def, e, v));
      if (same) {
        Object.assign(same, v);
        written.add(same);
      } else {
        const copy = { ...v };
        list.push(copy);
        written.add(copy);
      }
    }
    return finishMulti(st, top, list, written);
  }

  const matched = filter ? list.filter((e) => matchesFilter(filter, e)) : list;
  if (sub) {
    if (raw === null) {
      for (const e of matched) delete e[sub.name];
      return finishMulti(st, top, list.filter((e) => Object.keys(e).length), written);
    }
    if (Array.isArray(raw) && !sub.multiValued) throw invalidValue(`${subPath(top, sub)} is single-valued; an array is not allowed`);
    const v = coerceSimple(sub, raw, subPath(top, sub));
    for (const e of matched) {
      e[sub.name] = v;
      written.add(e);
    }
    if (!matched.length) list.push(created(op, filter, top, { [sub.name]: v }, written));
    return finishMulti(st, top, list, written);
  }

  // Filter, no sub-attribute: the value is one element (or its sub-attributes).
  if (raw === null) {
    if (op === "add") throw invalidValue(`add ${top.key} needs a value`);
    return finishMulti(st, top, list.filter((e) => !matched.includes(e)), written);
  }
  if (Array.isArray(raw)) throw invalidValue(`${top.key}[…] takes one value, not an array`);
  const incoming = coerceComplex(def, raw, top.key);
  if (matched.length) {
    for (const e of matched) {
      // §3.5.2.3: "all matching record values SHALL be replaced"; add merges into them.
      if (op === "replace") for (const k of Object.keys(e)) delete e[k];
      for (const [k, v] of Object.entries(incoming)) {
        if (v === null) delete e[k];
        else e[k] = v;
      }
      written.add(e);
    }
    return finishMulti(st, top, list.filter((e) => Object.keys(e).length), written);
  }
  const fresh = stripNulls(incoming) ?? {};
  list.push(created(op, filter, top, fresh, written));
  finishMulti(st, top, list, written);
}

/**
 * A filtered `add` that matched nothing creates the element the filter describes (Entra's
 * `Add emails[type eq "work"].value`, DESIGN.md). A filtered `replace` that matched nothing is
 * 400 noTarget, as RFC 7644 §3.5.2.3 requires ("SHALL indicate failure … noTarget").
 */
function created(op: string, filter: ValueFilter | undefined, top: TopAttribute, values: Obj, written: Set<Obj>): Obj {
  if (op === "replace" && filter) throw noTarget(`No ${top.key} value matches the filter of this replace (RFC 7644 §3.5.2.3)`);
  const base = filter ? elementFromFilter(filter) : {};
  if (!base) throw noTarget(`No ${top.key} value matches the filter, and the filter does not describe one to create`);
  // The filter literals are re-checked against the sub-attribute types.
  const element: Obj = {};
  for (const [k, v] of Object.entries(base)) {
    const s = (top.def.subAttributes ?? []).find((d) => d.name === k)!;
    if (s.mutability === "readOnly") continue;
    element[k] = coerceSimple(s, v, `${top.key}.${k}`);
  }
  Object.assign(element, values);
  const checked = coerceElement(top.def, element, top.key) as Obj;
  written.add(checked);
  return checked;
}

/** Same `value` and `type` (each folded unless caseExact): the same entry, to be merged. */
function sameIdentity(def: AttributeDef, a: Obj, b: Obj): boolean {
  const valueDef = def.subAttributes?.find((s) => s.name === "value");
  if (!valueDef || a.value === undefined || b.value === undefined) return deepEqual(a, b);
  const typeDef = def.subAttributes?.find((s) => s.name === "type");
  return equalUnder(valueDef, a.value, b.value) && (typeDef ? equalUnder(typeDef, a.type ?? null, b.type ?? null) : true);
}

/**
 * The elements of a multi-valued attribute in the private clone (edited in place). Every
 * multi-valued attribute in Roster's schemas is complex (RFC 7643 §2.4 sub-attributes).
 */
function elementsOf(existing: unknown): Obj[] {
  if (!Array.isArray(existing)) return [];
  return existing.every(isPlainObject) ? (existing as Obj[]) : existing.filter(isPlainObject);
}

/** RFC 7643 §2.4: one primary at most — a primary written now wins over older ones. */
function finishMulti(st: State, top: TopAttribute, list: Obj[], written: Set<Obj>): void {
  if (countPrimary(list) > 1) {
    const mine = list.filter((e) => e.primary === true && written.has(e));
    if (mine.length > 1) throw invalidValue(`${top.key} can have only one primary value`);
    if (mine.length === 1) for (const e of list) if (e !== mine[0] && e.primary === true) e.primary = false;
  }
  // Only what this operation wrote can have become a duplicate of another element.
  const deduped = written.size ? list.filter((e) => !written.has(e) || !list.some((o) => o !== e && deepEqual(o, e) && list.indexOf(o) < list.indexOf(e))) : list;
  if (deduped.length > MAX_MULTI_VALUES) throw invalidValue(`${top.key} would have more than ${MAX_MULTI_VALUES} values`);
  write(st.doc, top, deduped);
}

/** remove at a path (RFC 7644 §3.5.2.2). */
function removeAt(st: State, top: TopAttribute, sub: AttributeDef | undefined, filter: ValueFilter | undefined, value: unknown, hasValue: boolean): void {
  const def = top.def;
  const existing = read(st.doc, top);
  if (!def.multiValued) {
    if (existing === undefined) return;
    if (!sub || (sub.required && def.type === "complex")) {
      // Removing manager.value removes the manager (value is its required sub-attribute).
      requireRemovable(top);
      return write(st.doc, top, undefined);
    }
    if (isPlainObject(existing)) {
      const copy = { ...existing };
      delete copy[sub.name];
      write(st.doc, top, copy);
    }
    return;
  }
  const list = elementsOf(existing);
  if (!filter && !sub) {
    if (hasValue) {
      // Remove only the listed values (the members-style remove-by-value, for any
      // multi-valued attribute); never everything when a value is given.
      const victims = coerceMulti(def, value, top.key) as Obj[];
      const keep = list.filter((e) => !victims.some((v) => containsAll(def, e, v)));
      return write(st.doc, top, keep);
    }
    requireRemovable(top);
    return write(st.doc, top, undefined);
  }
  // A filter that matches nothing removes nothing: removal is idempotent, so an IdP's
  // retry does not fail (RFC 7644 §3.5.2.2's own member example; README).
  const matched = filter ? list.filter((e) => matchesFilter(filter, e)) : list;
  if (!sub) return write(st.doc, top, list.filter((e) => !matched.includes(e)));
  for (const e of matched) delete e[sub.name];
  write(st.doc, top, list.filter((e) => Object.keys(e).length));
}

/** Every sub-attribute given in `probe` equals the element's (caseExact-aware). */
function containsAll(def: AttributeDef, element: Obj, probe: Obj): boolean {
  return Object.entries(probe).every(([k, v]) => {
    const s = def.subAttributes?.find((d) => d.name === k);
    return s ? equalUnder(s, element[k], v) : deepEqual(element[k], v);
  });
}
