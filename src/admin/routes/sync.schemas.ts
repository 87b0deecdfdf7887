// Schemas of the directory-sync admin routes: webhooks, deliveries, the event feed,
// deprovisioning receipts and sync metrics.
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES, RESOURCE_TYPES } from "../../events/catalog.ts";
import { TenantIdParamSchema } from "../schemas.ts";

const uuid = "0193a5b3-1111-7abc-8def-0123456789ab";
const idParam = (name: string) => z.string().min(1).max(64).openapi({ param: { name, in: "path" }, example: uuid });

export const WebhookParamsSchema = TenantIdParamSchema.extend({ webhookId: idParam("webhookId") });
export const DeliveryParamsSchema = WebhookParamsSchema.extend({ deliveryId: idParam("deliveryId") });
export const UserParamsSchema = TenantIdParamSchema.extend({ userId: idParam("userId") });

const eventType = z.enum(EVENT_TYPES);
const eventTypePattern = z.union([eventType, z.enum(["user.*", "group.*", "session.*"])]);

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: uuid }),
    tenantId: z.string(),
    url: z.string().openapi({ example: "https://app.example.com/hooks/roster" }),
    description: z.string().nullable().openapi({ example: "Billing app" }),
    eventTypes: z.array(z.string()).openapi({ description: "Subscribed types; empty means every type", example: ["user.deactivated", "user.deleted"] }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WebhookEndpoint");

export const CreateWebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2048).openapi({ example: "https://app.example.com/hooks/roster" }),
    description: z.string().trim().max(500).nullable().optional().openapi({ example: "Billing app" }),
    eventTypes: z.array(eventTypePattern).max(50).optional().openapi({ description: "Empty or absent: every type. `user.*` style prefixes allowed.", example: ["user.deactivated", "user.deleted"] }),
  })
  .strict()
  .openapi("CreateWebhook");

export const UpdateWebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    eventTypes: z.array(eventTypePattern).max(50).optional(),
    enabled: z.boolean().optional().openapi({ description: "false pauses deliveries (new events are not queued for it)", example: false }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "give at least one field")
  .openapi("UpdateWebhook");

export const CreatedWebhookSchema = z
  .object({
    endpoint: WebhookEndpointSchema,
    secret: z.string().openapi({
      description: "The Standard Webhooks signing secret. Shown only in this response; Roster stores it encrypted.",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }),
  })
  .openapi("CreatedWebhook");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ example: uuid }),
    endpointId: z.string(),
    eventId: z.string().openapi({ example: "1042" }),
    eventType: z.string().openapi({ example: "user.deactivated" }),
    webhookId: z.string().openapi({ description: "The `webhook-id` header: stable per event and endpoint", example: "msg_1042_0193a5b311117abc8def0123456789ab" }),
    status: z.enum(["pending", "succeeded", "failed", "dead"]).openapi({ description: "failed = retrying; dead = gave up (redeliver manually)" }),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable().openapi({ example: 503 }),
    lastError: z.string().nullable().openapi({ example: "HTTP 503" }),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().nullable(),
    latencyMs: z.number().int().nullable().openapi({ description: "Event commit → 2xx", example: 84 }),
  })
  .openapi("WebhookDelivery");

export const DeliveryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  after: z.string().max(64).optional().openapi({ description: "Cursor: the nextCursor of the previous page (newest first)" }),
  status: z.enum(["pending", "succeeded", "failed", "dead"]).optional(),
});

export const EventSchema = z
  .object({
    id: z.string().openapi({ description: "Monotonic per deployment; the cursor", example: "1042" }),
    tenantId: z.string(),
    type: z.string().openapi({ example: "user.deactivated" }),
    resourceType: z.string().openapi({ example: "User" }),
    resourceId: z.string().openapi({ example: uuid }),
    attributes: z.array(z.string()).openapi({ description: "Names of the changed attributes (never values)", example: ["active"] }),
    actor: z.record(z.string(), z.unknown()).openapi({ example: { type: "scim_token", id: uuid } }),
    data: z.record(z.string(), z.unknown()).openapi({ example: {} }),
    occurredAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
  })
  .openapi("Event");

const csv = <T extends z.ZodType>(item: T) =>
  z.string().max(2000).transform((s, ctx) => {
    const parts = s.split(",").map((p) => p.trim()).filter(Boolean);
    const bad = parts.filter((p) => !item.safeParse(p).success);
    if (bad.length) ctx.addIssue({ code: "custom", message: `unknown value(s): ${bad.slice(0, 5).join(", ")}` });
    return parts;
  });

export const EventQuerySchema = z.object({
  after: z.string().regex(/^\d{1,19}$/, "a cursor returned by this endpoint").optional().openapi({ description: "Return events after this id (exclusive)", example: "1041" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ example: 100 }),
  types: csv(eventType).optional().openapi({ type: "string", description: "Comma-separated event types", example: "user.deactivated,user.deleted" }),
  resourceType: z.enum(RESOURCE_TYPES).optional().openapi({ example: "User" }),
  resourceId: z.string().min(1).max(64).optional(),
});

export const EventPageSchema = z
  .object({
    data: z.array(EventSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `after` to continue; unchanged when nothing new", example: "1042" }),
    retentionDays: z.number().int().openapi({ example: 90 }),
  })
  .openapi("EventPage");

export const ReceiptSchema = z
  .object({
    id: z.string().openapi({ example: uuid }),
    tenantId: z.string(),
    userId: z.string(),
    eventId: z.string().openapi({ example: "1042" }),
    reason: z.string().openapi({ example: "user.deactivated" }),
    sessionsRevoked: z.number().int().openapi({ example: 3 }),
    refreshTokensRevoked: z.number().int().openapi({ example: 5 }),
    rolesRemoved: z.number().int().openapi({ example: 2 }),
    eventAt: z.string().openapi({ description: "When the deprovisioning change committed" }),
    completedAt: z.string().openapi({ description: "When every session was revoked" }),
    elapsedMs: z.number().int().openapi({ example: 35 }),
  })
  .openapi("DeprovisionReceipt");

export const ReceiptQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  after: z.string().max(64).optional().openapi({ description: "Cursor: the nextCursor of the previous page (newest first)" }),
  userId: z.string().min(1).max(64).optional(),
});

const Latency = z.object({ count: z.number().int(), p50Ms: z.number().nullable(), p99Ms: z.number().nullable(), maxMs: z.number().nullable() });

export const SyncMetricsSchema = z
  .object({
    windowMinutes: z.number().int().openapi({ example: 60 }),
    deprovision: Latency.openapi({ description: "Event commit → every session revoked" }),
    webhooks: Latency.extend({ pending: z.number().int(), failing: z.number().int(), dead: z.number().int() }),
    relay: z.object({ unrelayed: z.number().int(), oldestUnrelayedAgeMs: z.number().int() }),
  })
  .openapi("SyncMetrics");
