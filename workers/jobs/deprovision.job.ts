// Deprovisioning: on user.deactivated or user.deleted, revoke every session of the user, kill
// their refresh-token families, deny-list their live session ids (sessions service), remove
// their effective roles, and write a receipt. Idempotent on the event id: the receipt is
// unique per event, and every step is safe to repeat (a retry re-lists recently revoked
// sessions, which heals a deny-list write lost to a Redis failure). Reactivation restores
// nothing: revoked sessions stay revoked; roles are recomputed from current memberships by
// the roles job when a user.reactivated event arrives.
import { QUEUES } from "../queues.ts";
import { defineJob } from "./job.ts";

export const deprovisionJob = defineJob({
  name: "deprovision",
  payload: QUEUES.deprovision.payload,
  async handle(deps, p) {
    const eventId = BigInt(p.eventId);
    if (await deps.receipts.exists(eventId)) return { duplicate: true };
    const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { createdAt: true, tenantId: true } });
    // The event is past retention (or its tenant was deleted): nothing left to revoke.
    if (!event || event.tenantId !== p.tenantId) return { missing: true };

    const revoked = await deps.sessions.revokeUserSessions(p.tenantId, p.userId, p.type === "user.deleted" ? "user_deleted" : "user_deactivated");
    const completedAt = new Date();
    const written = await deps.db.$transaction(async (tx) => {
      // Roles to none. Only if the user is still inactive: if they were reactivated meanwhile,
      // their roles are the roles job's business (recomputed from current memberships).
      const rolesRemoved = (
        await tx.effectiveRole.deleteMany({ where: { tenantId: p.tenantId, userId: p.userId, user: { active: false } } })
      ).count;
      return deps.receipts.record({
        tenantId: p.tenantId, userId: p.userId, eventId, reason: p.type, sessionsRevoked: revoked.sessions,
        refreshTokensRevoked: revoked.refreshTokens, rolesRemoved, eventAt: event.createdAt, completedAt,
      }, tx);
    });
    return { ...revoked, written };
  },
});
