// /auth/v1: tokens, sessions, introspection, impersonation. An OpenAPIHono sub-app, so its
// routes appear in /admin/v1/openapi.json.
import type { Container } from "../container.ts";
import { createAuthOpenApiApp } from "./openapi.ts";
import { impersonateRoutes } from "./routes/impersonate.routes.ts";
import { introspectRoutes } from "./routes/introspect.routes.ts";
import { sessionRoutes } from "./routes/session.routes.ts";
import { tokenRoutes } from "./routes/token.routes.ts";
import { requireAccessToken } from "./token-auth.ts";

export const AUTH_BASE = "/auth/v1";

export function createAuthApp(container: Container) {
  const { services } = container;
  const app = createAuthOpenApiApp();
  app.openAPIRegistry.registerComponent("securitySchemes", "accessToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Roster access token of a tenant user (RFC 9068 JWT).",
  });
  const guard = requireAccessToken({ sessions: services.sessions, audit: services.audit });
  app.route("/", tokenRoutes(services.sessions));
  app.route("/", introspectRoutes({ sessions: services.sessions, credentials: services.adminCredentials }));
  app.route("/", sessionRoutes({ sessions: services.sessions, guard }));
  app.route("/", impersonateRoutes({ impersonation: services.impersonation, guard }));
  return app;
}
