// Writes an event row inside the caller's transaction: the change and its event commit
// together or not at all (the transactional outbox, DESIGN.md).
import { Prisma, type Tx } from "../db/client.ts";
import { json, query, type Queryable } from "../db/sql.ts";
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

/** Inside a Prisma transaction (`tx`) or a pg one (src/db/sql.ts): the same row either way. */
export async function emitEvent(tx: Tx | Queryable, event: NewEvent): Promise<void> {
  if ("query" in tx && typeof tx.query === "function") {
    await query(tx as Queryable, Prisma.sql`
      INSERT INTO "Event" ("tenantId", type, "resourceType", "resourceId", attributes, actor, data)
      VALUES (${event.tenantId}, ${event.type}, ${event.resourceType}, ${event.resourceId},
              ${event.attributes ?? []}::text[], ${json(event.actor)}::jsonb, ${json(event.data ?? {})}::jsonb)`);
    return;
  }
  await (tx as Tx).event.create({
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
