// The seven routes of a SCIM resource endpoint (/Users, /Groups): list, .search, create,
// read, replace, patch, delete (RFC 7644 §3.2–§3.6). Both resource types share this file;
// what differs lives in their services.
import type { Context } from "hono";
import { Hono } from "hono";
import { badRequest } from "../../errors.ts";
import type { AppEnv } from "../../http/types.ts";
import type { TenantContext } from "../../modules/context.ts";
import { readScimBody, scimJson } from "../media.ts";
import { etagMatches, parseEtagList } from "../mappers/meta.ts";
import { listResponse, SEARCH_REQUEST } from "../messages.ts";
import { includesAttribute, project, type Projection } from "../projection.ts";
import { parseListQuery, queryParams, type ListQuery, type PagingLimits } from "../query.ts";
import type { ResourceTypeName } from "../schemas/index.ts";

type Doc = Record<string, unknown>;

/** What a resource service offers the routes; `loadRelations` is groups for users, members for groups. */
export interface ResourceHandlers {
  create(ctx: TenantContext, body: unknown): Promise<Doc>;
  get(ctx: TenantContext, id: string, loadRelations: boolean): Promise<Doc>;
  version(ctx: TenantContext, id: string): Promise<number | null>;
  list(ctx: TenantContext, q: ListQuery, loadRelations: boolean): Promise<{ resources: Doc[]; total: number; startIndex: number; nextCursor?: string }>;
  replace(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<Doc>;
  patch(ctx: TenantContext, id: string, body: unknown, ifMatch: string | undefined, loadRelations: boolean): Promise<Doc>;
  remove(ctx: TenantContext, id: string, ifMatch?: string): Promise<void>;
}

export interface ResourceRouteOptions {
  resourceType: ResourceTypeName;
  /** The derived multi-valued attribute that is expensive to load: "groups" or "members". */
  relation: "groups" | "members";
  handlers: ResourceHandlers;
  limits: PagingLimits;
  maxPayloadBytes: number;
  /**
   * Answer PATCH with 204 and an ETag unless the client asks for attributes (RFC 7644 §3.5.2
   * allows it). Used for groups, whose member list can be 100k entries long.
   */
  patchNoContent: boolean;
}

export function tenantContext(c: Context<AppEnv>): TenantContext {
  const p = c.get("scim");
  return { tenantId: p.tenantId, actor: { type: "scim_token", id: p.tokenId } };
}

function projectionOf(raw: Record<string, unknown>): Projection {
  const q = parseListQuery(raw, { defaultPageSize: 1, maxPageSize: 1 });
  return { attributes: q.attributes, excludedAttributes: q.excludedAttributes };
}

function withVersionHeaders(doc: Doc): Record<string, string> {
  const version = (doc.meta as { version?: string } | undefined)?.version;
  return version ? { ETag: version } : {};
}

export function resourceRoutes(opts: ResourceRouteOptions) {
  const { resourceType, relation, handlers, limits, maxPayloadBytes, patchNoContent } = opts;
  const app = new Hono<AppEnv>();
  const respond = (c: Context, doc: Doc, projection: Projection, status = 200, extra: Record<string, string> = {}) =>
    scimJson(c, project(resourceType, doc, projection), status, { ...withVersionHeaders(doc), ...extra });

  async function list(c: Context<AppEnv>, raw: Record<string, unknown>) {
    const q = parseListQuery(raw, limits);
    const page = await handlers.list(tenantContext(c), q, includesAttribute(resourceType, relation, q));
    const resources = page.resources.map((r) => project(resourceType, r, q));
    return scimJson(c, listResponse(resources, page.total, { startIndex: q.cursor === undefined ? page.startIndex : undefined, nextCursor: page.nextCursor }));
  }

  app.get("/", (c) => list(c, queryParams(c.req.url)));

  // RFC 7644 §3.4.3: query with POST so filters stay out of URLs and logs.
  app.post("/.search", async (c) => {
    const body = await readScimBody(c, maxPayloadBytes);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("A SearchRequest object is required", "invalidSyntax");
    const schemas = (body as { schemas?: unknown }).schemas;
    if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(SEARCH_REQUEST))) {
      throw badRequest(`schemas must contain ${SEARCH_REQUEST}`, "invalidSyntax");
    }
    return list(c, body as Record<string, unknown>);
  });

  app.post("/", async (c) => {
    const projection = projectionOf(queryParams(c.req.url));
    const doc = await handlers.create(tenantContext(c), await readScimBody(c, maxPayloadBytes));
    return respond(c, doc, projection, 201, { Location: (doc.meta as { location: string }).location });
  });

  app.get("/:id", async (c) => {
    const ctx = tenantContext(c);
    const id = c.req.param("id");
    const ifNoneMatch = parseEtagList(c.req.header("if-none-match"));
    if (ifNoneMatch) {
      const version = await handlers.version(ctx, id);
      if (version !== null && etagMatches(ifNoneMatch, version)) {
        return new Response(null, { status: 304, headers: { ETag: `W/"${version}"` } });
      }
    }
    const projection = projectionOf(queryParams(c.req.url));
    const doc = await handlers.get(ctx, id, includesAttribute(resourceType, relation, projection));
    return respond(c, doc, projection);
  });

  app.put("/:id", async (c) => {
    const projection = projectionOf(queryParams(c.req.url));
    const doc = await handlers.replace(tenantContext(c), c.req.param("id"), await readScimBody(c, maxPayloadBytes), c.req.header("if-match"));
    return respond(c, doc, projection);
  });

  app.patch("/:id", async (c) => {
    const raw = queryParams(c.req.url);
    const asked = raw.attributes !== undefined || raw.excludedAttributes !== undefined;
    const projection = projectionOf(raw);
    const noContent = patchNoContent && !asked;
    const body = await readScimBody(c, maxPayloadBytes);
    const load = !noContent && includesAttribute(resourceType, relation, projection);
    const doc = await handlers.patch(tenantContext(c), c.req.param("id"), body, c.req.header("if-match"), load);
    if (noContent) return new Response(null, { status: 204, headers: withVersionHeaders(doc) });
    return respond(c, doc, projection);
  });

  app.delete("/:id", async (c) => {
    await handlers.remove(tenantContext(c), c.req.param("id"), c.req.header("if-match"));
    return new Response(null, { status: 204 });
  });

  return app;
}
