// Token-guarded routes of the signed-in user: who am I, log out here, log out everywhere.
import { createRoute, z } from "@hono/zod-openapi";
import { forbidden } from "../../errors.ts";
import type { SessionsService } from "../../modules/sessions/sessions.service.ts";
import type { AuthEnv } from "../auth-env.ts";
import { ACCESS_SECURITY, authErrors, createAuthOpenApiApp } from "../openapi.ts";
import { ClaimsSchema } from "../schemas.ts";
import type { MiddlewareHandler } from "hono";

const tags = ["Sessions"];

const me = createRoute({
  method: "get", path: "/me", tags, security: ACCESS_SECURITY,
  summary: "The claims of the presented access token (refused once its session is revoked)",
  responses: { 200: { content: { "application/json": { schema: ClaimsSchema } }, description: "Verified claims" }, 401: authErrors[401] },
});

const logout = createRoute({
  method: "post", path: "/logout", tags, security: ACCESS_SECURITY,
  summary: "End this session: its access and refresh tokens stop working at once",
  responses: { 204: { description: "Logged out" }, 401: authErrors[401] },
});

const logoutAll = createRoute({
  method: "post", path: "/logout-all", tags, security: ACCESS_SECURITY,
  summary: "End every session of the user",
  responses: {
    200: { content: { "application/json": { schema: z.object({ sessions: z.number().int(), refreshTokens: z.number().int() }).openapi("RevokedCounts") } }, description: "How many sessions and refresh tokens were revoked" },
    401: authErrors[401], 403: authErrors[403],
  },
});

export function sessionRoutes(deps: { sessions: SessionsService; guard: MiddlewareHandler<AuthEnv> }) {
  const { sessions, guard } = deps;
  const app = createAuthOpenApiApp();
  app.use("/me", guard);
  app.use("/logout", guard);
  app.use("/logout-all", guard);
  return app
    .openapi(me, (c) => c.json(c.get("auth"), 200))
    .openapi(logout, async (c) => {
      const auth = c.get("auth");
      await sessions.revokeSession(auth.tid, auth.sid, "logout", { type: "user", userId: auth.sub, sessionId: auth.sid, impersonatorId: auth.act?.sub });
      return c.body(null, 204);
    })
    .openapi(logoutAll, async (c) => {
      const auth = c.get("auth");
      // Acting as someone is not a licence to end their other sessions.
      if (auth.act) throw forbidden("An impersonation session cannot log the user out everywhere");
      return c.json(await sessions.revokeUserSessions(auth.tid, auth.sub, "logout_all", { type: "user", userId: auth.sub, sessionId: auth.sid }), 200);
    });
}
