// The outbox relay: moves committed Event rows (relayedAt IS NULL) into BullMQ jobs.
//
// Design
// - Woken by PostgreSQL LISTEN/NOTIFY: a statement trigger on "Event" notifies
//   `roster_events`, and PostgreSQL delivers a NOTIFY only when the inserting transaction
//   commits. A sweep every RELAY_SWEEP_MS is the safety net (lost notifications, a dropped
//   LISTEN connection, events committed while no relay ran).
// - A batch is claimed with `FOR UPDATE SKIP LOCKED`, so any number of relays may run: each
//   row is claimed by one at a time. Within the claiming transaction the relay creates the
//   webhook delivery rows, enqueues the jobs, and only then marks the rows relayed. If the
//   enqueue fails (Redis down) the transaction rolls back and the events wait for the next
//   try; SCIM writes never notice, because they only insert Event rows.
// - A crash between enqueue and commit re-relays the batch: job ids are deterministic
//   (`evt-<eventId>`, `wh-<eventId>-<endpointId>`), so duplicates collapse in BullMQ, and every
//   consumer is idempotent on the event id anyway (at-least-once).
//
// Ordering per resource: each event becomes one job per interested queue, routed by type:
// - deprovision and role recomputation are order-insensitive by construction: they act on
//   the *current* state (revoke everything the user has now; recompute roles from current
//   memberships), so running two of one user's events in either order, or twice, ends in the
//   same state.
// - webhook deliveries are the one consumer whose receivers see the order. A delivery for
//   event N of a resource starts only when every earlier event of that resource has been
//   relayed and its delivery to the same endpoint has settled (succeeded or dead); otherwise
//   the job parks itself as delayed and checks again (see webhook-delivery.job.ts). That
//   holds with several relays (SKIP LOCKED may commit batches out of order) and several
//   workers, and across retries, which a FIFO queue alone would not give.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { listen, type Listener } from "../src/db/listen.ts";
import type { Db } from "../src/db/client.ts";
import type { Logger } from "../src/lib/logger.ts";
import { jobIds, QUEUES, type NewJob, type Payload, type QueueBackend } from "./queues.ts";

export const EVENTS_CHANNEL = "roster_events";

/** RFC 9562 UUIDv7 (time-ordered), as Prisma's uuid(7) default makes them. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface ClaimedEvent {
  id: bigint | string;
  tenantId: string;
  type: string;
  resourceType: string;
  resourceId: string;
  createdAt?: Date;
}

interface EndpointRow {
  id: string;
  tenantId: string;
  eventTypes: string[];
}

/** Whether an endpoint subscribes to a type: an empty list means every type. */
export function subscribes(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.length === 0 || eventTypes.includes(type) || eventTypes.includes(`${type.split(".")[0]}.*`);
}

export interface RoutedJobs {
  deprovision: NewJob<"deprovision">[];
  roles: NewJob<"roles">[];
  webhooks: NewJob<"webhooks">[];
}

/** Events that can change someone's effective roles (the roles job sorts out which did). */
type RoleEvent = Payload<"roles">["type"];
const ROLE_EVENTS = new Set<string>(QUEUES.roles.payload.shape.type.options);
const isRoleEvent = (type: string): type is RoleEvent => ROLE_EVENTS.has(type);

/** Pure routing: which jobs one batch of events becomes. */
export function routeEvents(events: ClaimedEvent[], endpoints: EndpointRow[]): RoutedJobs {
  const out: RoutedJobs = { deprovision: [], roles: [], webhooks: [] };
  for (const e of events) {
    const eventId = e.id.toString();
    const jobId = jobIds.event(eventId);
    if (e.type === "user.deactivated" || e.type === "user.deleted") {
      out.deprovision.push({ jobId, data: { eventId, tenantId: e.tenantId, userId: e.resourceId, type: e.type, ...(e.createdAt ? { eventAt: e.createdAt.toISOString() } : {}) } });
    }
    if (isRoleEvent(e.type)) {
      out.roles.push({ jobId, data: { eventId, tenantId: e.tenantId, type: e.type, resourceId: e.resourceId } });
    }
    for (const ep of endpoints) {
      if (ep.tenantId !== e.tenantId || !subscribes(ep.eventTypes, e.type)) continue;
      out.webhooks.push({ jobId: jobIds.delivery(eventId, ep.id), data: { eventId, tenantId: e.tenantId, endpointId: ep.id } });
    }
  }
  return out;
}

export interface RelayOptions {
  db: Db;
  pool: pg.Pool;
  databaseUrl: string;
  queues: QueueBackend;
  logger: Logger;
  sweepMs: number;
  batchSize?: number;
  webhookAttempts: number;
}

export interface RelayLag {
  unrelayed: number;
  oldestUnrelayedAgeMs: number;
}

