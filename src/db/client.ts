// One node-postgres pool per process, shared by Prisma (through @prisma/adapter-pg, no native
// engine) and by the SQL the SCIM hot path runs directly (src/db/sql.ts): measured on this
// stack, a Prisma interactive transaction costs 4–7× a plain pg one, and the SCIM writes an
// IdP makes by the thousand are exactly those.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;
/** The client handed to repositories inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(connectionString: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client's error (the server restarted) must not crash the process; the pool drops it.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    pool,
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

export { Prisma } from "../generated/prisma/client.ts";
