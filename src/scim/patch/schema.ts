// The view of a resource type the PATCH engine and the validator work against. Production
// builds it from src/scim/schemas (resolvePath, resourceTypes); tests may build a synthetic
// one (e.g. with an immutable attribute, which Roster's own schemas do not have).
import {
  commonAttributes,
  resolvePath,
  resourceTypes,
  type AttributeDef,
  type ResolvedPath,
  type ResourceTypeName,
} from "../schemas/index.ts";

/** A top-level attribute and where it lives in the resource document. */
export interface TopAttribute {
  def: AttributeDef;
  /** Schema URN the attribute belongs to. */
  schema: string;
  /** Stored under `doc[schema]` (extension) rather than at the top level. */
  extension: boolean;
  /** The name reported in `changed`: `department` → `urn:…:enterprise:2.0:User:department`. */
  key: string;
}

export interface ResourceSchema {
  resourceType: ResourceTypeName;
  coreSchema: string;
  extensionSchemas: string[];
  /** Every top-level attribute: common (id, externalId, meta), core, extensions. */
  attributes: TopAttribute[];
  /** RFC 7644 §3.10 path resolution (case-insensitive, optional URN prefix, one sub level). */
  resolve(path: string): ResolvedPath | undefined;
  /** Group `members`: handled as MemberChanges, never as stored data. */
  membersAttribute?: string;
  /** User `password`: write-only, handed back separately, never stored in the document. */
  passwordAttribute?: string;
}

export function topOf(r: { attribute: AttributeDef; schema: string; extension: boolean }): TopAttribute {
  return {
    def: r.attribute,
    schema: r.schema,
    extension: r.extension,
    key: r.extension ? `${r.schema}:${r.attribute.name}` : r.attribute.name,
  };
}

const cache = new Map<ResourceTypeName, ResourceSchema>();

export function schemaFor(resourceType: ResourceTypeName): ResourceSchema {
  const hit = cache.get(resourceType);
  if (hit) return hit;
  const rt = resourceTypes[resourceType];
  if (!rt) throw new Error(`unknown resource type ${String(resourceType)}`);
  const core = rt.schema.id;
  const attributes: TopAttribute[] = [
    ...commonAttributes.map((a) => topOf({ attribute: a, schema: core, extension: false })),
    ...rt.schema.attributes.map((a) => topOf({ attribute: a, schema: core, extension: false })),
    ...rt.extensions.flatMap((e) => e.schema.attributes.map((a) => topOf({ attribute: a, schema: e.schema.id, extension: true }))),
  ];
  const schema: ResourceSchema = {
    resourceType,
    coreSchema: core,
    extensionSchemas: rt.extensions.map((e) => e.schema.id),
    attributes,
    resolve: (path) => resolvePath(resourceType, path),
    membersAttribute: resourceType === "Group" ? "members" : undefined,
    passwordAttribute: resourceType === "User" ? "password" : undefined,
  };
  cache.set(resourceType, schema);
  return schema;
}

/** The schema URN (core or extension) a string names exactly, case-insensitively. */
export function schemaUrnOf(schema: ResourceSchema, s: string): string | undefined {
  const l = s.toLowerCase();
  return [schema.coreSchema, ...schema.extensionSchemas].find((u) => u.toLowerCase() === l);
}
