// The shape every job file exports, and the narrow dependencies jobs receive.
import type { Job } from "bullmq";
import type pg from "pg";
import type { z } from "zod";
import type { Config } from "../../src/config.ts";
import type { Db } from "../../src/db/client.ts";
import type { Logger } from "../../src/lib/logger.ts";
import type { ReceiptsService } from "../../src/modules/receipts/receipts.service.ts";
import type { RolesService } from "../../src/modules/roles/roles.service.ts";
import type { SessionsService } from "../../src/modules/sessions/sessions.service.ts";
import type { WebhooksService } from "../../src/modules/webhooks/webhooks.service.ts";
import type { Payload, QueueBackend, QueueKey } from "../queues.ts";

export interface JobDeps {
  db: Db;
  /** The container's pg pool, for the few hot statements written in SQL. */
  pool: pg.Pool;
  config: Config;
  logger: Logger;
  queues: QueueBackend;
  sessions: Pick<SessionsService, "revokeUserSessions">;
  roles: Pick<RolesService, "recomputeAndAnnounce" | "usersForMapping" | "clearForUser">;
  receipts: ReceiptsService;
  webhooks: Pick<WebhooksService, "secretOf">;
}

export interface JobContext {
  job: Job;
  /** The worker's lock token (needed to move the job to delayed). */
  token: string | undefined;
}

export interface JobDefinition<K extends QueueKey> {
  name: K;
  payload: z.ZodType<Payload<K>>;
  handle(deps: JobDeps, payload: Payload<K>, ctx: JobContext): Promise<unknown>;
}

export const defineJob = <K extends QueueKey>(def: JobDefinition<K>) => def;
