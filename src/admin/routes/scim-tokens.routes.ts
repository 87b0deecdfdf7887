import { createRoute, z } from "@hono/zod-openapi";
import { adminActor } from "../../auth/actors.ts";
import type { AuditService } from "../../modules/audit/audit.service.ts";
import type { ScimTokensService } from "../../modules/scim-tokens/scim-tokens.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonBody, jsonResponse } from "../openapi.ts";
import { CreatedScimTokenSchema, CreateScimTokenSchema, ScimTokenSchema, TenantIdParamSchema } from "../schemas.ts";

const tags = ["SCIM tokens"];
const TokenParamsSchema = TenantIdParamSchema.extend({
  tokenId: z.string().min(1).max(64).openapi({ param: { name: "tokenId", in: "path" } }),
});

const createToken = createRoute({
  method: "post", path: "/tenants/{tenantId}/scim-tokens", tags, security: ADMIN_SECURITY,
  summary: "Issue a SCIM bearer token for the tenant's IdP",
  description: "The secret is returned once. Several tokens may be live at once, so a customer can rotate without downtime.",
  request: { params: TenantIdParamSchema, body: jsonBody(CreateScimTokenSchema) },
  responses: { 201: jsonResponse(CreatedScimTokenSchema, "The token and its secret (shown once)"), ...errorResponses },
});

const listTokens = createRoute({
  method: "get", path: "/tenants/{tenantId}/scim-tokens", tags, security: ADMIN_SECURITY, summary: "List the tenant's SCIM tokens",
  request: { params: TenantIdParamSchema },
  responses: { 200: jsonResponse(z.object({ data: z.array(ScimTokenSchema) }), "Tokens, newest first"), 401: errorResponses[401], 404: errorResponses[404] },
});

const revokeToken = createRoute({
  method: "delete", path: "/tenants/{tenantId}/scim-tokens/{tokenId}", tags, security: ADMIN_SECURITY,
  summary: "Revoke a SCIM token (effective immediately)",
  request: { params: TokenParamsSchema },
  responses: { 200: jsonResponse(ScimTokenSchema, "The revoked token"), 401: errorResponses[401], 404: errorResponses[404] },
});

export function scimTokensRoutes(deps: { tokens: ScimTokensService; tenants: TenantsService; audit: AuditService }) {
  const { tokens, tenants, audit } = deps;
  return createOpenApiApp()
    .openapi(createToken, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      const body = c.req.valid("json");
      const created = await tokens.create(tenantId, { name: body.name, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
      // The audit entry names the token, never its secret.
      await audit.record({ tenantId, actor: adminActor(c), action: "scim_token.issued", targetType: "ScimToken", targetId: created.record.id, data: { name: body.name } });
      c.header("Cache-Control", "no-store");
      return c.json(created, 201);
    })
    .openapi(listTokens, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json({ data: await tokens.list(tenantId) }, 200);
    })
    .openapi(revokeToken, async (c) => {
      const { tenantId, tokenId } = c.req.valid("param");
      const revoked = await tokens.revoke(tenantId, tokenId);
      await audit.record({ tenantId, actor: adminActor(c), action: "scim_token.revoked", targetType: "ScimToken", targetId: tokenId, data: { name: revoked.name } });
      return c.json(revoked, 200);
    });
}
