// Role recomputation, off the request path. The affected users' effective roles are
// recomputed from current memberships, direct roles and mappings (set-based SQL in the roles
// module) in batches of BATCH users, each batch in its own transaction, and a
// user.roles_changed event is written for every user whose set of roles changed:
// - group.members_changed: the users added and removed (from the event's data);
// - group.deleted: its former members (from the event's data);
// - group.updated with a new displayName: its members (mappings may name groups by displayName);
// - user.reactivated: that user;
// - role_mapping.created / role_mapping.deleted: the mapped group's members and anyone still
//   holding the role through it, read page by page (keyset on user id) so a 100k-member group
//   is 100 small transactions in one job, never one huge transaction and never a job per user.
// Idempotent: recomputation is state-based, so a retry (or a duplicate job) finds nothing left
// to change and emits nothing. A retried mapping job resumes after the last batch it finished
// (kept in the job's progress). Inactive users hold no roles (deprovisioning removed them), so
// they are left out.
import type { MappingKey } from "../../src/modules/roles/roles.repo.ts";
import { QUEUES, type Payload } from "../queues.ts";
import { defineJob, type JobDeps } from "./job.ts";

export const ROLES_BATCH = 1000;
/** Recomputes one batch in one transaction; returns how many users' role sets changed. */
const recomputeBatch = (deps: JobDeps, p: Payload<"roles">, batch: string[]) =>
  deps.roles.recomputeAndAnnounce(p.tenantId, batch, { eventId: p.eventId, type: p.type, resourceId: p.resourceId });

function isMappingKey(d: unknown): d is MappingKey {
  const m = d as Partial<MappingKey> | null;
  return !!m && typeof m.roleId === "string" && (m.groupId === null || typeof m.groupId === "string")
    && (m.groupDisplayName === null || typeof m.groupDisplayName === "string");
}

export const rolesJob = defineJob({
  name: "roles",
  payload: QUEUES.roles.payload,
  async handle(deps, p, ctx) {
    const eventId = BigInt(p.eventId);
    const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { tenantId: true, data: true, attributes: true } });
    if (!event || event.tenantId !== p.tenantId) return { missing: true };
    if (p.type === "group.updated" && !event.attributes.includes("displayName")) return { users: 0, changed: 0, batches: 0 };

    if (p.type === "role_mapping.created" || p.type === "role_mapping.deleted" || p.type === "group.updated") {
      // A renamed group: its members, paged like a mapping's (no role is named, so only members).
      const mapping: unknown = p.type === "group.updated" ? { roleId: "", groupId: p.resourceId, groupDisplayName: null } : event.data;
      if (!isMappingKey(mapping)) return { invalid: true }; // written by this code only; nothing to retry
      const resumed = ctx?.job.progress as { after?: string; batches?: number; users?: number; changed?: number } | number | undefined;
      const state = { after: "", batches: 0, users: 0, changed: 0, ...(typeof resumed === "object" ? resumed : {}) };
      for (;;) {
        const page = await deps.roles.usersForMapping(p.tenantId, mapping, state.after, ROLES_BATCH);
        if (!page.length) break;
        state.changed += await recomputeBatch(deps, p, page);
        state.batches++;
        state.users += page.length;
        state.after = page[page.length - 1]!;
        if (page.length < ROLES_BATCH) break;
        await ctx?.job.updateProgress(state);
      }
      return { users: state.users, changed: state.changed, batches: state.batches };
    }

    const data = (event.data ?? {}) as { added?: string[]; removed?: string[] };
    const userIds = p.type === "user.reactivated" ? [p.resourceId] : [...new Set([...(data.added ?? []), ...(data.removed ?? [])])];
    let changed = 0;
    let batches = 0;
    for (let i = 0; i < userIds.length; i += ROLES_BATCH) {
      changed += await recomputeBatch(deps, p, userIds.slice(i, i + ROLES_BATCH));
      batches++;
    }
    return { users: userIds.length, changed, batches };
  },
});
