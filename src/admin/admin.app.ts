// /admin/v1: the vendor-facing management API. Every route is an OpenAPI route validated
// by the zod schemas it is documented with.
import type { Container } from "../container.ts";
import { adminAuth } from "../http/admin-auth.ts";
import { createOpenApiApp } from "./openapi.ts";
import { scimTokensRoutes } from "./routes/scim-tokens.routes.ts";
import { tenantsRoutes } from "./routes/tenants.routes.ts";

export const ADMIN_BASE = "/admin/v1";
export const PUBLIC_ADMIN_PATHS = new Set([`${ADMIN_BASE}/openapi.json`, `${ADMIN_BASE}/reference`]);

export function createAdminApp(container: Container) {
  const { services } = container;
  const app = createOpenApiApp();
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "A vendor-admin token (ROSTER_ADMIN_TOKEN, or the one printed on first start).",
  });
  app.use("*", adminAuth(services.adminCredentials, PUBLIC_ADMIN_PATHS));
  app.route("/", tenantsRoutes(services.tenants));
  app.route("/", scimTokensRoutes({ tokens: services.scimTokens, tenants: services.tenants }));
  return app;
}
