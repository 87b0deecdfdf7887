// Writes an event row inside the caller's transaction: the change and its event commit
// together or not at all (the transactional outbox, DESIGN.md).
import type { Tx } from "../db/client.ts";
import type { Actor } from "../modules/context.ts";
import type { EventData, EventType, ResourceType } from "./catalog.ts";

export interface NewEvent {
  tenantId: string;
  type: EventType;
  resourceType: ResourceType;
  resourceId: string;
  attributes?: string[];
  actor: Actor;
  data?: EventData;
}

export async function emitEvent(tx: Tx, event: NewEvent): Promise<void> {
  await tx.event.create({
    data: {
      tenantId: event.tenantId,
      type: event.type,
      resourceType: event.resourceType,
      resourceId: event.resourceId,
      attributes: event.attributes ?? [],
      actor: event.actor as object,
      data: (event.data ?? {}) as object,
    },
  });
}
