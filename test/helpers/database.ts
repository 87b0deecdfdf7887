// Each test file gets its own fresh database, cloned from a template that has every
// migration applied. The template is named after a digest of prisma/migrations, so a
// schema change builds a new one; CREATE DATABASE … TEMPLATE takes ~100 ms.
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations, migrationsDir } from "../../src/db/migrate.ts";

const TEMPLATE_LOCK = 7281002;

export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function migrationsDigest(): string {
  const h = createHash("sha256");
  for (const name of readdirSync(migrationsDir).sort()) {
    h.update(name);
    if (name.endsWith(".toml")) continue;
    h.update(readFileSync(join(migrationsDir, name, "migration.sql")));
  }
  return h.digest("hex").slice(0, 12);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(admin: pg.Client): Promise<string> {
  const name = `roster_tpl_${migrationsDigest()}`;
  await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      await applyMigrations(withDatabase(serverUrl(), building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      // Old templates of earlier schemas are no longer needed.
      const old = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'roster_tpl_%' AND datname <> $1", [name]);
      for (const r of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]);
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  const name = `roster_t_${randomBytes(6).toString("hex")}`;
  await withClient(server, async (admin) => {
    const template = await ensureTemplate(admin);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  });
  return {
    url: withDatabase(server, name),
    name,
    drop: () => withClient(server, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
