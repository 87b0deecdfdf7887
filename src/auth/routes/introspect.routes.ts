// POST /auth/v1/introspect (RFC 7662): how a downstream app checks that an access token is
// still live (not revoked, not expired, user still active). Authenticated with a vendor
// admin token (RFC 7662 §2.1 requires the caller to be authorised; apps run by the vendor hold one).
import { createRoute, z } from "@hono/zod-openapi";
import { ErrorSchema } from "../../admin/openapi.ts";
import { adminAuth } from "../../http/admin-auth.ts";
import type { AdminCredentialsService } from "../../modules/admin-credentials/admin-credentials.service.ts";
import type { SessionsService } from "../../modules/sessions/sessions.service.ts";
import { createAuthOpenApiApp } from "../openapi.ts";
import { IntrospectionSchema } from "../schemas.ts";

const IntrospectRequestSchema = z
  .object({
    token: z.string().min(1).max(8192).openapi({ example: "eyJhbGciOiJFUzI1NiIs..." }),
    token_type_hint: z.string().max(64).optional().openapi({ example: "access_token" }),
  })
  .openapi("IntrospectionRequest");

const route = createRoute({
  method: "post", path: "/introspect", tags: ["Tokens"], security: [{ adminToken: [] }],
  summary: "Is this access token live? (RFC 7662)",
  description: "Answers `active:false` for expired, tampered, revoked (logout, deprovisioning) and deactivated-user tokens, `active:true` with the claims otherwise. Only access tokens are introspected.",
  request: {
    // Not `required`: each media type is then validated only when it is the one sent.
    body: {
      required: false,
      content: { "application/x-www-form-urlencoded": { schema: IntrospectRequestSchema }, "application/json": { schema: IntrospectRequestSchema } },
    },
  },
  responses: {
    200: { content: { "application/json": { schema: IntrospectionSchema } }, description: "RFC 7662 §2.2 introspection response" },
    400: { content: { "application/json": { schema: ErrorSchema } }, description: "No token given" },
    401: { content: { "application/json": { schema: ErrorSchema } }, description: "Missing or invalid admin token" },
  },
});

export function introspectRoutes(deps: { sessions: SessionsService; credentials: AdminCredentialsService }) {
  const app = createAuthOpenApiApp();
  app.use("/introspect", adminAuth(deps.credentials));
  return app.openapi(route, async (c) => {
    const json = (c.req.header("content-type") ?? "").includes("json");
    const body = (json ? c.req.valid("json") : c.req.valid("form")) as z.infer<typeof IntrospectRequestSchema> | undefined;
    if (!body?.token) return c.json({ active: false as const }, 200, { "Cache-Control": "no-store" });
    return c.json(await deps.sessions.introspect(body.token), 200, { "Cache-Control": "no-store" });
  });
}
