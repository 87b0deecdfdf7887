// Data access for webhook endpoints and their delivery log. Every query is tenant-scoped.
import type { Db, Tx } from "../../db/client.ts";

export function createWebhooksRepo(db: Db) {
  return {
    createEndpoint: (data: { tenantId: string; url: string; description: string | null; eventTypes: string[]; secretEncrypted: string }) =>
      db.webhookEndpoint.create({ data }),
    listEndpoints: (tenantId: string) => db.webhookEndpoint.findMany({ where: { tenantId }, orderBy: { createdAt: "asc" } }),
    findEndpoint: (tenantId: string, id: string, tx: Tx = db) => tx.webhookEndpoint.findFirst({ where: { tenantId, id } }),
    updateEndpoint: (tenantId: string, id: string, data: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean; disabledReason?: string | null; secretEncrypted?: string }) =>
      db.webhookEndpoint.updateManyAndReturn({ where: { tenantId, id }, data }),
    deleteEndpoint: (tenantId: string, id: string) => db.webhookEndpoint.deleteMany({ where: { tenantId, id } }),

    listDeliveries: (tenantId: string, endpointId: string, q: { status?: string; before?: string; limit: number }) =>
      db.webhookDelivery.findMany({
        where: { tenantId, endpointId, ...(q.status ? { status: q.status } : {}), ...(q.before ? { id: { lt: q.before } } : {}) },
        orderBy: { id: "desc" },
        take: q.limit,
      }),
    findDelivery: (tenantId: string, endpointId: string, id: string) => db.webhookDelivery.findFirst({ where: { tenantId, endpointId, id } }),
    findDeliveryByEvent: (endpointId: string, eventId: bigint) => db.webhookDelivery.findUnique({ where: { endpointId_eventId: { endpointId, eventId } } }),
    requeueDelivery: (tenantId: string, id: string) =>
      db.webhookDelivery.updateManyAndReturn({ where: { tenantId, id }, data: { status: "pending" } }),
  };
}

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>;
