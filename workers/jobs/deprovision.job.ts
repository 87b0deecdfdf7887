// Deprovisioning: on user.deactivated or user.deleted, revoke every session of the user, kill
// their refresh-token families, deny-list their live session ids (sessions service), remove
// their effective roles, and write a receipt. Idempotent on the event id: the receipt is
// unique per event, and every step is safe to repeat (a retry re-lists recently revoked
// sessions, which heals a deny-list write lost to a Redis failure). Reactivation restores
// nothing: revoked sessions stay revoked; roles are recomputed from current memberships by
// the roles job when a user.reactivated event arrives.
import { QUEUES } from "../queues.ts";
import { uuidv7 } from "../relay.ts";
import { defineJob } from "./job.ts";

export const deprovisionJob = defineJob({
  name: "deprovision",
  payload: QUEUES.deprovision.payload,
  async handle(deps, p) {
    const eventId = BigInt(p.eventId);
    let eventAt = p.eventAt ? new Date(p.eventAt) : undefined;
    if (!eventAt) {
      const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { createdAt: true, tenantId: true } });
      // The event is past retention (or its tenant was deleted): nothing left to revoke.
      if (!event || event.tenantId !== p.tenantId) return { missing: true };
      eventAt = event.createdAt;
    }
    // Revocation first and unconditionally: it is idempotent, and a duplicate run must still
    // heal a deny-list write that a Redis failure lost.
    const revoked = await deps.sessions.revokeUserSessions(p.tenantId, p.userId, p.type === "user.deleted" ? "user_deleted" : "user_deactivated");
    const completedAt = new Date();
    // Roles to none (only while the user is still inactive: after a reactivation roles are the
    // roles job's business) and the receipt, in one statement. A duplicate run writes nothing.
    const { rows } = await deps.pool.query<{ written: boolean }>(
      `WITH removed AS (
         DELETE FROM "EffectiveRole" er USING "User" u
          WHERE er."tenantId" = $1 AND er."userId" = $2 AND u.id = er."userId" AND u."tenantId" = er."tenantId" AND NOT u.active
          RETURNING 1),
       ins AS (
         INSERT INTO "DeprovisionReceipt" (id, "tenantId", "userId", "eventId", reason, "sessionsRevoked", "refreshTokensRevoked", "rolesRemoved", "eventAt", "completedAt", "elapsedMs")
         SELECT $3, $1, $2, $4::bigint, $5, $6, $7, (SELECT count(*) FROM removed), $8, $9, $10
         ON CONFLICT ("eventId") DO NOTHING RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM ins) AS written`,
      [p.tenantId, p.userId, uuidv7(), eventId.toString(), p.type, revoked.sessions, revoked.refreshTokens, eventAt, completedAt,
        Math.max(0, completedAt.getTime() - eventAt.getTime())],
    );
    return { ...revoked, written: rows[0]?.written ?? false };
  },
});
