// Webhook endpoints per tenant and their delivery log. Secrets follow Standard Webhooks
// (`whsec_` + base64), are shown once at creation (and on rotation) and stored sealed with
// the key-encryption key; lists never include them.
import { seal, unseal } from "../../auth/key-encryption.ts";
import type { Db } from "../../db/client.ts";
import { internalUrlReason } from "./egress.ts";
import { badRequest, notFound } from "../../errors.ts";
import { generateWebhookSecret } from "./signing.ts";
import type { WebhooksRepo } from "./webhooks.repo.ts";

export interface WebhookEndpointView {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  status: "pending" | "succeeded" | "failed" | "dead";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  latencyMs: number | null;
}

type EndpointRow = NonNullable<Awaited<ReturnType<WebhooksRepo["findEndpoint"]>>>;
type DeliveryRow = NonNullable<Awaited<ReturnType<WebhooksRepo["findDelivery"]>>>;

const endpointView = (e: EndpointRow): WebhookEndpointView => ({
  id: e.id, tenantId: e.tenantId, url: e.url, description: e.description, eventTypes: e.eventTypes, enabled: e.enabled,
  disabledReason: e.disabledReason, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
});

export function deliveryView(d: DeliveryRow, webhookId: string): WebhookDeliveryView {
  return {
    id: d.id, endpointId: d.endpointId, eventId: d.eventId.toString(), eventType: d.eventType, webhookId,
    status: d.status as WebhookDeliveryView["status"], attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError,
    createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null, latencyMs: d.latencyMs,
  };
}

/** Only http(s) URLs without credentials; the receiver authenticates Roster by signature. */
function checkUrl(raw: string, allowInternal: boolean): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw badRequest("url must be an absolute http(s) URL");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw badRequest("url must use https (or http)");
  if (u.username || u.password) throw badRequest("url must not carry credentials");
  const internal = allowInternal ? null : internalUrlReason(u.toString());
  if (internal) throw badRequest(`${internal}; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it`);
  return u.toString();
}

export interface WebhooksServiceDeps {
  db: Db;
  repo: WebhooksRepo;
  keyEncryptionKey: Buffer;
  /** Accept URLs on loopback and private networks (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowInternalUrls: boolean;
  /** Enqueues one (manual) delivery attempt; provided by the queue backend. */
  enqueueRedelivery(job: { tenantId: string; endpointId: string; eventId: string; deliveryId: string }): Promise<void>;
  messageId(eventId: bigint, endpointId: string): string;
}

const sealContext = (tenantId: string) => `webhook-secret:${tenantId}`;

export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { repo } = deps;

  async function endpoint(tenantId: string, id: string): Promise<EndpointRow> {
    const e = await repo.findEndpoint(tenantId, id);
    if (!e) throw notFound("Webhook endpoint not found");
    return e;
  }

  return {
    async create(tenantId: string, input: { url: string; description?: string | null; eventTypes?: string[] }) {
      const secret = generateWebhookSecret();
      const row = await repo.createEndpoint({
        tenantId, url: checkUrl(input.url, deps.allowInternalUrls), description: input.description ?? null, eventTypes: [...new Set(input.eventTypes ?? [])],
        secretEncrypted: seal(deps.keyEncryptionKey, secret, sealContext(tenantId)),
      });
      return { endpoint: endpointView(row), secret };
    },
    list: async (tenantId: string) => (await repo.listEndpoints(tenantId)).map(endpointView),
    get: async (tenantId: string, id: string) => endpointView(await endpoint(tenantId, id)),

    async update(tenantId: string, id: string, input: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }) {
      const data = {
        ...(input.url !== undefined ? { url: checkUrl(input.url, deps.allowInternalUrls) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled, disabledReason: input.enabled ? null : "disabled by an admin" } : {}),
      };
      const [row] = await repo.updateEndpoint(tenantId, id, data);
      if (!row) throw notFound("Webhook endpoint not found");
      return endpointView(row);
    },

    /** A new secret, shown once; the old one stops signing at once. */
    async rotateSecret(tenantId: string, id: string) {
      await endpoint(tenantId, id);
      const secret = generateWebhookSecret();
      const [row] = await repo.updateEndpoint(tenantId, id, { secretEncrypted: seal(deps.keyEncryptionKey, secret, sealContext(tenantId)) });
      if (!row) throw notFound("Webhook endpoint not found");
      return { endpoint: endpointView(row), secret };
    },

    async remove(tenantId: string, id: string): Promise<void> {
      const { count } = await repo.deleteEndpoint(tenantId, id);
      if (!count) throw notFound("Webhook endpoint not found");
    },

    async deliveries(tenantId: string, endpointId: string, q: { status?: string; before?: string; limit: number }) {
      await endpoint(tenantId, endpointId);
      const rows = await repo.listDeliveries(tenantId, endpointId, q);
      return {
        data: rows.map((d) => deliveryView(d, deps.messageId(d.eventId, d.endpointId))),
        nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      };
    },

    /** Sends the same message (same webhook-id) once more, now, whatever its status. */
    async redeliver(tenantId: string, endpointId: string, deliveryId: string) {
      const e = await endpoint(tenantId, endpointId);
      const d = await repo.findDelivery(tenantId, endpointId, deliveryId);
      if (!d) throw notFound("Delivery not found");
      if (!e.enabled) throw badRequest("The endpoint is disabled; enable it first");
      const [row] = await repo.requeueDelivery(tenantId, d.id);
      await deps.enqueueRedelivery({ tenantId, endpointId, eventId: d.eventId.toString(), deliveryId: d.id });
      return deliveryView(row ?? d, deps.messageId(d.eventId, d.endpointId));
    },

    /** For the delivery job: the plaintext secret. */
    secretOf: (e: { tenantId: string; secretEncrypted: string }) => unseal(deps.keyEncryptionKey, e.secretEncrypted, sealContext(e.tenantId)),
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
