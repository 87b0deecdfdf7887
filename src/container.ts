// The composition root: database, Redis, repositories and services, built once per process
// (and once per test file). Nothing here runs at import time.
import { Redis } from "ioredis";
import type { Config } from "./config.ts";
import { createDatabase } from "./db/client.ts";
import { expectedMigrations } from "./db/migrate.ts";
import type { Logger } from "./lib/logger.ts";
import { createAdminCredentialsService } from "./modules/admin-credentials/admin-credentials.service.ts";
import { createScimTokensRepo, REVOCATIONS_CHANNEL } from "./modules/scim-tokens/scim-tokens.repo.ts";
import { listen, type Listener } from "./db/listen.ts";
import { databaseIdentity } from "./db/identity.ts";
import { createScimTokensService } from "./modules/scim-tokens/scim-tokens.service.ts";
import { createTenantsRepo } from "./modules/tenants/tenants.repo.ts";
import { createTenantsService } from "./modules/tenants/tenants.service.ts";
import { createGroupsRepo } from "./modules/groups/groups.repo.ts";
import { createGroupsService } from "./modules/groups/groups.service.ts";
import { createUsersRepo } from "./modules/users/users.repo.ts";
import { createUsersService } from "./modules/users/users.service.ts";
import { createAccessTokens } from "./auth/access-tokens.ts";
import { resolveKeyEncryptionKey } from "./auth/key-encryption.ts";
import { createAuditRepo } from "./modules/audit/audit.repo.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import { createRolesRepo } from "./modules/roles/roles.repo.ts";
import { createRolesService } from "./modules/roles/roles.service.ts";
import { createDenyList } from "./modules/sessions/deny-list.ts";
import { createImpersonationService } from "./modules/sessions/impersonation.service.ts";
import { createSessionsRepo } from "./modules/sessions/sessions.repo.ts";
import { createSessionsService } from "./modules/sessions/sessions.service.ts";
import { createSigningKeysRepo } from "./modules/signing-keys/signing-keys.repo.ts";
import { createSigningKeysService } from "./modules/signing-keys/signing-keys.service.ts";
// Directory sync (issue 6): the queue backend is created lazily, on first use.
import { createQueueBackend, jobIds, jobOptions, type QueueBackend } from "../workers/queues.ts";
import { relayLag } from "../workers/relay.ts";
import { createEventsFeedService } from "./modules/events-feed/events-feed.service.ts";
import { createSyncMetricsService } from "./modules/metrics/sync-metrics.service.ts";
import { createReceiptsService } from "./modules/receipts/receipts.service.ts";
import { webhookMessageId } from "./modules/webhooks/signing.ts";
import { createWebhooksRepo } from "./modules/webhooks/webhooks.repo.ts";
import { createWebhooksService } from "./modules/webhooks/webhooks.service.ts";

export interface ContainerOptions {
  config: Config;
  logger: Logger;
  /** The resolved database URL (the embedded one when DATABASE_URL is unset). */
  databaseUrl: string;
}

const CLOSE_GRACE_MS = 3000;

