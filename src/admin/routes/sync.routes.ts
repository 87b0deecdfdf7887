// The change feed, deprovisioning receipts and sync metrics.
import { createRoute, z } from "@hono/zod-openapi";
import type { EventsFeedService } from "../../modules/events-feed/events-feed.service.ts";
import { toPrometheus, type SyncMetricsService } from "../../modules/metrics/sync-metrics.service.ts";
import type { ReceiptsService } from "../../modules/receipts/receipts.service.ts";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonResponse } from "../openapi.ts";
import { TenantIdParamSchema } from "../schemas.ts";
import { EventPageSchema, EventQuerySchema, ReceiptQuerySchema, ReceiptSchema, SyncMetricsSchema, UserParamsSchema } from "./sync.schemas.ts";

const listEvents = createRoute({
  method: "get", path: "/tenants/{tenantId}/events", tags: ["Events"], security: ADMIN_SECURITY,
  summary: "Read the tenant's change feed, oldest first, with an id cursor",
  description:
    "Events carry ids, the type, the names of changed attributes, the actor and the time, never values or secrets. " +
    "Everything up to `nextCursor` is final: an event appears only once no transaction that could still commit a smaller id is running. " +
    "Events are kept EVENT_RETENTION_DAYS days (see `retentionDays`).",
  request: { params: TenantIdParamSchema, query: EventQuerySchema },
  responses: { 200: jsonResponse(EventPageSchema, "A page of events; pass nextCursor as `after`"), ...errorResponses },
});

const page = (item: z.ZodType, name: string) => z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

const listReceipts = createRoute({
  method: "get", path: "/tenants/{tenantId}/deprovisions", tags: ["Deprovisioning"], security: ADMIN_SECURITY,
  summary: "Deprovisioning receipts: what was revoked for each deactivation or deletion, and how fast",
  request: { params: TenantIdParamSchema, query: ReceiptQuerySchema },
  responses: { 200: jsonResponse(page(ReceiptSchema, "DeprovisionReceiptPage"), "Receipts, newest first"), ...errorResponses },
});

const listUserReceipts = createRoute({
  method: "get", path: "/tenants/{tenantId}/users/{userId}/deprovisions", tags: ["Deprovisioning"], security: ADMIN_SECURITY,
  summary: "Deprovisioning receipts of one user (also after the user was deleted)",
  request: { params: UserParamsSchema, query: ReceiptQuerySchema.omit({ userId: true }) },
  responses: { 200: jsonResponse(page(ReceiptSchema, "UserDeprovisionReceiptPage"), "Receipts, newest first"), ...errorResponses },
});

const syncMetrics = createRoute({
  method: "get", path: "/metrics/sync", tags: ["Metrics"], security: ADMIN_SECURITY,
  summary: "Deprovision and webhook latency (p50/p99/max over the last hour) and relay lag",
  request: { query: z.object({ windowMinutes: z.coerce.number().int().min(1).max(1440).default(60).openapi({ example: 60 }) }) },
  responses: { 200: jsonResponse(SyncMetricsSchema, "Deployment-wide sync metrics"), 400: errorResponses[400], 401: errorResponses[401] },
});

const prometheus = createRoute({
  method: "get", path: "/metrics", tags: ["Metrics"], security: ADMIN_SECURITY,
  summary: "The same metrics in the Prometheus text format (scrape with the admin token as bearer)",
  responses: { 200: { content: { "text/plain": { schema: z.string() } }, description: "Prometheus exposition format 0.0.4" }, 401: errorResponses[401] },
});

export function syncRoutes(deps: { events: EventsFeedService; receipts: ReceiptsService; metrics: SyncMetricsService; tenants: TenantsService }) {
  const { events, receipts, metrics, tenants } = deps;
  return createOpenApiApp()
    .openapi(listEvents, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      const q = c.req.valid("query");
      return c.json({ ...(await events.list(tenantId, q)), retentionDays: events.retentionDays }, 200);
    })
    .openapi(listReceipts, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json(await receipts.list(tenantId, c.req.valid("query")), 200);
    })
    .openapi(listUserReceipts, async (c) => {
      const { tenantId, userId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json(await receipts.list(tenantId, { ...c.req.valid("query"), userId }), 200);
    })
    .openapi(syncMetrics, async (c) => c.json(await metrics.snapshot(c.req.valid("query").windowMinutes), 200))
    .openapi(prometheus, async (c) => c.text(toPrometheus(await metrics.snapshot()), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }));
}
