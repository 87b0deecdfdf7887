// RFC 7644 §3.4.3: POST /.search at the root searches every resource type. A filter that
// names attributes of only one type searches that type; results list Users, then Groups.
import { Hono } from "hono";
import { badRequest } from "../../errors.ts";
import type { AppEnv } from "../../http/types.ts";
import { readScimBody, scimJson } from "../media.ts";
import { listResponse, SEARCH_REQUEST } from "../messages.ts";
import { includesAttribute, project } from "../projection.ts";
import { parseListQuery, type PagingLimits } from "../query.ts";
import type { ResourceTypeName } from "../schemas/index.ts";
import { compileFilter } from "../filter/index.ts";
import { tenantContext, type ResourceHandlers } from "./resource.routes.ts";

export function rootSearchRoutes(opts: {
  handlers: Record<ResourceTypeName, ResourceHandlers>;
  limits: PagingLimits;
  maxPayloadBytes: number;
}) {
  const app = new Hono<AppEnv>();
  app.post("/.search", async (c) => {
    const body = await readScimBody(c, opts.maxPayloadBytes);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("A SearchRequest object is required", "invalidSyntax");
    const schemas = (body as { schemas?: unknown }).schemas;
    if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(SEARCH_REQUEST))) {
      throw badRequest(`schemas must contain ${SEARCH_REQUEST}`, "invalidSyntax");
    }
    const q = parseListQuery(body as Record<string, unknown>, opts.limits);
    if (q.cursor !== undefined || q.sortBy) throw badRequest("Root-level search supports index pagination without sortBy", "invalidValue");

    // Types whose attributes the filter can be evaluated against.
    const types = (["User", "Group"] as const).filter((t) => {
      if (!q.filter) return true;
      try {
        compileFilter(q.filter, t, "r");
        return true;
      } catch {
        return false;
      }
    });
    if (!types.length) compileFilter(q.filter!, "User", "r"); // rethrows the User error as the explanation

    const ctx = tenantContext(c);
    const resources: Record<string, unknown>[] = [];
    let total = 0;
    let skip = q.startIndex - 1;
    let room = q.count;
    for (const t of types) {
      const relation = t === "User" ? "groups" : "members";
      const load = includesAttribute(t, relation, q);
      const head = await opts.handlers[t].list(ctx, { ...q, startIndex: 1, count: 0 }, false);
      total += head.total;
      if (room > 0 && skip < head.total) {
        const page = await opts.handlers[t].list(ctx, { ...q, startIndex: skip + 1, count: room }, load);
        resources.push(...page.resources.map((r) => project(t, r, q)));
        room -= page.resources.length;
      }
      skip = Math.max(0, skip - head.total);
    }
    return scimJson(c, listResponse(resources, total, { startIndex: q.startIndex }));
  });
  return app;
}
