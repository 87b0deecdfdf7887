// POST /auth/v1/impersonate: a user with the `impersonate` permission starts a short,
// non-refreshable session as another user of the same tenant (tokens carry RFC 8693 `act`).
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ImpersonationService } from "../../modules/sessions/impersonation.service.ts";
import { IMPERSONATE } from "../../modules/sessions/impersonation.service.ts";
import type { AuthEnv } from "../auth-env.ts";
import { ACCESS_SECURITY, authErrors, createAuthOpenApiApp } from "../openapi.ts";
import { TokenResponseSchema } from "../schemas.ts";
import { requirePermission } from "../token-auth.ts";

const ImpersonateSchema = z
  .object({
    userId: z.string().min(1).max(64).openapi({ example: "0193a5b9-3333-7abc-8def-0123456789ab" }),
    reason: z.string().trim().min(3).max(500).openapi({ example: "Support ticket #4711: reproduce the billing page error" }),
  })
  .strict()
  .openapi("ImpersonateRequest");

const route = createRoute({
  method: "post", path: "/impersonate", tags: ["Impersonation"], security: ACCESS_SECURITY,
  summary: "Act as another user of your tenant",
  description: "Requires `impersonate`; impersonating a user who has `impersonate` also requires `impersonate:admins`. The session lasts at most IMPERSONATION_TTL_SECONDS, has no refresh token, and every request made with it is audited.",
  request: { body: { content: { "application/json": { schema: ImpersonateSchema } }, required: true } },
  responses: { 201: { content: { "application/json": { schema: TokenResponseSchema } }, description: "Tokens of the impersonation session" }, ...authErrors },
});

export function impersonateRoutes(deps: { impersonation: ImpersonationService; guard: MiddlewareHandler<AuthEnv> }) {
  const app = createAuthOpenApiApp();
  app.use("/impersonate", deps.guard, requirePermission(IMPERSONATE));
  return app.openapi(route, async (c) => {
    const { userId, reason } = c.req.valid("json");
    return c.json(await deps.impersonation.start(c.get("auth"), userId, reason), 201, { "Cache-Control": "no-store" });
  });
}
