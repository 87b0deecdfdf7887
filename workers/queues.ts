// The one typed registry of Roster's background queues and their job payloads, and the two
// BullMQ backends they run on: Redis (REDIS_URL set) or BullMQ's official PostgreSQL backend
// on Roster's own database (no REDIS_URL: `npm start` needs nothing else). Both backends expose
// the same Queue/Worker API, so jobs and the relay never know which one they run on.
import { createPostgresBackend, DEFAULT_SCHEMA, Queue, runMigrations, Worker, type JobsOptions, type Processor, type WorkerOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import pg from "pg";
import { z } from "zod";
import type { Logger } from "../src/lib/logger.ts";

const eventId = z.string().regex(/^\d{1,19}$/, "an event id");
const id = z.string().min(1).max(64);

/** Queue key → BullMQ queue name, payload schema and default job options. */
export const QUEUES = {
  deprovision: {
    name: "roster-deprovision",
    payload: z.object({ eventId, tenantId: id, userId: id, type: z.enum(["user.deactivated", "user.deleted"]), eventAt: z.iso.datetime().optional() }).strict(),
    // Revocation must happen; retry fast and for a long while (Redis or PostgreSQL hiccups).
    defaults: { attempts: 25, backoff: { type: "exponential", delay: 200, jitter: 0.5 } } satisfies JobsOptions,
  },
  roles: {
    name: "roster-roles",
    payload: z.object({ eventId, tenantId: id, type: z.enum(["group.members_changed", "group.updated", "group.deleted", "user.reactivated", "role_mapping.created", "role_mapping.deleted"]), resourceId: id }).strict(),
    defaults: { attempts: 15, backoff: { type: "exponential", delay: 500, jitter: 0.5 } } satisfies JobsOptions,
  },
  webhooks: {
    name: "roster-webhooks",
    payload: z.object({ eventId, tenantId: id, endpointId: id, manual: z.boolean().optional() }).strict(),
    // attempts come from WEBHOOK_MAX_ATTEMPTS; the "webhook" backoff is the worker's strategy.
    defaults: { backoff: { type: "webhook" } } satisfies JobsOptions,
  },
  maintenance: {
    name: "roster-maintenance",
    payload: z.object({ task: z.enum(["cleanup"]) }).strict(),
    defaults: { attempts: 3, backoff: { type: "exponential", delay: 5000 } } satisfies JobsOptions,
  },
} as const;

export type QueueKey = keyof typeof QUEUES;
export type Payload<K extends QueueKey> = z.infer<(typeof QUEUES)[K]["payload"]>;

/**
 * Job ids make enqueueing idempotent: the relay may enqueue an event twice (crash between
 * enqueue and marking it relayed; two relays) and BullMQ keeps one job per id. BullMQ
 * refuses integer ids, hence the prefix.
 */
export const jobIds = {
  event: (eventId: string | bigint) => `evt-${eventId}`,
  delivery: (eventId: string | bigint, endpointId: string) => `wh-${eventId}-${endpointId}`,
};

/** Completed jobs stay a day so a late duplicate enqueue still collapses onto them. */
const RETENTION: JobsOptions = { removeOnComplete: { age: 24 * 3600, count: 100_000 }, removeOnFail: { age: 14 * 24 * 3600 } };

export function jobOptions<K extends QueueKey>(key: K, extra: JobsOptions = {}): JobsOptions {
  return { ...RETENTION, ...QUEUES[key].defaults, ...extra };
}

export interface NewJob<K extends QueueKey = QueueKey> {
  data: Payload<K>;
  jobId: string;
  opts?: JobsOptions;
}

export interface QueueBackend {
  readonly kind: "redis" | "postgres";
  /** Producer side: add jobs (fails fast when the backend is unreachable). */
  add<K extends QueueKey>(key: K, jobs: NewJob<K>[]): Promise<void>;
  queue(key: QueueKey): Queue;
  /** Whether the consumer connection is up (graceful worker shutdown needs it). */
  connected(): boolean;
  createWorker(key: QueueKey, processor: Processor, opts: Omit<WorkerOptions, "connection">): Worker;
  close(): Promise<void>;
}

export interface QueueBackendOptions {
  redisUrl?: string;
  databaseUrl: string;
  logger: Logger;
  /** Redis key prefix (the PostgreSQL backend lives in its own schema of Roster's database). */
  prefix?: string;
}

/** Builds the backend; for PostgreSQL this applies BullMQ's own schema migrations first. */
export async function createQueueBackend(opts: QueueBackendOptions): Promise<QueueBackend> {
  return opts.redisUrl ? createRedisBackend(opts.redisUrl, opts.logger, opts.prefix ?? "roster") : createPgBackend(opts.databaseUrl, opts.logger);
}

function common(
  kind: "redis" | "postgres", makeQueue: (name: string) => Queue, makeWorker: QueueBackend["createWorker"],
  closeConnections: () => Promise<void>, connected: () => boolean,
): QueueBackend {
  const queues = new Map<QueueKey, { queue: Queue; ready: Promise<Queue> }>();
  const workers: Worker[] = [];
  // A BullMQ Queue whose first connection attempt failed stays failed for good, so a producer
  // that cannot get ready within a few seconds is dropped and rebuilt on the next add().
  const entry = (key: QueueKey) => {
    let e = queues.get(key);
    if (!e) {
      const queue = makeQueue(QUEUES[key].name);
      queue.on("error", () => {}); // surfaced through the add() that fails
      let timer: NodeJS.Timeout | undefined;
      const ready = Promise.race([
        queue.waitUntilReady().then(() => queue),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`queue ${QUEUES[key].name} not ready`)), 3000))),
      ]).finally(() => clearTimeout(timer));
      const created = { queue, ready };
      ready.catch(() => {
        if (queues.get(key) === created) queues.delete(key);
        void queue.close().catch(() => {});
      });
      queues.set(key, (e = created));
    }
    return e;
  };
  return {
    kind,
    connected,
    queue: (key) => entry(key).queue,
    async add(key, jobs) {
      if (!jobs.length) return;
      const queue = await entry(key).ready;
      await queue.addBulk(jobs.map((j) => ({ name: key, data: j.data, opts: jobOptions(key, { jobId: j.jobId, ...j.opts }) })));
    },
    createWorker(key, processor, wopts) {
      const w = makeWorker(key, processor, wopts);
      workers.push(w);
      return w;
    },
    async close() {
      // Closing waits for the connection; with the backend unreachable, just drop them.
      const up = connected();
      const closing = Promise.allSettled([...workers.map((w) => w.close(!up)), ...[...queues.values()].map((e) => e.queue.close())]);
      if (up) await closing;
      await closeConnections();
    },
  };
}

