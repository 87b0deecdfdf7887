// Validation and canonicalisation of POST/PUT bodies (RFC 7644 §3.3, §3.5.1), with the same
// value rules as the PATCH engine (values.ts). Attribute names become canonical; Entra's
// "True"/"False" become booleans; read-only attributes (id, meta, groups, members.display…)
// are dropped silently — RFC 7644 §3.3: the provider ignores read-only values on create —
// and `members`/`password` are split out, never stored in the document.
import { badRequest } from "../../errors.ts";
import type { ResourceTypeName } from "../schemas/index.ts";
import { schemaFor, schemaUrnOf, topOf, type ResourceSchema, type TopAttribute } from "./schema.ts";
import { coerceWhole, invalidValue, isForbiddenKey, isPlainObject, parseMemberIds, quote, type Obj } from "./values.ts";

export interface NormalizedResource {
  /** The SCIM document: canonical names, extension attributes under their URN key. */
  resource: Record<string, unknown>;
  /** Group member ids from `members` (users only), deduplicated. Absent when not sent. */
  members?: string[];
  /** The write-only password, when sent. */
  password?: string;
}

export function normalizeResource(resourceType: ResourceTypeName, body: unknown): NormalizedResource {
  return normalizeWith(schemaFor(resourceType), body);
}

export function normalizeWith(schema: ResourceSchema, body: unknown): NormalizedResource {
  if (!isPlainObject(body)) throw badRequest("Resource body must be a JSON object", "invalidSyntax");
  const out: NormalizedResource = { resource: {} };

  const take = (top: TopAttribute, raw: unknown, where: string): void => {
    const def = top.def;
    // RFC 7644 §3.3: read-only attributes in a create/replace body are ignored.
    if (def.mutability === "readOnly") return;
    if (def.name === schema.membersAttribute) {
      out.members = raw === null ? [] : parseMemberIds(def, raw, where);
      return;
    }
    if (def.name === schema.passwordAttribute) {
      if (raw === null) return;
      if (typeof raw !== "string" || raw === "") throw invalidValue("password must be a non-empty string");
      out.password = raw;
      return;
    }
    const value = coerceWhole(def, raw, where);
    const r = out.resource;
    if (!top.extension) {
      if (value === undefined) delete r[def.name];
      else r[def.name] = value;
      return;
    }
    const container = (isPlainObject(r[top.schema]) ? r[top.schema] : {}) as Obj;
    if (value === undefined) delete container[def.name];
    else container[def.name] = value;
    if (Object.keys(container).length) r[top.schema] = container;
    else delete r[top.schema];
  };

  const resolveTop = (name: string, where: string): TopAttribute => {
    if (isForbiddenKey(name)) throw invalidValue(`${quote(where)} is a forbidden key`);
    const resolved = schema.resolve(name);
    if (!resolved || resolved.sub) throw invalidValue(`Unknown attribute ${quote(where)}`);
    return topOf(resolved);
  };

  for (const [key, raw] of Object.entries(body)) {
    if (isForbiddenKey(key)) throw invalidValue(`${quote(key)} is a forbidden key`);
    if (key.toLowerCase() === "schemas") continue; // checked by the route; derived on output
    const urn = schemaUrnOf(schema, key);
    if (urn) {
      // `"urn:…:enterprise:2.0:User": {"department": …}` (the core URN works the same way).
      if (raw === null) continue;
      if (!isPlainObject(raw)) throw invalidValue(`${urn} must be an object`);
      for (const [k, v] of Object.entries(raw)) {
        const top = resolveTop(`${urn}:${k}`, `${urn}:${k}`);
        take(top, v, top.key);
      }
      continue;
    }
    const top = resolveTop(key, key);
    take(top, raw, top.key);
  }

  for (const top of schema.attributes) {
    if (!top.def.required || top.def.mutability === "readOnly") continue;
    const v = top.extension ? (out.resource[top.schema] as Obj | undefined)?.[top.def.name] : out.resource[top.def.name];
    if (v === undefined || v === "") throw invalidValue(`${top.key} is required`);
  }
  return out;
}
