// The resource types Roster serves and how attribute paths resolve against them.
import { findAttribute, type AttributeDef } from "./attributes.ts";
import { commonAttributes } from "./common.schema.ts";
import { GROUP_SCHEMA, groupAttributes } from "./group.schema.ts";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, enterpriseUserAttributes, userAttributes } from "./user.schema.ts";

export * from "./attributes.ts";
export { commonAttributes } from "./common.schema.ts";
export { GROUP_SCHEMA, groupAttributes } from "./group.schema.ts";
export { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, enterpriseUserAttributes, userAttributes } from "./user.schema.ts";

export type ResourceTypeName = "User" | "Group";

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  name: ResourceTypeName;
  endpoint: string;
  description: string;
  schema: SchemaDef;
  extensions: { schema: SchemaDef; required: boolean }[];
}

export const schemas: Record<string, SchemaDef> = {
  [USER_SCHEMA]: { id: USER_SCHEMA, name: "User", description: "User Account", attributes: userAttributes },
  [ENTERPRISE_USER_SCHEMA]: { id: ENTERPRISE_USER_SCHEMA, name: "EnterpriseUser", description: "Enterprise User", attributes: enterpriseUserAttributes },
  [GROUP_SCHEMA]: { id: GROUP_SCHEMA, name: "Group", description: "Group", attributes: groupAttributes },
};

export const resourceTypes: Record<ResourceTypeName, ResourceTypeDef> = {
  User: {
    name: "User",
    endpoint: "/Users",
    description: "User Account",
    schema: schemas[USER_SCHEMA]!,
    extensions: [{ schema: schemas[ENTERPRISE_USER_SCHEMA]!, required: false }],
  },
  Group: { name: "Group", endpoint: "/Groups", description: "Group", schema: schemas[GROUP_SCHEMA]!, extensions: [] },
};

/** A resolved attribute path: `emails.value`, `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`. */
export interface ResolvedPath {
  /** The schema URN the top-level attribute belongs to. */
  schema: string;
  /** The top-level attribute, with its canonical name. */
  attribute: AttributeDef;
  /** The sub-attribute, when the path names one. */
  sub?: AttributeDef;
  /** True for id, externalId and meta (RFC 7643 §3.1), which live outside any schema. */
  common: boolean;
  /** True when the attribute belongs to an extension schema (stored under its URN). */
  extension: boolean;
}

/**
 * Resolves an attribute path against a resource type (RFC 7644 §3.10): names are
 * case-insensitive; a schema URN prefix is allowed (`urn:…:User:userName`). Returns
 * undefined for an unknown attribute.
 */
export function resolvePath(resourceType: ResourceTypeName, path: string): ResolvedPath | undefined {
  const rt = resourceTypes[resourceType];
  let schemaId: string | undefined;
  let rest = path;
  const all = [rt.schema, ...rt.extensions.map((e) => e.schema)];
  // Longest URN first: the enterprise URN starts with the core one's prefix characters.
  for (const s of [...all].sort((a, b) => b.id.length - a.id.length)) {
    if (path.toLowerCase().startsWith(s.id.toLowerCase() + ":")) {
      schemaId = s.id;
      rest = path.slice(s.id.length + 1);
      break;
    }
    if (path.toLowerCase() === s.id.toLowerCase()) return undefined;
  }
  const [top, sub, ...more] = rest.split(".");
  if (!top || more.length) return undefined;
  const candidates: { schema: SchemaDef | undefined; attrs: AttributeDef[]; common: boolean }[] = schemaId
    ? [{ schema: all.find((s) => s.id === schemaId), attrs: all.find((s) => s.id === schemaId)!.attributes, common: false }]
    : [
        { schema: undefined, attrs: commonAttributes, common: true },
        { schema: rt.schema, attrs: rt.schema.attributes, common: false },
      ];
  // An unqualified name may also be a common attribute when URN-qualified with the core URN.
  if (schemaId === rt.schema.id) candidates.push({ schema: undefined, attrs: commonAttributes, common: true });
  for (const cand of candidates) {
    const attribute = findAttribute(cand.attrs, top);
    if (!attribute) continue;
    let subDef: AttributeDef | undefined;
    if (sub !== undefined) {
      subDef = attribute.subAttributes ? findAttribute(attribute.subAttributes, sub) : undefined;
      if (!subDef) return undefined;
    }
    const schema = cand.common ? rt.schema.id : cand.schema!.id;
    return { schema, attribute, sub: subDef, common: cand.common, extension: schema !== rt.schema.id };
  }
  return undefined;
}

/** Keys that must never be used as attribute names (prototype pollution). */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
