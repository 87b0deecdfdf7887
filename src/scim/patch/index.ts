// Public API of the SCIM PATCH engine and the POST/PUT body validator. Pure: no I/O, no
// Prisma, never mutates its inputs. See README.md beside this file for the decisions.
import type { ResourceTypeName } from "../schemas/index.ts";
import { applyPatchWith, type PatchResult } from "./patch.ts";
import { schemaFor } from "./schema.ts";

export { MAX_OPERATIONS, PATCH_OP_SCHEMA, applyPatchWith, type MemberChanges, type PatchResult } from "./patch.ts";
export { normalizeResource, normalizeWith, type NormalizedResource } from "./normalize.ts";
export { schemaFor, type ResourceSchema, type TopAttribute } from "./schema.ts";

/**
 * Applies a SCIM PatchOp body (RFC 7644 §3.5.2) to the document of one resource.
 * `current` holds canonical attribute names, extension attributes under their URN key, no
 * `members` (groups), no `meta`, no `groups` (users); include `id` so a pathless value that
 * repeats it (Okta) is checked. Throws AppError 400 with a scimType; all or nothing.
 */
export function applyPatch(resourceType: ResourceTypeName, current: Record<string, unknown>, body: unknown): PatchResult {
  return applyPatchWith(schemaFor(resourceType), current, body);
}