function createRedisBackend(url: string, logger: Logger, prefix: string): QueueBackend {
  const base: RedisOptions = { connectTimeout: 2000, retryStrategy: (n) => Math.min(100 * 2 ** n, 2000) };
  // Producers fail fast: the relay must see an error (and keep the event unrelayed), not hang.
  const producer = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Workers wait for Redis to come back (BullMQ requires maxRetriesPerRequest: null here).
  const consumer = new Redis(url, { ...base, maxRetriesPerRequest: null });
  let lastWarn = 0;
  for (const c of [producer, consumer]) {
    c.on("error", (err) => {
      if (Date.now() - lastWarn > 5000) logger.warn({ err: err.message }, "queue redis connection error");
      lastWarn = Date.now();
    });
  }
  return common(
    "redis",
    (name) => new Queue(name, { connection: producer, prefix }),
    (key, processor, wopts) => new Worker(QUEUES[key].name, processor, { ...wopts, connection: consumer, prefix }),
    async () => {
      producer.disconnect();
      // QUIT would wait for a connection that may never come back.
      if (consumer.status === "ready") await consumer.quit().catch(() => consumer.disconnect());
      else consumer.disconnect();
    },
    () => consumer.status === "ready",
  );
}

async function createPgBackend(databaseUrl: string, logger: Logger): Promise<QueueBackend> {
  // One pool for all queues and workers; each worker keeps one LISTEN client checked out.
  // BullMQ's SQL names its functions unqualified: a pool we build must pin search_path to its schema.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 24, connectionTimeoutMillis: 5000, options: `-c search_path=${DEFAULT_SCHEMA}` });
  pool.on("error", (err) => logger.warn({ err: err.message }, "queue postgres pool error"));
  const client = await pool.connect();
  try {
    await runMigrations(client);
  } finally {
    client.release();
  }
  const factory = createPostgresBackend as never;
  return common(
    "postgres",
    (name) => new Queue(name, { connection: pool as never }, factory),
    (key, processor, wopts) => new Worker(QUEUES[key].name, processor, { ...wopts, connection: pool as never }, factory) as unknown as Worker,
    () => pool.end(),
    () => true,
  );
}
