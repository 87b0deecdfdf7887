// Applies prisma/migrations at start (and through `npm run db:migrate` for deploys), keeping
// Prisma's own _prisma_migrations bookkeeping so `prisma migrate deploy` stays compatible.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { migrate } from "../../scripts/migrate.mjs";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export function applyMigrations(connectionString: string, log: (line: string) => void = () => {}): Promise<string[]> {
  return migrate({ connectionString, dir: migrationsDir, log });
}

/** Names of the migrations this build expects, for /readyz. */
export function expectedMigrations(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
