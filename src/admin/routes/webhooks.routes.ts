import { createRoute, z } from "@hono/zod-openapi";
import type { TenantsService } from "../../modules/tenants/tenants.service.ts";
import type { WebhooksService } from "../../modules/webhooks/webhooks.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonBody, jsonResponse } from "../openapi.ts";
import { TenantIdParamSchema } from "../schemas.ts";
import {
  CreatedWebhookSchema, CreateWebhookSchema, DeliveryParamsSchema, DeliveryQuerySchema, UpdateWebhookSchema,
  WebhookDeliverySchema, WebhookEndpointSchema, WebhookParamsSchema,
} from "./sync.schemas.ts";

const tags = ["Webhooks"];
const { 401: e401, 404: e404 } = errorResponses;

const createWebhook = createRoute({
  method: "post", path: "/tenants/{tenantId}/webhooks", tags, security: ADMIN_SECURITY,
  summary: "Register a webhook endpoint",
  description: "Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The secret is returned once.",
  request: { params: TenantIdParamSchema, body: jsonBody(CreateWebhookSchema) },
  responses: { 201: jsonResponse(CreatedWebhookSchema, "The endpoint and its signing secret (shown once)"), ...errorResponses },
});
const listWebhooks = createRoute({
  method: "get", path: "/tenants/{tenantId}/webhooks", tags, security: ADMIN_SECURITY, summary: "List the tenant's webhook endpoints",
  request: { params: TenantIdParamSchema },
  responses: { 200: jsonResponse(z.object({ data: z.array(WebhookEndpointSchema) }), "Endpoints, oldest first"), 401: e401, 404: e404 },
});
const getWebhook = createRoute({
  method: "get", path: "/tenants/{tenantId}/webhooks/{webhookId}", tags, security: ADMIN_SECURITY, summary: "Get a webhook endpoint",
  request: { params: WebhookParamsSchema },
  responses: { 200: jsonResponse(WebhookEndpointSchema, "The endpoint"), 401: e401, 404: e404 },
});
const updateWebhook = createRoute({
  method: "patch", path: "/tenants/{tenantId}/webhooks/{webhookId}", tags, security: ADMIN_SECURITY,
  summary: "Change an endpoint's URL, types or description, or disable / enable it",
  request: { params: WebhookParamsSchema, body: jsonBody(UpdateWebhookSchema) },
  responses: { 200: jsonResponse(WebhookEndpointSchema, "The updated endpoint"), ...errorResponses },
});
const rotateSecret = createRoute({
  method: "post", path: "/tenants/{tenantId}/webhooks/{webhookId}/rotate-secret", tags, security: ADMIN_SECURITY,
  summary: "Replace the signing secret (the new one is shown once)",
  request: { params: WebhookParamsSchema },
  responses: { 200: jsonResponse(CreatedWebhookSchema, "The endpoint and its new secret"), 401: e401, 404: e404 },
});
const deleteWebhook = createRoute({
  method: "delete", path: "/tenants/{tenantId}/webhooks/{webhookId}", tags, security: ADMIN_SECURITY,
  summary: "Delete an endpoint and its delivery log",
  request: { params: WebhookParamsSchema },
  responses: { 204: { description: "Deleted" }, 401: e401, 404: e404 },
});
const listDeliveries = createRoute({
  method: "get", path: "/tenants/{tenantId}/webhooks/{webhookId}/deliveries", tags, security: ADMIN_SECURITY,
  summary: "The endpoint's delivery log, newest first",
  request: { params: WebhookParamsSchema, query: DeliveryQuerySchema },
  responses: {
    200: jsonResponse(z.object({ data: z.array(WebhookDeliverySchema), nextCursor: z.string().nullable() }).openapi("WebhookDeliveryPage"), "A page of deliveries"),
    ...errorResponses,
  },
});
const redeliver = createRoute({
  method: "post", path: "/tenants/{tenantId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", tags, security: ADMIN_SECURITY,
  summary: "Send a delivery again now (same webhook-id), e.g. a dead-lettered one",
  request: { params: DeliveryParamsSchema },
  responses: { 202: jsonResponse(WebhookDeliverySchema, "Queued"), ...errorResponses },
});

export function webhooksRoutes(deps: { webhooks: WebhooksService; tenants: TenantsService }) {
  const { webhooks, tenants } = deps;
  return createOpenApiApp()
    .openapi(createWebhook, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      c.header("Cache-Control", "no-store");
      return c.json(await webhooks.create(tenantId, c.req.valid("json")), 201);
    })
    .openapi(listWebhooks, async (c) => {
      const { tenantId } = c.req.valid("param");
      await tenants.get(tenantId);
      return c.json({ data: await webhooks.list(tenantId) }, 200);
    })
    .openapi(getWebhook, async (c) => {
      const { tenantId, webhookId } = c.req.valid("param");
      return c.json(await webhooks.get(tenantId, webhookId), 200);
    })
    .openapi(updateWebhook, async (c) => {
      const { tenantId, webhookId } = c.req.valid("param");
      return c.json(await webhooks.update(tenantId, webhookId, c.req.valid("json")), 200);
    })
    .openapi(rotateSecret, async (c) => {
      const { tenantId, webhookId } = c.req.valid("param");
      c.header("Cache-Control", "no-store");
      return c.json(await webhooks.rotateSecret(tenantId, webhookId), 200);
    })
    .openapi(deleteWebhook, async (c) => {
      const { tenantId, webhookId } = c.req.valid("param");
      await webhooks.remove(tenantId, webhookId);
      return c.body(null, 204);
    })
    .openapi(listDeliveries, async (c) => {
      const { tenantId, webhookId } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await webhooks.deliveries(tenantId, webhookId, { limit: q.limit, before: q.after, status: q.status }), 200);
    })
    .openapi(redeliver, async (c) => {
      const { tenantId, webhookId, deliveryId } = c.req.valid("param");
      return c.json(await webhooks.redeliver(tenantId, webhookId, deliveryId), 202);
    });
}
