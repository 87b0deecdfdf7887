import { createRoute } from "@hono/zod-openapi";
import { adminActor } from "../../auth/actors.ts";
import type { RolesService } from "../../modules/roles/roles.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonResponse } from "../openapi.ts";
import { EffectiveRolesSchema, UserParamsSchema, UserRoleParamsSchema } from "./rbac.schemas.ts";

const tags = ["Roles"];

const effective = createRoute({
  method: "get", path: "/tenants/{tenantId}/users/{userId}/roles", tags, security: ADMIN_SECURITY,
  summary: "The user's effective roles and where each comes from (direct or a group)",
  request: { params: UserParamsSchema },
  responses: { 200: jsonResponse(EffectiveRolesSchema, "Effective roles"), ...errorResponses },
});
const assign = createRoute({
  method: "put", path: "/tenants/{tenantId}/users/{userId}/roles/{roleId}", tags, security: ADMIN_SECURITY,
  summary: "Assign a role to the user directly (idempotent)",
  request: { params: UserRoleParamsSchema },
  responses: { 200: jsonResponse(EffectiveRolesSchema, "The user's effective roles after the change"), ...errorResponses },
});
const unassign = createRoute({
  method: "delete", path: "/tenants/{tenantId}/users/{userId}/roles/{roleId}", tags, security: ADMIN_SECURITY,
  summary: "Remove a direct role assignment (roles from groups stay)",
  request: { params: UserRoleParamsSchema },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export function userRolesRoutes(roles: RolesService) {
  return createOpenApiApp()
    .openapi(effective, async (c) => {
      const { tenantId, userId } = c.req.valid("param");
      return c.json(await roles.effective(tenantId, userId), 200);
    })
    .openapi(assign, async (c) => {
      const { tenantId, userId, roleId } = c.req.valid("param");
      return c.json(await roles.assign(tenantId, userId, roleId, adminActor(c)), 200);
    })
    .openapi(unassign, async (c) => {
      const { tenantId, userId, roleId } = c.req.valid("param");
      await roles.unassign(tenantId, userId, roleId, adminActor(c));
      return c.body(null, 204);
    });
}
