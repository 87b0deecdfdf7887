// /scim/v2: the IdP-facing SCIM 2.0 surface. Every route is tenant-scoped by the bearer token.
import { Hono } from "hono";
import type { Container } from "../container.ts";
import { scimAuth } from "../http/scim-auth.ts";
import type { AppEnv } from "../http/types.ts";
import { requireScimMediaType } from "./media.ts";
import { bulkRoutes } from "./routes/bulk.routes.ts";
import { discoveryRoutes } from "./routes/discovery.routes.ts";
import { resourceRoutes, type ResourceHandlers } from "./routes/resource.routes.ts";
import { rootSearchRoutes } from "./routes/search.routes.ts";

export const SCIM_BASE = "/scim/v2";
export const DEFAULT_PAGE_SIZE = 100;

export function createScimApp(container: Container) {
  const { services, config } = container;
  const limits = { defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, config.SCIM_MAX_PAGE_SIZE), maxPageSize: config.SCIM_MAX_PAGE_SIZE };
  const maxPayloadBytes = config.SCIM_MAX_PAYLOAD_BYTES;

  const handlers: Record<"User" | "Group", ResourceHandlers> = {
    User: {
      create: (ctx, body) => services.users.create(ctx, body),
      get: (ctx, id, load) => services.users.get(ctx, id, { withGroups: load }),
      version: (ctx, id) => services.users.version(ctx, id),
      list: (ctx, q, load) => services.users.list(ctx, q, { withGroups: load }),
      replace: (ctx, id, body, ifMatch) => services.users.replace(ctx, id, body, ifMatch),
      patch: (ctx, id, body, ifMatch, load) => services.users.patch(ctx, id, body, ifMatch, { withGroups: load }),
      remove: (ctx, id, ifMatch) => services.users.remove(ctx, id, ifMatch),
    },
    Group: {
      create: (ctx, body) => services.groups.create(ctx, body),
      get: (ctx, id, load) => services.groups.get(ctx, id, { withMembers: load }),
      version: (ctx, id) => services.groups.version(ctx, id),
      list: (ctx, q, load) => services.groups.list(ctx, q, { withMembers: load }),
      replace: (ctx, id, body, ifMatch) => services.groups.replace(ctx, id, body, ifMatch),
      patch: (ctx, id, body, ifMatch, load) => services.groups.patch(ctx, id, body, ifMatch, { withMembers: load }),
      remove: (ctx, id, ifMatch) => services.groups.remove(ctx, id, ifMatch),
    },
  };

  const app = new Hono<AppEnv>();
  app.use("*", scimAuth(services.scimTokens));
  app.use("*", requireScimMediaType(maxPayloadBytes));
  app.route(
    "/",
    discoveryRoutes({
      baseUrl: container.scimBaseUrl,
      maxPageSize: limits.maxPageSize,
      defaultPageSize: limits.defaultPageSize,
      maxBulkOperations: config.SCIM_MAX_BULK_OPERATIONS,
      maxPayloadBytes,
    }),
  );
  const common = { limits, maxPayloadBytes };
  app.route("/Users", resourceRoutes({ resourceType: "User", relation: "groups", handlers: handlers.User, patchNoContent: false, ...common }));
  app.route("/Groups", resourceRoutes({ resourceType: "Group", relation: "members", handlers: handlers.Group, patchNoContent: true, ...common }));
  app.route("/", rootSearchRoutes({ handlers, ...common }));
  app.route("/", bulkRoutes({ handlers, maxOperations: config.SCIM_MAX_BULK_OPERATIONS, maxPayloadBytes }));
  return app;
}
