// Where each SCIM attribute lives in PostgreSQL: a column, a jsonb path inside "data", a
// correlated collection (jsonb array or GroupMember), or a server-side constant.
import { Prisma } from "../../generated/prisma/client.ts";
import {
  FORBIDDEN_KEYS,
  findAttribute,
  resolvePath,
  type AttributeDef,
  type AttributeType,
  type ResourceTypeName,
} from "../schemas/index.ts";
import { invalidFilter } from "./parser.ts";

/** A single value the operators apply to. */
export interface ValueTarget {
  kind: "value";
  def: AttributeDef;
  type: AttributeType;
  /** The value as SQL: text for strings, boolean/timestamptz for typed columns, jsonb for typed JSON. */
  expr: Prisma.Sql;
  /** "column": typed SQL column; "citext": case-insensitive column; "json": `expr` is jsonb text via ->>;
   *  "jsonTyped": `expr` is the jsonb node itself (booleans/numbers inside "data"). */
  storage: "column" | "citext" | "json" | "jsonTyped";
  caseExact: boolean;
}

/** A single-valued complex attribute (name, manager, meta): only `pr` applies to it as a whole. */
export interface ComplexTarget {
  kind: "complex";
  def: AttributeDef;
  sub(def: AttributeDef): ValueTarget;
}

/** A multi-valued attribute: conditions are evaluated per element inside a correlated EXISTS. */
export interface CollectionTarget {
  kind: "collection";
  def: AttributeDef;
  /** EXISTS over the elements, with `cond` (or no condition) applied to one element. */
  exists(cond: Prisma.Sql | undefined, subsUsed: ReadonlySet<string>): Prisma.Sql;
  /** The whole attribute is present (non-empty). */
  present(): Prisma.Sql;
  sub(def: AttributeDef): ValueTarget;
  /** For sorting (RFC 7644 §3.4.2.3): `expr` of the primary element, else of the first one. */
  sortBy?(expr: Prisma.Sql): Prisma.Sql;
}

/** `emails.type`: a sub-attribute of a multi-valued attribute, evaluated per element. */
export interface ElementTarget {
  kind: "element";
  collection: CollectionTarget;
  sub: AttributeDef;
}

export type Target = ValueTarget | ComplexTarget | CollectionTarget | ElementTarget;

const SAFE_KEY = /^[A-Za-z0-9_$:.\-]+$/;
const SAFE_ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Aliases this module uses inside its own subqueries. */
const INNER_ALIASES = new Set(["el", "gm", "u", "g"]);

/** Quotes a canonical attribute name (from the schema, never from the request) as a SQL literal. */
function key(name: string): Prisma.Sql {
  if (!SAFE_KEY.test(name)) throw new Error(`Unsafe attribute key ${JSON.stringify(name)}`);
  return Prisma.raw(`'${name}'`);
}

export function checkAlias(alias: string): Prisma.Sql {
  if (!SAFE_ALIAS.test(alias) || INNER_ALIASES.has(alias)) throw new Error(`Invalid SQL alias ${JSON.stringify(alias)}`);
  return Prisma.raw(alias);
}

const col = (a: Prisma.Sql, name: string) => Prisma.sql`${a}.${Prisma.raw(`"${name}"`)}`;

function column(def: AttributeDef, expr: Prisma.Sql, storage: "column" | "citext" = "column", caseExact = def.caseExact): ValueTarget {
  return { kind: "value", def, type: def.type, expr, storage, caseExact };
}

/** A value stored inside jsonb `node` under `def.name`. */
function jsonValue(node: Prisma.Sql, def: AttributeDef): ValueTarget {
  const typed = def.type === "boolean" || def.type === "integer" || def.type === "decimal";
  return {
    kind: "value",
    def,
    type: def.type,
    expr: typed ? Prisma.sql`(${node}->${key(def.name)})` : Prisma.sql`${node}->>${key(def.name)}`,
    storage: typed ? "jsonTyped" : "json",
    // RFC 7643 §2.3.6: binary values are base64 and compared case-exactly.
    caseExact: def.caseExact || def.type === "binary",
  };
}

