// Admin-started sessions (the way in until SSO exists), listing and revocation.
import { createRoute, z } from "@hono/zod-openapi";
import { adminActor } from "../../auth/actors.ts";
import { SessionSchema, TokenResponseSchema } from "../../auth/schemas.ts";
import type { SessionsService } from "../../modules/sessions/sessions.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, ErrorSchema, jsonBody, jsonResponse } from "../openapi.ts";
import { TenantIdParamSchema } from "../schemas.ts";
import { SessionParamsSchema, UserParamsSchema } from "./rbac.schemas.ts";

const tags = ["Sessions"];

const StartSessionSchema = z
  .object({
    userId: z.string().min(1).max(64).openapi({ example: "0193a5b9-3333-7abc-8def-0123456789ab" }),
    amr: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).min(1).max(8).optional().openapi({ description: "RFC 8176 methods; default [\"ext\"]", example: ["pwd", "mfa"] }),
  })
  .strict()
  .openapi("StartSession");

const RevokedCountsSchema = z.object({ sessions: z.number().int(), refreshTokens: z.number().int() });

const start = createRoute({
  method: "post", path: "/tenants/{tenantId}/sessions", tags, security: ADMIN_SECURITY,
  summary: "Start a session for a tenant user and return its tokens",
  request: { params: TenantIdParamSchema, body: jsonBody(StartSessionSchema) },
  responses: { 201: jsonResponse(TokenResponseSchema, "Access and refresh token (shown once)"), ...errorResponses, 403: jsonResponse(ErrorSchema, "The user is not active") },
});
const list = createRoute({
  method: "get", path: "/tenants/{tenantId}/users/{userId}/sessions", tags, security: ADMIN_SECURITY, summary: "List a user's sessions (newest 200)",
  request: { params: UserParamsSchema },
  responses: { 200: jsonResponse(z.object({ data: z.array(SessionSchema) }), "Sessions, newest first"), ...errorResponses },
});
const revokeOne = createRoute({
  method: "delete", path: "/tenants/{tenantId}/sessions/{sessionId}", tags, security: ADMIN_SECURITY,
  summary: "Revoke a session (its access tokens are refused at once)",
  request: { params: SessionParamsSchema },
  responses: { 200: jsonResponse(SessionSchema, "The revoked session"), ...errorResponses },
});
const revokeAll = createRoute({
  method: "post", path: "/tenants/{tenantId}/users/{userId}/sessions/revoke", tags, security: ADMIN_SECURITY,
  summary: "Revoke every session of a user",
  request: { params: UserParamsSchema },
  responses: { 200: jsonResponse(RevokedCountsSchema, "What this call revoked (idempotent)"), ...errorResponses },
});

export function adminSessionsRoutes(deps: { sessions: SessionsService; tenants: TenantsService }) {
  const { sessions, tenants } = deps;
  return createOpenApiApp()
    .openapi(start, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      const body = c.req.valid("json");
      const tokens = await sessions.start(tenantId, body.userId, { amr: body.amr, actor: adminActor(c) });
      return c.json(tokens, 201, { "Cache-Control": "no-store" });
    })
    .openapi(list, async (c) => {
      const { tenantId, userId } = c.req.valid("param");
      return c.json({ data: await sessions.list(tenantId, userId) }, 200);
    })
    .openapi(revokeOne, async (c) => {
      const { tenantId, sessionId } = c.req.valid("param");
      return c.json(await sessions.revokeSession(tenantId, sessionId, "admin", adminActor(c)), 200);
    })
    .openapi(revokeAll, async (c) => {
      const { tenantId, userId } = c.req.valid("param");
      await sessions.list(tenantId, userId); // 404 for an unknown user or another tenant's
      return c.json(await sessions.revokeUserSessions(tenantId, userId, "admin", adminActor(c)), 200);
    });
}
