import { createRoute, z } from "@hono/zod-openapi";
import { adminActor } from "../../auth/actors.ts";
import type { RolesService } from "../../modules/roles/roles.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, ErrorSchema, jsonBody, jsonResponse } from "../openapi.ts";
import { TenantIdParamSchema } from "../schemas.ts";
import { CreateRoleMappingSchema, MappingParamsSchema, RoleMappingSchema } from "./rbac.schemas.ts";

const tags = ["Roles"];

const createMapping = createRoute({
  method: "post", path: "/tenants/{tenantId}/role-mappings", tags, security: ADMIN_SECURITY,
  summary: "Grant a role to the members of an IdP group (by id or displayName)",
  description:
    "Creates the mapping at once; members' effective roles update asynchronously. The mapping and a `role_mapping.created` " +
    "event commit together, and the background worker then recomputes the group's members in batches of 1,000 and emits " +
    "`user.roles_changed` (webhooks and the event feed) for each user whose roles changed. Tokens issued after that carry the role; " +
    "until then a member's tokens may lack it (seconds for a large group).",
  request: { params: TenantIdParamSchema, body: jsonBody(CreateRoleMappingSchema) },
  responses: { 201: jsonResponse(RoleMappingSchema, "The mapping (members' roles follow asynchronously)"), ...errorResponses, 409: jsonResponse(ErrorSchema, "The same mapping exists") },
});
const listMappings = createRoute({
  method: "get", path: "/tenants/{tenantId}/role-mappings", tags, security: ADMIN_SECURITY, summary: "List group→role mappings",
  request: { params: TenantIdParamSchema, query: z.object({ roleId: z.string().max(64).optional().openapi({ description: "Only this role's mappings" }) }) },
  responses: { 200: jsonResponse(z.object({ data: z.array(RoleMappingSchema) }), "Mappings"), ...errorResponses },
});
const deleteMapping = createRoute({
  method: "delete", path: "/tenants/{tenantId}/role-mappings/{mappingId}", tags, security: ADMIN_SECURITY,
  summary: "Remove a mapping (members lose the role unless they hold it otherwise)",
  description:
    "Deletes the mapping at once; members' effective roles update asynchronously, like creation: a `role_mapping.deleted` event " +
    "commits with the delete and the background worker recomputes the affected users in batches, emitting `user.roles_changed`.",
  request: { params: MappingParamsSchema },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export function roleMappingsRoutes(deps: { roles: RolesService; tenants: TenantsService }) {
  const { roles, tenants } = deps;
  return createOpenApiApp()
    .openapi(createMapping, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json(await roles.createMapping(tenantId, c.req.valid("json"), adminActor(c)), 201);
    })
    .openapi(listMappings, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json({ data: await roles.listMappings(tenantId, c.req.valid("query").roleId) }, 200);
    })
    .openapi(deleteMapping, async (c) => {
      const { tenantId, mappingId } = c.req.valid("param");
      await roles.removeMapping(tenantId, mappingId, adminActor(c));
      return c.body(null, 204);
    });
}