/** A server-side constant (meta.resourceType, members.type, groups.type): bound, never inlined. */
function constant(def: AttributeDef, value: string | null): ValueTarget {
  const expr = def.type === "boolean" ? Prisma.sql`${value}::boolean` : Prisma.sql`${value}::text`;
  return { kind: "value", def, type: def.type, expr, storage: "column", caseExact: def.caseExact };
}

const notFilterable = (name: string) => invalidFilter(`Attribute "${name}" cannot be used in a filter`);

/** A jsonb array inside "data" (emails, addresses, roles, …). */
function jsonArray(node: Prisma.Sql, def: AttributeDef): CollectionTarget {
  const arr = Prisma.sql`${node}->${key(def.name)}`;
  const el = Prisma.raw("el.v");
  // The CASE keeps a malformed (non-array) stored value from raising an error: it yields no rows.
  const elements = Prisma.sql`jsonb_array_elements(CASE jsonb_typeof(${arr}) WHEN 'array' THEN ${arr} END)`;
  return {
    kind: "collection",
    def,
    exists: (cond) =>
      Prisma.sql`EXISTS (SELECT 1 FROM ${elements} AS el(v)${
        cond ? Prisma.sql` WHERE ${cond}` : Prisma.empty
      })`,
    present: () => Prisma.sql`(jsonb_typeof(${arr}) = 'array' AND ${arr} <> '[]'::jsonb)`,
    sub: (s) => jsonValue(el, s),
    sortBy: (expr) =>
      Prisma.sql`(SELECT ${expr} FROM ${elements} WITH ORDINALITY AS el(v, n) ORDER BY COALESCE(el.v->'primary' = 'true'::jsonb, false) DESC, el.n LIMIT 1)`,
  };
}

/** One side of "GroupMember" seen from the other: a group's members, or a user's groups. */
interface MembershipSide {
  /** The GroupMember column naming the resource being filtered, and the one naming the other side. */
  own: "groupId" | "userId";
  other: "groupId" | "userId";
  /** Joined only when `display` is filtered on. */
  join: Prisma.Sql;
  display: (s: AttributeDef) => ValueTarget;
  /** Constant sub-attributes (members.type, groups.type / groups.primary). */
  constants: Record<string, string | null>;
}

function membership(a: Prisma.Sql, def: AttributeDef, side: MembershipSide): CollectionTarget {
  return {
    kind: "collection",
    def,
    exists: (cond, subs) => {
      const join = subs.has("display") ? side.join : Prisma.empty;
      return Prisma.sql`EXISTS (SELECT 1 FROM "GroupMember" gm${join} WHERE gm."tenantId" = ${col(a, "tenantId")} AND gm.${Prisma.raw(`"${side.own}"`)} = ${col(a, "id")}${
        cond ? Prisma.sql` AND ${cond}` : Prisma.empty
      })`;
    },
    present() {
      return this.exists(undefined, new Set());
    },
    sub: (s) => {
      // .value is an id: compared case-exactly so the (groupId, userId) primary key serves it.
      if (s.name === "value") return column(s, Prisma.raw(`gm."${side.other}"`), "column", true);
      if (s.name === "display") return side.display(s);
      if (s.name in side.constants) return constant(s, side.constants[s.name] ?? null);
      throw notFilterable(`${def.name}.${s.name}`);
    },
  };
}

/** Group.members: rows of "GroupMember" (members are Users; display = the User's displayName or userName). */
const groupMembers = (a: Prisma.Sql, def: AttributeDef) =>
  membership(a, def, {
    own: "groupId",
    other: "userId",
    join: Prisma.sql` JOIN "User" u ON u."id" = gm."userId" AND u."tenantId" = gm."tenantId"`,
    display: (s) => column(s, Prisma.sql`COALESCE(u."displayName", u."userName"::text)`),
    constants: { type: "User" },
  });

/** User.groups: derived from "GroupMember" (value = groupId, display = the Group's displayName). */
const userGroups = (a: Prisma.Sql, def: AttributeDef) =>
  membership(a, def, {
    own: "userId",
    other: "groupId",
    join: Prisma.sql` JOIN "Group" g ON g."id" = gm."groupId" AND g."tenantId" = gm."tenantId"`,
    display: (s) => column(s, Prisma.sql`g."displayName"`, "citext"),
    // Roster does not nest groups: every membership is direct (RFC 7643 §4.1.2).
    constants: { type: "direct", primary: null },
  });

