// AST → one boolean PostgreSQL condition. Every value is a bound parameter; the only text
// spliced into the SQL is the caller's alias (checked) and canonical names from the schema.
import { isAppError, badRequest } from "../../errors.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { findAttribute, type AttributeDef, type ResourceTypeName } from "../schemas/index.ts";
import { invalidFilter, parseFilter, type CompareOp, type FilterNode, type FilterValue } from "./parser.ts";
import { checkAlias, resolveSub, resolveTarget, type CollectionTarget, type Target, type ValueTarget } from "./targets.ts";

// E'\\' is one backslash whatever standard_conforming_strings says.
const ESCAPE = Prisma.raw(`ESCAPE E'\\\\'`);

interface Scope {
  resolve(path: string): Target;
}

/**
 * Compiles a SCIM filter (RFC 7644 §3.4.2.2) into a boolean SQL condition over `alias`.
 * Throws AppError 400 invalidFilter for anything malformed, unknown or ill-typed.
 */
export function compileFilter(filter: string, resourceType: ResourceTypeName, alias = "r"): Prisma.Sql {
  const a = checkAlias(alias);
  const ast = parseFilter(filter);
  return compileNode(ast, { resolve: (path) => resolveTarget(resourceType, a, path) });
}

function compileNode(node: FilterNode, scope: Scope): Prisma.Sql {
  switch (node.kind) {
    case "and":
      return Prisma.join(
        node.children.map((c) => compileNode(c, scope)),
        " AND ",
      );
    // OR is always parenthesised so the result can be ANDed with the caller's tenant condition.
    case "or":
      return Prisma.sql`(${Prisma.join(
        node.children.map((c) => compileNode(c, scope)),
        " OR ",
      )})`;
    // Two-valued logic: a condition on a missing attribute is false, so its negation is true.
    // `IS NOT TRUE` (unlike NOT) turns SQL NULL into true.
    case "not":
      return Prisma.sql`(${compileNode(node.child, scope)}) IS NOT TRUE`;
    case "present":
      return compilePresent(scope.resolve(node.path), node.path);
    case "compare":
      return compileCompare(scope.resolve(node.path), node.path, node.op, node.value);
    case "valuePath": {
      const target = scope.resolve(node.path);
      if (target.kind !== "collection") throw invalidFilter(`"${node.path}" is not a multi-valued attribute; it takes no value filter`);
      const used = new Set<string>();
      const elementScope: Scope = {
        resolve: (name) => {
          if (name.includes(".") || name.includes(":")) throw invalidFilter(`Use a plain sub-attribute name of "${target.def.name}" inside [] (found "${name}")`);
          const def = resolveSub(target.def, name);
          used.add(def.name);
          return target.sub(def);
        },
      };
      const cond = compileNode(node.filter, elementScope);
      return target.exists(cond, used);
    }
  }
}

function compilePresent(target: Target, path: string): Prisma.Sql {
  switch (target.kind) {
    case "value":
      return presentValue(target);
    case "collection":
      return target.present();
    case "element":
      return target.collection.exists(presentValue(target.collection.sub(target.sub)), new Set([target.sub.name]));
    case "complex": {
      // RFC 7644 §3.4.2.2: a complex attribute is present when any sub-attribute is.
      const parts: Prisma.Sql[] = [];
      for (const s of target.def.subAttributes ?? []) {
        try {
          parts.push(presentValue(target.sub(s)));
        } catch (e) {
          if (!isAppError(e)) throw e; // a sub-attribute that cannot be filtered (meta.location)
        }
      }
      if (parts.length === 0) throw invalidFilter(`"${path}" cannot be used in a filter`);
      return Prisma.sql`(${Prisma.join(parts, " OR ")})`;
    }
  }
}

/** `pr`: present and not null; strings must also be non-empty (RFC 7644 §3.4.2.2). */
function presentValue(t: ValueTarget): Prisma.Sql {
  if (t.storage === "jsonTyped") return Prisma.sql`jsonb_typeof(${t.expr}) <> 'null'`;
  if (isStringType(t)) return Prisma.sql`${t.expr} <> ''`;
  return Prisma.sql`${t.expr} IS NOT NULL`;
}

