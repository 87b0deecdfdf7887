// Deprovisioning: on user.deactivated or user.deleted, revoke every session of the user, kill
// their refresh-token families, deny-list their live session ids (sessions service), remove
// their effective roles, and write a receipt. Idempotent on the event id: the receipt is
// unique per event, and every step is safe to repeat (a retry re-lists recently revoked
// sessions, which heals a deny-list write lost to a Redis failure). Reactivation restores
// nothing: revoked sessions stay revoked; roles are recomputed from current memberships by
// the roles job when a user.reactivated event arrives.
import { withTransaction } from "../../src/db/sql.ts";
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
    // Roles to none (the roles service leaves a user who is active again alone: after a
    // reactivation roles are the roles job's business) and the receipt, in one transaction so
    // the receipt counts what this run removed. A duplicate run removes and writes nothing.
    const written = await withTransaction(deps.pool, async (tx) => {
      const rolesRemoved = await deps.roles.clearForUser(p.tenantId, p.userId, tx);
      const { rowCount } = await tx.query(
        `INSERT INTO "DeprovisionReceipt" (id, "tenantId", "userId", "eventId", reason, "sessionsRevoked", "refreshTokensRevoked", "rolesRemoved", "eventAt", "completedAt", "elapsedMs")
         VALUES ($3, $1, $2, $4::bigint, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT ("eventId") DO NOTHING`,
        [p.tenantId, p.userId, uuidv7(), eventId.toString(), p.type, revoked.sessions, revoked.refreshTokens, rolesRemoved, eventAt, completedAt,
          Math.max(0, completedAt.getTime() - eventAt.getTime())],
      );
      return (rowCount ?? 0) > 0;
    });
    return { ...revoked, written };
  },
});
