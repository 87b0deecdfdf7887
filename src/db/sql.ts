// Plain SQL over the shared pg pool, for the SCIM hot path. Statements are built with
// Prisma.sql tagged templates (values always bound, never interpolated) and run with pg.
import type pg from "pg";
import type { Prisma } from "./client.ts";

/** A pool, or the client of a transaction: anything that can run a statement. */
export type Queryable = pg.Pool | pg.PoolClient;

export async function query<T>(q: Queryable, statement: Prisma.Sql): Promise<T[]> {
  const result = await q.query(statement.text, statement.values as unknown[]);
  return result.rows as T[];
}

export async function queryOne<T>(q: Queryable, statement: Prisma.Sql): Promise<T | undefined> {
  return (await query<T>(q, statement))[0];
}

/** Runs fn in one transaction on one connection; commits if it returns, rolls back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** jsonb parameters go as text: pg would turn a JS array into a PostgreSQL array. */
export const json = (value: unknown): string => JSON.stringify(value);
