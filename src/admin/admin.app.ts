// /admin/v1: the vendor-facing management API. Every route is an OpenAPI route validated
// by the zod schemas it is documented with.
import type { Container } from "../container.ts";
import { adminAuth } from "../http/admin-auth.ts";
import { createOpenApiApp } from "./openapi.ts";
import { scimTokensRoutes } from "./routes/scim-tokens.routes.ts";
import { tenantsRoutes } from "./routes/tenants.routes.ts";
import { auditLogRoutes } from "./routes/audit-log.routes.ts";
import { roleMappingsRoutes } from "./routes/role-mappings.routes.ts";
import { rolesRoutes } from "./routes/roles.routes.ts";
import { adminSessionsRoutes } from "./routes/sessions.routes.ts";
import { signingKeysRoutes } from "./routes/signing-keys.routes.ts";
import { userRolesRoutes } from "./routes/user-roles.routes.ts";
import { syncRoutes } from "./routes/sync.routes.ts";
import { webhooksRoutes } from "./routes/webhooks.routes.ts";

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
  app.route("/", scimTokensRoutes({ tokens: services.scimTokens, tenants: services.tenants, audit: services.audit }));
  app.route("/", rolesRoutes({ roles: services.roles, tenants: services.tenants }));
  app.route("/", userRolesRoutes(services.roles));
  app.route("/", roleMappingsRoutes({ roles: services.roles, tenants: services.tenants }));
  app.route("/", adminSessionsRoutes({ sessions: services.sessions, tenants: services.tenants }));
  app.route("/", signingKeysRoutes(services.signingKeys));
  app.route("/", auditLogRoutes({ audit: services.audit, tenants: services.tenants }));
  app.route("/", webhooksRoutes({ webhooks: services.webhooks, tenants: services.tenants }));
  app.route("/", syncRoutes({ events: services.eventsFeed, receipts: services.receipts, metrics: services.syncMetrics, tenants: services.tenants }));
  return app;
}
