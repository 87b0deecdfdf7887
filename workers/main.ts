// Entry of the worker process: config → container → BullMQ workers + outbox relay. Scale out
// by running more of these; they share work through the queue backend and `SKIP LOCKED`.
// SIGTERM/SIGINT stop the relay, let active jobs finish, then close connections.
// Needs DATABASE_URL (the embedded database belongs to the web process: use `npm start`).
import { ConfigError, loadConfig, type Config } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { createLogger } from "../src/lib/logger.ts";
import { startSync } from "./runtime.ts";

async function main() {
  let config: Config;
  try {
    config = loadConfig();
    if (!config.DATABASE_URL) throw new ConfigError("Invalid configuration:\n  DATABASE_URL: required by the worker process (embedded mode runs the worker inside `npm start`)");
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`roster-worker: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const container = createContainer({ config, logger, databaseUrl: config.DATABASE_URL! });
  const sync = await startSync(container);
  process.stdout.write(`roster worker ready (queue backend: ${(await container.queues()).kind})\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "worker shutting down");
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await sync.stop();
    await container.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((e) => {
  process.stderr.write(`roster-worker: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
