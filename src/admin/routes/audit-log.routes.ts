import { createRoute, z } from "@hono/zod-openapi";
import type { AuditService } from "../../modules/audit/audit.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonResponse } from "../openapi.ts";
import { PageQuerySchema, TenantIdParamSchema } from "../schemas.ts";

const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: "42" }),
    tenantId: z.string(),
    actor: z.record(z.string(), z.unknown()).openapi({ example: { type: "admin", credentialId: "0193a5b3-1111-7abc-8def-0123456789ab", name: "environment" } }),
    action: z.string().openapi({ example: "session.revoked" }),
    targetType: z.string().nullable().openapi({ example: "Session" }),
    targetId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ example: { reason: "admin" } }),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

const route = createRoute({
  method: "get", path: "/tenants/{tenantId}/audit-log", tags: ["Audit log"], security: ADMIN_SECURITY,
  summary: "Read the tenant's audit log, oldest first, with an id cursor",
  request: { params: TenantIdParamSchema, query: PageQuerySchema },
  responses: {
    200: jsonResponse(z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi("AuditPage"), "A page of entries; pass nextCursor as `after`"),
    ...errorResponses,
  },
});

export function auditLogRoutes(deps: { audit: AuditService; tenants: TenantsService }) {
  return createOpenApiApp().openapi(route, async (c) => {
    const { tenantId } = c.req.valid("param");
    await deps.tenants.get(tenantId);
    return c.json(await deps.audit.list(tenantId, c.req.valid("query")), 200);
  });
}
