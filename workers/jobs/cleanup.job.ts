// Retention: deletes relayed events older than EVENT_RETENTION_DAYS (in batches, so one run
// never holds long locks) and expired deny-list rows. Unrelayed events are never deleted.
// Scheduled hourly through a BullMQ job scheduler; running it twice at once is harmless.
import { QUEUES } from "../queues.ts";
import { defineJob } from "./job.ts";

const BATCH = 5000;

export const cleanupJob = defineJob({
  name: "maintenance",
  payload: QUEUES.maintenance.payload,
  async handle(deps) {
    const cutoff = new Date(Date.now() - deps.config.EVENT_RETENTION_DAYS * 24 * 3600 * 1000);
    let events = 0;
    for (;;) {
      const n = await deps.db.$executeRaw`
        DELETE FROM "Event" WHERE id IN (
          SELECT id FROM "Event" WHERE "createdAt" < ${cutoff} AND "relayedAt" IS NOT NULL LIMIT ${BATCH})`;
      events += n;
      if (n < BATCH) break;
    }
    const { count: denyList } = await deps.db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    return { events, denyList };
  },
});
