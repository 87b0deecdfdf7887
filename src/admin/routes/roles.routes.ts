import { createRoute, z } from "@hono/zod-openapi";
import { adminActor } from "../../auth/actors.ts";
import type { RolesService } from "../../modules/roles/roles.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, ErrorSchema, jsonBody, jsonResponse } from "../openapi.ts";
import { TenantIdParamSchema } from "../schemas.ts";
import { CreateRoleSchema, RoleParamsSchema, RoleSchema, UpdateRoleSchema } from "./rbac.schemas.ts";

const tags = ["Roles"];
const conflict = { 409: jsonResponse(ErrorSchema, "A role with this name exists") };

const createRole = createRoute({
  method: "post", path: "/tenants/{tenantId}/roles", tags, security: ADMIN_SECURITY, summary: "Create a role with permissions",
  request: { params: TenantIdParamSchema, body: jsonBody(CreateRoleSchema) },
  responses: { 201: jsonResponse(RoleSchema, "The new role"), ...errorResponses, ...conflict },
});
const listRoles = createRoute({
  method: "get", path: "/tenants/{tenantId}/roles", tags, security: ADMIN_SECURITY, summary: "List the tenant's roles",
  request: { params: TenantIdParamSchema },
  responses: { 200: jsonResponse(z.object({ data: z.array(RoleSchema) }), "Roles by name"), ...errorResponses },
});
const getRole = createRoute({
  method: "get", path: "/tenants/{tenantId}/roles/{roleId}", tags, security: ADMIN_SECURITY, summary: "Get a role",
  request: { params: RoleParamsSchema },
  responses: { 200: jsonResponse(RoleSchema, "The role"), ...errorResponses },
});
const updateRole = createRoute({
  method: "patch", path: "/tenants/{tenantId}/roles/{roleId}", tags, security: ADMIN_SECURITY,
  summary: "Rename a role or change its permissions (new tokens carry the change)",
  request: { params: RoleParamsSchema, body: jsonBody(UpdateRoleSchema) },
  responses: { 200: jsonResponse(RoleSchema, "The updated role"), ...errorResponses, ...conflict },
});
const deleteRole = createRoute({
  method: "delete", path: "/tenants/{tenantId}/roles/{roleId}", tags, security: ADMIN_SECURITY,
  summary: "Delete a role with its assignments and mappings",
  request: { params: RoleParamsSchema },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

export function rolesRoutes(deps: { roles: RolesService; tenants: TenantsService }) {
  const { roles, tenants } = deps;
  return createOpenApiApp()
    .openapi(createRole, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json(await roles.create(tenantId, c.req.valid("json"), adminActor(c)), 201);
    })
    .openapi(listRoles, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json({ data: await roles.list(tenantId) }, 200);
    })
    .openapi(getRole, async (c) => {
      const { tenantId, roleId } = c.req.valid("param");
      return c.json(await roles.get(tenantId, roleId), 200);
    })
    .openapi(updateRole, async (c) => {
      const { tenantId, roleId } = c.req.valid("param");
      return c.json(await roles.update(tenantId, roleId, c.req.valid("json"), adminActor(c)), 200);
    })
    .openapi(deleteRole, async (c) => {
      const { tenantId, roleId } = c.req.valid("param");
      await roles.remove(tenantId, roleId, adminActor(c));
      return c.body(null, 204);
    });
}