/** The oldest unrelayed event's age and how many wait (counted up to 100 000). */
export async function relayLag(db: Db): Promise<RelayLag> {
  const [row] = await db.$queryRaw<{ n: number; age: number | null }[]>`
    SELECT (SELECT count(*)::int FROM (SELECT 1 FROM "Event" WHERE "relayedAt" IS NULL LIMIT 100000) x) AS n,
           (SELECT (extract(epoch FROM clock_timestamp() - "createdAt") * 1000)::float8 FROM "Event"
             WHERE "relayedAt" IS NULL ORDER BY id LIMIT 1) AS age`;
  return { unrelayed: row?.n ?? 0, oldestUnrelayedAgeMs: Math.max(0, Math.round(row?.age ?? 0)) };
}

export function createRelay(opts: RelayOptions) {
  const { db, queues, logger } = opts;
  const batchSize = opts.batchSize ?? 500;
  let stopped = true;
  let listener: Listener | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  /**
   * Claims, enqueues and marks one batch; returns how many events it relayed. Plain pg on the
   * container's pool rather than a Prisma interactive transaction: this runs for every event
   * and is on the deprovisioning latency path.
   */
  async function relayBatch(): Promise<number> {
    const client = await opts.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows: events } = await client.query<ClaimedEvent & { id: string; createdAt: Date }>(
        `SELECT id::text AS id, "tenantId", type, "resourceType", "resourceId", "createdAt" FROM "Event"
          WHERE "relayedAt" IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [batchSize]);
      if (!events.length) {
        await client.query("COMMIT");
        return 0;
      }
      const tenants = [...new Set(events.map((e) => e.tenantId))];
      const { rows: endpoints } = await client.query<EndpointRow>(
        `SELECT id, "tenantId", "eventTypes" FROM "WebhookEndpoint" WHERE "tenantId" = ANY($1::text[]) AND enabled`, [tenants]);
      const routed = routeEvents(events, endpoints);
      if (routed.webhooks.length) {
        const byId = new Map(events.map((e) => [e.id, e]));
        const rows = routed.webhooks.map((j) => ({ j, e: byId.get(j.data.eventId)! }));
        await client.query(
          `INSERT INTO "WebhookDelivery" (id, "tenantId", "endpointId", "eventId", "eventType", "resourceKey", "updatedAt")
           SELECT u.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u
           ON CONFLICT ("endpointId", "eventId") DO NOTHING`,
          [rows.map(() => uuidv7()), rows.map((r) => r.e.tenantId), rows.map((r) => r.j.data.endpointId), rows.map((r) => r.e.id),
            rows.map((r) => r.e.type), rows.map((r) => `${r.e.resourceType}/${r.e.resourceId}`)],
        );
      }
      await Promise.all([
        queues.add("deprovision", routed.deprovision),
        queues.add("roles", routed.roles),
        queues.add("webhooks", routed.webhooks.map((j) => ({ ...j, opts: { attempts: opts.webhookAttempts } }))),
      ]);
      await client.query(`UPDATE "Event" SET "relayedAt" = clock_timestamp() WHERE id = ANY($1::bigint[])`, [events.map((e) => e.id)]);
      await client.query("COMMIT");
      return events.length;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      while (!stopped) {
        const n = await relayBatch();
        if (n < batchSize) break;
      }
    } while (again && !stopped);
  }

  /** Runs a drain unless one is running (then it runs once more after it). */
  function wake() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .then(() => {
        if (failures) logger.info({ after: failures }, "relay recovered");
        failures = 0;
      })
      .catch((err: unknown) => {
        failures++;
        // Redis or PostgreSQL unavailable: back off (capped at 5 s) and try again.
        if (failures === 1 || failures % 20 === 0) logger.warn({ err: (err as Error).message, failures }, "relay could not enqueue; will retry");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(wake, Math.min(100 * 2 ** failures, 5000));
      })
      .finally(() => {
        running = undefined;
        if (again && !failures) wake();
      });
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      listener = listen({ databaseUrl: opts.databaseUrl, channel: EVENTS_CHANNEL, logger, onNotification: () => wake(), onListening: wake });
      sweepTimer = setInterval(wake, opts.sweepMs);
      sweepTimer.unref();
      wake();
    },
    /** Stops waking, waits for a running batch to finish, closes the LISTEN connection. */
    async stop() {
      stopped = true;
      clearInterval(sweepTimer);
      clearTimeout(retryTimer);
      await running?.catch(() => {});
      await listener?.stop();
      listener = undefined;
    },
    /** One drain now (tests and the CLI); resolves with nothing left to relay or throws. */
    async relayNow(): Promise<void> {
      const wasStopped = stopped;
      stopped = false;
      try {
        while ((await relayBatch()) === batchSize);
      } finally {
        stopped = wasStopped;
      }
    },
    lag: () => relayLag(db),
  };
}

export type Relay = ReturnType<typeof createRelay>;