function meta(a: Prisma.Sql, resourceType: ResourceTypeName, def: AttributeDef): ComplexTarget {
  return {
    kind: "complex",
    def,
    sub: (s) => {
      switch (s.name) {
        case "created":
          return column(s, col(a, "createdAt"));
        case "lastModified":
          return column(s, col(a, "updatedAt"));
        case "resourceType":
          return constant(s, resourceType);
        // The ETag Roster serves (weak, from the row version).
        case "version":
          return column(s, Prisma.sql`('W/"' || ${col(a, "version")} || '"')`);
        default:
          throw notFilterable(`meta.${s.name}`);
      }
    },
  };
}

const COLUMNS: Record<ResourceTypeName, Record<string, "column" | "citext">> = {
  User: { id: "column", externalId: "column", userName: "citext", displayName: "column", active: "column" },
  Group: { id: "column", externalId: "column", displayName: "citext" },
};

/** Resolves a top-level filter path (`userName`, `name.givenName`, `urn:…:User:manager.value`) to a target. */
export function resolveTarget(resourceType: ResourceTypeName, alias: Prisma.Sql, path: string): Target {
  for (const segment of path.split(/[.:]/)) {
    if (FORBIDDEN_KEYS.has(segment)) throw invalidFilter(`Unknown attribute "${path}"`);
  }
  const resolved = resolvePath(resourceType, path);
  if (!resolved) throw invalidFilter(`Unknown attribute "${path}"`);
  const { attribute, sub } = resolved;
  checkReadable(attribute, path);
  if (sub) checkReadable(sub, path);

  let top: Target;
  if (resolved.common && attribute.name === "meta") {
    top = meta(alias, resourceType, attribute);
  } else if (!resolved.extension && COLUMNS[resourceType][attribute.name]) {
    top = column(attribute, col(alias, attribute.name), COLUMNS[resourceType][attribute.name]);
  } else if (resourceType === "Group" && attribute.name === "members") {
    top = groupMembers(alias, attribute);
  } else if (resourceType === "User" && attribute.name === "groups") {
    top = userGroups(alias, attribute);
  } else {
    const data = col(alias, "data");
    const node = resolved.extension ? Prisma.sql`${data}->${key(resolved.schema)}` : data;
    if (attribute.multiValued) top = jsonArray(node, attribute);
    else if (attribute.type === "complex") top = jsonComplex(Prisma.sql`${node}->${key(attribute.name)}`, attribute);
    else top = jsonValue(node, attribute);
  }
  return sub ? subTarget(top, sub, path) : top;
}

function jsonComplex(node: Prisma.Sql, def: AttributeDef): ComplexTarget {
  return { kind: "complex", def, sub: (s) => jsonValue(node, s) };
}

function subTarget(top: Target, sub: AttributeDef, path: string): Target {
  if (top.kind === "complex") return top.sub(sub);
  if (top.kind === "collection") return { kind: "element", collection: top, sub };
  throw invalidFilter(`Attribute "${path}" has no sub-attributes`);
}

/** Finds a sub-attribute of a complex attribute by name, for paths inside `attr[…]`. */
export function resolveSub(parent: AttributeDef, name: string): AttributeDef {
  if (FORBIDDEN_KEYS.has(name) || !parent.subAttributes) throw invalidFilter(`Unknown attribute "${parent.name}.${name}"`);
  const def = findAttribute(parent.subAttributes, name);
  if (!def) throw invalidFilter(`Unknown attribute "${parent.name}.${name}"`);
  checkReadable(def, `${parent.name}.${name}`);
  return def;
}

/** RFC 7644 §3.4.2.2 / §7: attributes never returned (password) must not be probed through filters. */
function checkReadable(def: AttributeDef, path: string): void {
  if (def.returned === "never") throw invalidFilter(`Attribute "${path}" cannot be used in a filter`);
}