function compileCompare(target: Target, path: string, op: CompareOp, value: FilterValue): Prisma.Sql {
  switch (target.kind) {
    case "value":
      return compareValue(target, path, op, value);
    case "element":
      return target.collection.exists(compareValue(target.collection.sub(target.sub), path, op, value), new Set([target.sub.name]));
    case "collection": {
      // RFC 7644 §3.4.2.2: a multi-valued attribute without a sub-attribute means its "value".
      const valueDef = collectionValue(target, path);
      return target.exists(compareValue(target.sub(valueDef), path, op, value), new Set([valueDef.name]));
    }
    case "complex":
      throw invalidFilter(`"${path}" is a complex attribute: compare one of its sub-attributes`);
  }
}

function collectionValue(target: CollectionTarget, path: string): AttributeDef {
  const def = findAttribute(target.def.subAttributes ?? [], "value");
  if (!def) throw invalidFilter(`"${path}" has no "value" sub-attribute: compare one of its sub-attributes`);
  return def;
}

const isStringType = (t: ValueTarget) => t.type === "string" || t.type === "reference" || t.type === "binary";

function compareValue(t: ValueTarget, path: string, op: CompareOp, value: FilterValue): Prisma.Sql {
  if (value === null) {
    // RFC 7643 §2.5: null and "unassigned" are the same, so `eq null` means "not present".
    if (op === "eq") return Prisma.sql`(${presentValue(t)}) IS NOT TRUE`;
    if (op === "ne") return presentValue(t);
    throw invalidFilter(`"${op} null" is not meaningful for "${path}"`);
  }
  if (isStringType(t)) {
    if (typeof value !== "string") throw invalidFilter(`"${path}" is a string attribute; compare it to a string`);
    return compareString(t, op, value);
  }
  switch (t.type) {
    case "boolean": {
      if (typeof value !== "boolean") throw invalidFilter(`"${path}" is a boolean attribute; compare it to true or false`);
      if (op !== "eq" && op !== "ne") throw invalidFilter(`Operator "${op}" does not apply to boolean attribute "${path}"`);
      const rhs = t.storage === "jsonTyped" ? Prisma.sql`to_jsonb(${value}::boolean)` : Prisma.sql`${value}`;
      return op === "eq" ? Prisma.sql`${t.expr} = ${rhs}` : Prisma.sql`${t.expr} IS DISTINCT FROM ${rhs}`;
    }
    case "dateTime": {
      if (typeof value !== "string") throw invalidFilter(`"${path}" is a dateTime attribute; compare it to a date string`);
      if (op === "co" || op === "sw" || op === "ew") throw invalidFilter(`Operator "${op}" does not apply to dateTime attribute "${path}"`);
      if (t.storage !== "column") throw invalidFilter(`Filtering on "${path}" is not supported`);
      const rhs = Prisma.sql`${parseDateTime(value, path)}::timestamptz`;
      return op === "ne" ? Prisma.sql`${t.expr} IS DISTINCT FROM ${rhs}` : Prisma.sql`${t.expr} ${Prisma.raw(ORDER_OPS[op])} ${rhs}`;
    }
    default:
      throw invalidFilter(`Filtering on ${t.type} attribute "${path}" is not supported`);
  }
}

const ORDER_OPS = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;

