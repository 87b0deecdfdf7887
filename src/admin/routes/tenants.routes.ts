import { createRoute, z } from "@hono/zod-openapi";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonBody, jsonResponse } from "../openapi.ts";
import { CreateTenantSchema, PageQuerySchema, TenantIdParamSchema, TenantSchema, UpdateTenantSchema } from "../schemas.ts";

const tags = ["Tenants"];

const createTenant = createRoute({
  method: "post", path: "/tenants", tags, security: ADMIN_SECURITY, summary: "Create a tenant",
  request: { body: jsonBody(CreateTenantSchema) },
  responses: { 201: jsonResponse(TenantSchema, "The new tenant"), 400: errorResponses[400], 401: errorResponses[401] },
});

const listTenants = createRoute({
  method: "get", path: "/tenants", tags, security: ADMIN_SECURITY, summary: "List tenants",
  request: { query: PageQuerySchema },
  responses: {
    200: jsonResponse(z.object({ data: z.array(TenantSchema), nextCursor: z.string().nullable() }).openapi("TenantPage"), "A page of tenants"),
    400: errorResponses[400], 401: errorResponses[401],
  },
});

const getTenant = createRoute({
  method: "get", path: "/tenants/{tenantId}", tags, security: ADMIN_SECURITY, summary: "Get a tenant",
  request: { params: TenantIdParamSchema },
  responses: { 200: jsonResponse(TenantSchema, "The tenant"), 401: errorResponses[401], 404: errorResponses[404] },
});

const updateTenant = createRoute({
  method: "patch", path: "/tenants/{tenantId}", tags, security: ADMIN_SECURITY, summary: "Update a tenant's name or settings",
  request: { params: TenantIdParamSchema, body: jsonBody(UpdateTenantSchema) },
  responses: { 200: jsonResponse(TenantSchema, "The updated tenant"), ...errorResponses },
});

const deleteTenant = createRoute({
  method: "delete", path: "/tenants/{tenantId}", tags, security: ADMIN_SECURITY,
  summary: "Delete a tenant and all of its data (users, groups, tokens, sessions, events)",
  request: { params: TenantIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: errorResponses[401], 404: errorResponses[404] },
});

export function tenantsRoutes(tenants: TenantsService) {
  return createOpenApiApp()
    .openapi(createTenant, async (c) => c.json(await tenants.create(c.req.valid("json")), 201))
    .openapi(listTenants, async (c) => c.json(await tenants.list(c.req.valid("query")), 200))
    .openapi(getTenant, async (c) => c.json(await tenants.get(c.req.valid("param").tenantId), 200))
    .openapi(updateTenant, async (c) => c.json(await tenants.update(c.req.valid("param").tenantId, c.req.valid("json")), 200))
    .openapi(deleteTenant, async (c) => {
      await tenants.remove(c.req.valid("param").tenantId);
      return c.body(null, 204);
    });
}