/** Waits for p, at most ms; never throws. */
async function settleWithin(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.resolve(p).catch(() => {}), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

export function createContainer(opts: ContainerOptions) {
  const { config, logger, databaseUrl } = opts;
  const database = createDatabase(databaseUrl, config.DATABASE_POOL_SIZE);
  const { db, pool } = database;
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 2000, lazyConnect: false })
    : undefined;
  redis?.on("error", (err) => logger.warn({ err: err.message }, "redis connection error"));

  const cacheTtlMs = config.SCIM_TOKEN_CACHE_SECONDS * 1000;
  const scimTokens = createScimTokensService({
    repo: createScimTokensRepo(db),
    cacheTtlMs,
    onError: (err) => logger.warn({ err }, "could not record SCIM token use"),
  });
  const tenants = createTenantsService({
    repo: createTenantsRepo(db),
    beforeDelete: (id) => sessions.denyTenantSessions(id),
    onTenantDeleted: (id) => scimTokens.forgetTenant(id),
  });
  const adminCredentials = createAdminCredentialsService({ db, cacheTtlMs });

  // Sessions, tokens and RBAC (issue 5).
  const audit = createAuditService({ repo: createAuditRepo(db) });
  const roles = createRolesService({ db, repo: createRolesRepo(db), audit });
  const signingKeys = createSigningKeysService({
    repo: createSigningKeysRepo(db),
    keyEncryptionKey: resolveKeyEncryptionKey(config),
    tokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const accessTokens = createAccessTokens({
    keys: signingKeys, issuer: config.publicUrl, audience: config.ACCESS_TOKEN_AUDIENCE, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const denyList = createDenyList({
    db, redis, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    onRedisError: (err) => logger.warn({ err: (err as Error).message }, "deny-list read fell back to PostgreSQL"),
  });
  const sessions = createSessionsService({
    db, repo: createSessionsRepo(db), roles, tokens: accessTokens, denyList, audit,
    config: {
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: config.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    },
  });
  const impersonation = createImpersonationService({ sessions, roles, ttlSeconds: config.IMPERSONATION_TTL_SECONDS });

  const scimBaseUrl = `${config.publicUrl}/scim/v2`;
  const users = createUsersService({
    pool,
    repo: createUsersRepo(),
    scimBaseUrl,
    beforeDelete: (tenantId, userId) => sessions.revokeUserSessions(tenantId, userId, "user.deleted"),
  });
  // Role recomputation after membership changes is a job (workers/jobs/roles.job.ts) fed by
  // the group.members_changed event, so a 100k-member change never runs inside the request.
  const groups = createGroupsService({ pool, repo: createGroupsRepo(), scimBaseUrl });

  let queueBackend: Promise<QueueBackend> | undefined;
  const queues = () => (queueBackend ??= databaseIdentity(pool).then((id) =>
    createQueueBackend({ redisUrl: config.REDIS_URL, databaseUrl, logger, prefix: `${config.QUEUE_PREFIX}-${id}` })).catch((e) => {
    queueBackend = undefined;
    throw e;
  }));
  const receipts = createReceiptsService({ db });
  const eventsFeed = createEventsFeedService({ db, retentionDays: config.EVENT_RETENTION_DAYS });
  const syncMetrics = createSyncMetricsService({ db, relayLag: () => relayLag(db) });
  const webhooks = createWebhooksService({
    db, repo: createWebhooksRepo(db), keyEncryptionKey: resolveKeyEncryptionKey(config), messageId: webhookMessageId,
    allowInternalUrls: config.webhookAllowPrivateNetworks,
    async enqueueRedelivery(j) {
      await (await queues()).add("webhooks", [{
        jobId: `${jobIds.delivery(j.eventId, j.endpointId)}-r${Date.now()}`,
        data: { eventId: j.eventId, tenantId: j.tenantId, endpointId: j.endpointId, manual: true },
        opts: { ...jobOptions("webhooks"), attempts: 1 },
      }]);
    },
  });

  const services = { tenants, scimTokens, adminCredentials, users, groups, audit, roles, signingKeys, accessTokens, sessions, impersonation,
    webhooks, eventsFeed, receipts, syncMetrics };

  const health = {
    async pendingMigrations(): Promise<string[]> {
      const rows = await db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const applied = new Set(rows.map((r) => r.migration_name));
      return expectedMigrations().filter((m) => !applied.has(m));
    },
  };

  let revocations: Listener | undefined;

  return {
    config,
    logger,
    /**
     * Long-lived listeners of a web process: SCIM token revocations announced by any process
     * drop this process's cached tokens at once. (Tests that run one process skip this.)
     */
    startListeners() {
      revocations ??= listen({
        databaseUrl,
        channel: REVOCATIONS_CHANNEL,
        logger,
        onNotification: (payload) => scimTokens.onRevocationNotice(payload),
        onListening: () => scimTokens.clearCache(),
      });
    },
    db,
    pool,
    databaseUrl,
    redis,
    /** The BullMQ backend (Redis, or PostgreSQL without REDIS_URL), created on first use. */
    queues,
    scimBaseUrl,
    services,
    health,
    /**
     * Closes everything. A Redis that is down must not hold a shutdown hostage: a graceful
     * close gets a few seconds, then connections are dropped.
     */
    async close() {
      await revocations?.stop();
      if (queueBackend) await settleWithin((await queueBackend.catch(() => undefined))?.close(), CLOSE_GRACE_MS);
      await database.close();
      if (redis) {
        await settleWithin(redis.quit(), CLOSE_GRACE_MS);
        redis.disconnect();
      }
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
export type Services = Container["services"];