function compareString(t: ValueTarget, op: CompareOp, value: string): Prisma.Sql {
  const citext = t.storage === "citext";
  // caseExact=false (RFC 7643 §2.2): citext already compares case-insensitively; other text goes
  // through lower() on both sides, an expression an index can be built on.
  const folded = !t.caseExact && !citext;
  const lhs = folded ? Prisma.sql`lower(${t.expr})` : t.expr;
  switch (op) {
    case "eq":
    case "gt":
    case "ge":
    case "lt":
    case "le":
      return Prisma.sql`${lhs} ${Prisma.raw(ORDER_OPS[op])} ${folded ? Prisma.sql`lower(${value})` : Prisma.sql`${value}`}`;
    // Missing attribute → true (IS DISTINCT FROM), matching `not (x eq v)`.
    case "ne":
      return Prisma.sql`${lhs} IS DISTINCT FROM ${folded ? Prisma.sql`lower(${value})` : Prisma.sql`${value}`}`;
    case "co":
    case "sw":
    case "ew": {
      const escaped = value.replace(/[\\%_]/g, "\\$&");
      const pattern = op === "co" ? `%${escaped}%` : op === "sw" ? `${escaped}%` : `%${escaped}`;
      // lower(col::text) rather than citext ILIKE: the trigram indexes (migration
      // *_substring_indexes) are built on that expression, so co/sw/ew need no table scan.
      if (citext) return Prisma.sql`lower(${t.expr}::text) LIKE lower(${pattern}) ${ESCAPE}`;
      if (folded) return Prisma.sql`lower(${t.expr}) LIKE lower(${pattern}) ${ESCAPE}`;
      return Prisma.sql`${t.expr} LIKE ${pattern} ${ESCAPE}`;
    }
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))?$/i;

/**
 * RFC 7643 §2.3.5: xsd:dateTime. Validated here so PostgreSQL never sees an invalid date (that
 * would be a 500). No zone designator → UTC, so results don't depend on the session time zone.
 */
function parseDateTime(value: string, path: string): string {
  const m = DATE_TIME.exec(value);
  const bad = () => invalidFilter(`"${value.slice(0, 64)}" is not a valid dateTime for "${path}" (expected e.g. 2011-05-13T04:42:34Z)`);
  if (!m) throw bad();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offH = m[9] === undefined ? 0 : Number(m[9]);
  const offM = m[10] === undefined ? 0 : Number(m[10]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offH > 14 || offM > 59) {
    throw bad();
  }
  return m[8] === undefined ? `${value}Z` : value;
}

/**
 * The ORDER BY expression for `sortBy` (RFC 7644 §3.4.2.3). Unknown or unsortable attributes are
 * rejected with 400 invalidValue rather than ignored, so a client typo is visible.
 */
export function compileSortKey(sortBy: string, resourceType: ResourceTypeName, alias = "r"): Prisma.Sql {
  const a = checkAlias(alias);
  const invalid = (message: string) => badRequest(message, "invalidValue");
  if (typeof sortBy !== "string" || sortBy.length === 0 || sortBy.length > 256 || !/^[A-Za-z0-9_$:.\-]+$/.test(sortBy)) {
    throw invalid("sortBy must be an attribute path");
  }
  let target: Target;
  try {
    target = resolveTarget(resourceType, a, sortBy);
  } catch (e) {
    if (isAppError(e)) throw invalid(`Cannot sort by "${sortBy}": ${e.message}`);
    throw e;
  }
  try {
    switch (target.kind) {
      case "value":
        return sortValue(target);
      case "element":
        return sortCollection(target.collection, target.sub, sortBy);
      case "collection":
        return sortCollection(target, collectionValue(target, sortBy), sortBy);
      case "complex":
        throw invalid(`Cannot sort by complex attribute "${sortBy}": name one of its sub-attributes`);
    }
  } catch (e) {
    if (isAppError(e) && e.scimType === "invalidFilter") throw invalid(e.message);
    throw e;
  }
}

function sortValue(t: ValueTarget): Prisma.Sql {
  // citext columns order case-insensitively by themselves, which keeps their indexes usable.
  return isStringType(t) && !t.caseExact && t.storage !== "citext" ? Prisma.sql`lower(${t.expr})` : t.expr;
}

/** RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first one. */
function sortCollection(c: CollectionTarget, sub: AttributeDef, sortBy: string): Prisma.Sql {
  if (!c.sortBy) throw badRequest(`Cannot sort by "${sortBy}"`, "invalidValue");
  return c.sortBy(sortValue(c.sub(sub)));
}
