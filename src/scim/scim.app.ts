// /scim/v2: the IdP-facing SCIM 2.0 surface. Every route is tenant-scoped by the bearer token.
import { Hono } from "hono";
import type { Container } from "../container.ts";
import { scimAuth } from "../http/scim-auth.ts";
import type { AppEnv } from "../http/types.ts";
import type { TenantContext } from "../modules/context.ts";
import type { ListQuery } from "./query.ts";
import { requireScimMediaType } from "./media.ts";
import { bulkRoutes } from "./routes/bulk.routes.ts";
import { discoveryRoutes } from "./routes/discovery.routes.ts";
import { resourceRoutes, type ResourceHandlers } from "./routes/resource.routes.ts";
import { rootSearchRoutes } from "./routes/search.routes.ts";

export const SCIM_BASE = "/scim/v2";
export const DEFAULT_PAGE_SIZE = 100;

type Doc = Record<string, unknown>;

/** What the users and groups services share; `O` says whether to load the costly relation. */
interface ResourceService<O> {
  create(ctx: TenantContext, body: unknown): Promise<Doc>;
  get(ctx: TenantContext, id: string, opts: O): Promise<Doc>;
  version(ctx: TenantContext, id: string): Promise<number | null>;
  list(ctx: TenantContext, q: ListQuery, opts: O): Promise<{ resources: Doc[]; total: number; startIndex: number; nextCursor?: string }>;
  replace(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<Doc>;
  patch(ctx: TenantContext, id: string, body: unknown, ifMatch: string | undefined, opts: O): Promise<Doc>;
  remove(ctx: TenantContext, id: string, ifMatch?: string): Promise<void>;
}

/** Adapts a resource service to the routes: `groups` of users and `members` of groups load on demand. */
function resourceHandlers<O>(svc: ResourceService<O>, relation: (load: boolean) => O): ResourceHandlers {
  return {
    create: (ctx, body) => svc.create(ctx, body),
    get: (ctx, id, load) => svc.get(ctx, id, relation(load)),
    version: (ctx, id) => svc.version(ctx, id),
    list: (ctx, q, load) => svc.list(ctx, q, relation(load)),
    replace: (ctx, id, body, ifMatch) => svc.replace(ctx, id, body, ifMatch),
    patch: (ctx, id, body, ifMatch, load) => svc.patch(ctx, id, body, ifMatch, relation(load)),
    remove: (ctx, id, ifMatch) => svc.remove(ctx, id, ifMatch),
  };
}

export function createScimApp(container: Container) {
  const { services, config } = container;
  const limits = { defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, config.SCIM_MAX_PAGE_SIZE), maxPageSize: config.SCIM_MAX_PAGE_SIZE };
  const maxPayloadBytes = config.SCIM_MAX_PAYLOAD_BYTES;

  const handlers: Record<"User" | "Group", ResourceHandlers> = {
    User: resourceHandlers(services.users, (load) => ({ withGroups: load })),
    Group: resourceHandlers(services.groups, (load) => ({ withMembers: load })),
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
