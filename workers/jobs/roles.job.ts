// Role recomputation, off the request path: on group.members_changed the affected users' effective
// roles are recomputed from current memberships (set-based SQL in the roles module) in batches
// of BATCH users, each batch in its own transaction, and a user.roles_changed event is
// written for every user whose set of roles changed. A 100k-member change is 100 small
// transactions, not one huge one and not one job per user. Idempotent: recomputation is
// state-based, so a retry (or a duplicate job) finds nothing left to change and emits nothing.
// Inactive users hold no roles (deprovisioning removed them), so they are left out.
import type { EventType } from "../../src/events/catalog.ts";
import { QUEUES } from "../queues.ts";
import { defineJob } from "./job.ts";

const BATCH = 1000;
const SYSTEM = { type: "system" as const, id: "roster-worker" };

export const rolesJob = defineJob({
  name: "roles",
  payload: QUEUES.roles.payload,
  async handle(deps, p) {
    const eventId = BigInt(p.eventId);
    const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { tenantId: true, data: true } });
    if (!event || event.tenantId !== p.tenantId) return { missing: true };
    const data = (event.data ?? {}) as { added?: string[]; removed?: string[] };
    const userIds = p.type === "user.reactivated" ? [p.resourceId] : [...new Set([...(data.added ?? []), ...(data.removed ?? [])])];
    let changed = 0;
    for (let i = 0; i < userIds.length; i += BATCH) {
      const batch = userIds.slice(i, i + BATCH);
      changed += await deps.db.$transaction(async (tx) => {
        const active = (await tx.user.findMany({ where: { tenantId: p.tenantId, id: { in: batch }, active: true }, select: { id: true } })).map((u) => u.id);
        const ids = await deps.roles.recomputeForUsers(p.tenantId, active, tx);
        // The same rows emitEvent writes, inserted in one statement for the whole batch.
        if (ids.length) {
          await tx.event.createMany({
            data: ids.map((userId) => ({
              tenantId: p.tenantId, type: "user.roles_changed" satisfies EventType, resourceType: "User", resourceId: userId, attributes: ["roles"],
              actor: SYSTEM, data: { cause: { eventId: p.eventId, type: p.type, resourceId: p.resourceId } },
            })),
          });
        }
        return ids.length;
      }, { timeout: 60_000 });
    }
    return { users: userIds.length, changed };
  },
});
