// The composition root: database, Redis, repositories and services, built once per process
// (and once per test file). Nothing here runs at import time.
import { Redis } from "ioredis";
import type { Config } from "./config.ts";
import { createDb, type Db } from "./db/client.ts";
import { expectedMigrations } from "./db/migrate.ts";
import type { Logger } from "./lib/logger.ts";
import { createAdminCredentialsService } from "./modules/admin-credentials/admin-credentials.service.ts";
import { createScimTokensRepo } from "./modules/scim-tokens/scim-tokens.repo.ts";
import { createScimTokensService } from "./modules/scim-tokens/scim-tokens.service.ts";
import { createTenantsRepo } from "./modules/tenants/tenants.repo.ts";
import { createTenantsService } from "./modules/tenants/tenants.service.ts";
import { createGroupsRepo } from "./modules/groups/groups.repo.ts";
import { createGroupsService } from "./modules/groups/groups.service.ts";
import { createUsersRepo } from "./modules/users/users.repo.ts";
import { createUsersService } from "./modules/users/users.service.ts";

export interface ContainerOptions {
  config: Config;
  logger: Logger;
  /** The resolved database URL (the embedded one when DATABASE_URL is unset). */
  databaseUrl: string;
}

export function createContainer(opts: ContainerOptions) {
  const { config, logger, databaseUrl } = opts;
  const db: Db = createDb(databaseUrl, config.DATABASE_POOL_SIZE);
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
  const tenants = createTenantsService({ repo: createTenantsRepo(db), onTenantDeleted: (id) => scimTokens.forgetTenant(id) });
  const adminCredentials = createAdminCredentialsService({ db, cacheTtlMs });

  const scimBaseUrl = `${config.publicUrl}/scim/v2`;
  const users = createUsersService({ db, repo: createUsersRepo(), scimBaseUrl });
  const groups = createGroupsService({ db, repo: createGroupsRepo(), scimBaseUrl });

  const services = { tenants, scimTokens, adminCredentials, users, groups };

  const health = {
    async pendingMigrations(): Promise<string[]> {
      const rows = await db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const applied = new Set(rows.map((r) => r.migration_name));
      return expectedMigrations().filter((m) => !applied.has(m));
    },
  };

  return {
    config,
    logger,
    db,
    redis,
    scimBaseUrl,
    services,
    health,
    async close() {
      await db.$disconnect();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
export type Services = Container["services"];
