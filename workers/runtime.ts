// Starts the directory-sync side of Roster on a container: one BullMQ worker per queue, the
// outbox relay, and the retention scheduler. Used by workers/main.ts (its own process) and by
// src/server.ts (embedded / ROSTER_RUN_WORKERS). stop() is graceful: the relay finishes its
// batch, workers finish their active jobs (BullMQ re-queues anything a killed process held).
import { UnrecoverableError, type Job, type Processor, type Worker } from "bullmq";
import type { Container } from "../src/container.ts";
import { cleanupJob } from "./jobs/cleanup.job.ts";
import { deprovisionJob } from "./jobs/deprovision.job.ts";
import type { JobDefinition, JobDeps } from "./jobs/job.ts";
import { rolesJob } from "./jobs/roles.job.ts";
import { markExhausted, webhookBackoff, webhookDeliveryJob } from "./jobs/webhook-delivery.job.ts";
import { jobOptions, type QueueKey } from "./queues.ts";
import { createRelay, type Relay } from "./relay.ts";

export interface SyncRuntime {
  relay?: Relay;
  stop(): Promise<void>;
}

export interface SyncOptions {
  relay?: boolean;
  workers?: boolean;
}

function processorFor<K extends QueueKey>(def: JobDefinition<K>, deps: JobDeps): Processor {
  return async (job, token) => {
    const parsed = def.payload.safeParse(job.data);
    // A payload that does not match its schema will never succeed: do not retry it.
    if (!parsed.success) throw new UnrecoverableError(`invalid ${def.name} payload: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    return def.handle(deps, parsed.data, { job, token });
  };
}

async function closeWithin(w: Worker, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const graceful = w.close();
  graceful.catch(() => {});
  const timedOut = ms <= 0 || (await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), ms)))]));
  clearTimeout(timer);
  // BullMQ's close() waits for the connection while Redis is unreachable: give up on it; the
  // backend's close() then drops the connections themselves.
  if (timedOut) void w.close(true).catch(() => {});
}

export async function startSync(container: Container, opts: SyncOptions = {}): Promise<SyncRuntime> {
  const { config, logger, db, services } = container;
  const queues = await container.queues();
  const deps: JobDeps = {
    db, pool: container.pool, config, logger, queues,
    sessions: services.sessions, roles: services.roles, receipts: services.receipts, webhooks: services.webhooks,
  };
  const stops: (() => Promise<void>)[] = [];
  const workers: Worker[] = [];

  if (opts.workers ?? true) {
    const concurrency: Record<QueueKey, number> = {
      deprovision: config.WORKER_CONCURRENCY, roles: Math.max(1, Math.ceil(config.WORKER_CONCURRENCY / 4)),
      webhooks: config.WEBHOOK_CONCURRENCY, maintenance: 1,
    };
    const defs = [deprovisionJob, rolesJob, webhookDeliveryJob, cleanupJob] as JobDefinition<QueueKey>[];
    for (const def of defs) {
      const worker = queues.createWorker(def.name, processorFor(def, deps), {
        concurrency: concurrency[def.name],
        lockDuration: config.WORKER_LOCK_DURATION_MS,
        stalledInterval: Math.min(config.WORKER_LOCK_DURATION_MS, 30_000),
        settings: { backoffStrategy: (attemptsMade: number) => webhookBackoff(attemptsMade, config.WEBHOOK_RETRY_BASE_MS, config.WEBHOOK_RETRY_MAX_MS) },
      });
      worker.on("failed", (job: Job | undefined, err: Error) => {
        logger.warn({ queue: def.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, "job failed");
        if (def.name === "webhooks") void markExhausted(deps, job).catch(() => {});
      });
      worker.on("error", (err: Error) => logger.warn({ queue: def.name, err: err.message }, "worker error"));
      workers.push(worker);
    }
    // Retention runs hourly; the scheduler is idempotent, so every worker process may upsert
    // it. Never awaited here: with the backend down, start-up must not wait for it.
    let scheduleTimer: NodeJS.Timeout | undefined;
    const schedule = () =>
      queues
        .queue("maintenance")
        .upsertJobScheduler("retention-cleanup", { every: 3600_000 }, { name: "maintenance", data: { task: "cleanup" }, opts: jobOptions("maintenance") })
        .catch(() => {
          scheduleTimer = setTimeout(schedule, 30_000);
          scheduleTimer.unref();
        });
    void schedule();
    stops.push(async () => clearTimeout(scheduleTimer));
  }

  let relay: Relay | undefined;
  if (opts.relay ?? true) {
    relay = createRelay({
      db, pool: container.pool, databaseUrl: container.databaseUrl, queues, logger, sweepMs: config.RELAY_SWEEP_MS, webhookAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    });
    await relay.start();
    stops.unshift(() => relay!.stop()); // stop feeding before the workers drain
  }
  logger.info({ backend: queues.kind, relay: !!relay, workers: opts.workers ?? true }, "directory-sync worker started");

  let stopping: Promise<void> | undefined;
  return {
    relay,
    stop() {
      return (stopping ??= (async () => {
        for (const s of stops) await s().catch((err: Error) => logger.warn({ err: err.message }, "error while stopping the relay"));
        // Active jobs get a grace period to finish; after it (or with the backend unreachable,
        // where close() would wait for a connection) the worker is dropped and BullMQ hands
        // its jobs to another worker once their locks expire.
        const grace = queues.connected() ? 20_000 : 0;
        await Promise.all(workers.map((w) => closeWithin(w, grace).catch((err: Error) => logger.warn({ err: err.message }, "error while stopping a worker"))));
      })());
    },
  };
}
