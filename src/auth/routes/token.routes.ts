// POST /auth/v1/token: the refresh_token grant (RFC 6749 §6) with rotation. Form-encoded as
// OAuth requires (§4.1.3 / §6), JSON accepted too; errors in the §5.2 format.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { GrantError, type SessionsService } from "../../modules/sessions/sessions.service.ts";
import { createAuthOpenApiApp } from "../openapi.ts";
import { OAuthErrorSchema, TokenResponseSchema } from "../schemas.ts";

const TokenRequestSchema = z
  .object({
    grant_type: z.string().openapi({ example: "refresh_token" }),
    refresh_token: z.string().max(256).optional().openapi({ example: "rrt_Xy12AbQ9v0m3kPq8sT2uV5wY7zA1bC4dE6fG8hJ0kL2" }),
  })
  .openapi("TokenRequest");

const route = createRoute({
  method: "post", path: "/token", tags: ["Tokens"],
  summary: "Exchange a refresh token for a new access and refresh token",
  description: "Refresh tokens are one-use. Presenting a used one revokes its whole family and the session (reuse detection).",
  request: {
    // Not `required`: each media type is then validated only when it is the one sent.
    body: {
      required: false,
      content: { "application/x-www-form-urlencoded": { schema: TokenRequestSchema }, "application/json": { schema: TokenRequestSchema } },
    },
  },
  responses: {
    200: { content: { "application/json": { schema: TokenResponseSchema } }, description: "RFC 6749 §5.1 token response" },
    400: { content: { "application/json": { schema: OAuthErrorSchema } }, description: "RFC 6749 §5.2 error (invalid_grant, invalid_request, unsupported_grant_type)" },
  },
});

// RFC 6749 §5.1: token responses must not be cached.
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function oauthError(c: Context, error: "invalid_request" | "invalid_grant" | "unsupported_grant_type", description: string) {
  return c.json({ error, error_description: description }, 400, NO_STORE);
}

export function tokenRoutes(sessions: SessionsService) {
  return createAuthOpenApiApp().openapi(
    route,
    async (c) => {
      const json = (c.req.header("content-type") ?? "").includes("json");
      const body = (json ? c.req.valid("json") : c.req.valid("form")) as z.infer<typeof TokenRequestSchema> | undefined;
      if (!body) return oauthError(c, "invalid_request", "Send application/x-www-form-urlencoded or JSON");
      if (body.grant_type !== "refresh_token") return oauthError(c, "unsupported_grant_type", "Only grant_type=refresh_token is supported");
      if (!body.refresh_token) return oauthError(c, "invalid_request", "refresh_token is required");
      try {
        return c.json(await sessions.refresh(body.refresh_token), 200, NO_STORE);
      } catch (e) {
        if (e instanceof GrantError) return oauthError(c, e.error, e.message);
        throw e;
      }
    },
    (result, c) => {
      if (!result.success) return oauthError(c, "invalid_request", "grant_type is required; send application/x-www-form-urlencoded or JSON");
    },
  );
}
