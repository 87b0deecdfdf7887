// How an event is shown on the change feed and in webhook payloads: ids, type, the names of
// the changed attributes, the actor and the time. Never attribute values or secrets.
export interface EventRowLike {
  id: bigint;
  tenantId: string;
  type: string;
  resourceType: string;
  resourceId: string;
  attributes: string[];
  actor: unknown;
  data: unknown;
  createdAt: Date;
}

export interface EventView {
  id: string;
  tenantId: string;
  type: string;
  resourceType: string;
  resourceId: string;
  attributes: string[];
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
  occurredAt: string;
}

export function toEventView(e: EventRowLike): EventView {
  return {
    id: e.id.toString(),
    tenantId: e.tenantId,
    type: e.type,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    attributes: e.attributes,
    actor: (e.actor ?? {}) as Record<string, unknown>,
    data: (e.data ?? {}) as Record<string, unknown>,
    occurredAt: e.createdAt.toISOString(),
  };
}
