// The value filter inside a PATCH path's brackets (RFC 7644 §3.5.2 Figure 7: `valFilter`):
// `emails[type eq "work" and primary eq true]`. Only the bracket contents are parsed here,
// against the sub-attributes of the multi-valued attribute; matching follows each
// sub-attribute's caseExact (RFC 7644 §3.4.2.2). The grammar is the one SCIM filter parser
// (src/scim/filter/parser.ts); this file resolves and matches it against an element.
// Errors are 400 invalidFilter: RFC 7644 §3.12 lists it for "PATCH (Path Filter)".
import { badRequest, type AppError } from "../../errors.ts";
import { parseFilter, type FilterNode } from "../filter/parser.ts";
import { findAttribute, type AttributeDef } from "../schemas/index.ts";
import { coerceBoolean, isPlainObject, quote, type Obj } from "./values.ts";

import type { CompareOp, FilterValue as Literal } from "../filter/parser.ts";

export type { CompareOp, Literal };

export type ValueFilter =
  | { op: "and" | "or"; filters: ValueFilter[] }
  | { op: "not"; filter: ValueFilter }
  | { op: "pr"; attr: AttributeDef }
  | { op: CompareOp; attr: AttributeDef; value: Literal };

/** Nesting of parentheses / `not`; deeper input is refused instead of overflowing the stack. */
export const MAX_FILTER_DEPTH = 16;

const invalidFilter = (message: string): AppError => badRequest(message, "invalidFilter");

/** `type`, or fully qualified `emails.type`, against the parent's sub-attributes. */
function subAttribute(parent: AttributeDef, name: string): AttributeDef {
  let n = name;
  const prefix = `${parent.name.toLowerCase()}.`;
  if (n.toLowerCase().startsWith(prefix)) n = n.slice(prefix.length);
  const sub = findAttribute(parent.subAttributes ?? [], n);
  if (!sub) throw invalidFilter(`${quote(name)} is not a sub-attribute of ${parent.name}`);
  return sub;
}

/** The comparison value, checked against the sub-attribute's type (RFC 7644 §3.4.2.2). */
function literalFor(attr: AttributeDef, op: CompareOp, v: Literal): Literal {
  // gt/ge/lt/le on booleans (and binary) are an invalidFilter.
  const ordering = op === "gt" || op === "ge" || op === "lt" || op === "le";
  const substring = op === "co" || op === "sw" || op === "ew";
  if (attr.type === "boolean" && (ordering || substring)) throw invalidFilter(`${op} is not supported on boolean ${attr.name}`);
  if (attr.type === "binary" && ordering) throw invalidFilter(`${op} is not supported on binary ${attr.name}`);
  if (v === null) {
    if (op !== "eq" && op !== "ne") throw invalidFilter(`${op} null is not a valid comparison`);
    return null;
  }
  if (attr.type === "boolean") {
    try {
      return coerceBoolean(v, attr.name);
    } catch {
      throw invalidFilter(`${attr.name} is boolean; ${quote(String(v))} is not`);
    }
  }
  if (attr.type === "integer" || attr.type === "decimal") {
    if (typeof v !== "number" || substring) throw invalidFilter(`${attr.name} needs a numeric comparison`);
    return v;
  }
  if (typeof v !== "string") throw invalidFilter(`${attr.name} is a string; compare it with a quoted value`);
  return v;
}

/** Resolves a parsed filter (the one SCIM filter grammar, src/scim/filter/parser.ts) against `parent`. */
function resolve(node: FilterNode, parent: AttributeDef, depth: number): ValueFilter {
  if (depth >= MAX_FILTER_DEPTH) throw invalidFilter("Value filter is nested too deeply");
  switch (node.kind) {
    case "and":
    case "or":
      return { op: node.kind, filters: node.children.map((c) => resolve(c, parent, depth + 1)) };
    case "not":
      return { op: "not", filter: resolve(node.child, parent, depth + 1) };
    case "present":
      return { op: "pr", attr: subAttribute(parent, node.path) };
    case "compare": {
      const attr = subAttribute(parent, node.path);
      return { op: node.op, attr, value: literalFor(attr, node.op, node.value) };
    }
    case "valuePath":
      throw invalidFilter("A value filter cannot contain another value filter");
  }
}

/** Parses the text between `[` and `]` for a multi-valued complex attribute. */
export function parseValueFilter(text: string, parent: AttributeDef): ValueFilter {
  if (!text.trim()) throw invalidFilter("Empty value filter");
  return resolve(parseFilter(text), parent, 0);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0) && !(isPlainObject(v) && !Object.keys(v).length);
}

function compare(op: CompareOp, attr: AttributeDef, actual: unknown, expected: Literal): boolean {
  if (expected === null) return op === "eq" ? !present(actual) : present(actual);
  if (actual === undefined || actual === null) return op === "ne";
  if (typeof actual !== typeof expected) return op === "ne";
  let a = actual as string | number | boolean;
  let e = expected;
  if (typeof a === "string" && typeof e === "string") {
    if (attr.type === "dateTime" && (op === "gt" || op === "ge" || op === "lt" || op === "le")) {
      const ta = Date.parse(a);
      const te = Date.parse(e);
      if (!Number.isNaN(ta) && !Number.isNaN(te)) [a, e] = [ta, te];
    } else if (!attr.caseExact) {
      a = a.toLowerCase();
      e = e.toLowerCase();
    }
  }
  switch (op) {
    case "eq":
      return a === e;
    case "ne":
      return a !== e;
    case "co":
      return typeof a === "string" && a.includes(e as string);
    case "sw":
      return typeof a === "string" && a.startsWith(e as string);
    case "ew":
      return typeof a === "string" && a.endsWith(e as string);
    case "gt":
      return a > e;
    case "ge":
      return a >= e;
    case "lt":
      return a < e;
    case "le":
      return a <= e;
  }
}

/** Does one element of the multi-valued attribute match? */
export function matchesFilter(f: ValueFilter, element: unknown): boolean {
  if (!isPlainObject(element)) return false;
  switch (f.op) {
    case "and":
      return f.filters.every((x) => matchesFilter(x, element));
    case "or":
      return f.filters.some((x) => matchesFilter(x, element));
    case "not":
      return !matchesFilter(f.filter, element);
    case "pr":
      return present(element[f.attr.name]);
    default:
      return compare(f.op, f.attr, element[f.attr.name], f.value);
  }
}

/**
 * The element a filter describes, when it is only `eq` terms joined by `and`
 * (`type eq "work" and primary eq true` → {type: "work", primary: true}). Used to create
 * the element when `add`/`replace` on a filtered path matches nothing (Entra). Returns
 * undefined for anything else (or, not, other operators, contradictions).
 */
export function elementFromFilter(f: ValueFilter): Obj | undefined {
  const terms = f.op === "and" ? f.filters : [f];
  const out: Obj = {};
  for (const t of terms) {
    if (t.op !== "eq" || t.value === null) return undefined;
    const name = t.attr.name;
    if (Object.hasOwn(out, name) && out[name] !== t.value) return undefined;
    out[name] = t.value;
  }
  return out;
}

/**
 * Group member ids named by a members filter: `value eq "id"`, or several joined by `or`.
 * Anything else would need the member list loaded, which Roster never does.
 */
export function memberIdsFromFilter(f: ValueFilter): string[] | undefined {
  const terms = f.op === "or" ? f.filters : [f];
  const ids: string[] = [];
  for (const t of terms) {
    if (t.op !== "eq" || t.attr.name !== "value" || typeof t.value !== "string") return undefined;
    if (!ids.includes(t.value)) ids.push(t.value);
  }
  return ids;
}
