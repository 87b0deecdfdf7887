// A short identity of the database instance (cluster system identifier + database oid). Job
// ids in Redis are derived from event ids, which restart at 1 in a new database: namespacing
// the queues with this identity keeps a recreated database from colliding with the completed
// jobs a previous one left in the same Redis (they would silently dedupe its new events).
import { createHash } from "node:crypto";
import type pg from "pg";

export async function databaseIdentity(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ oid: string; name: string }>(
    `SELECT oid::text AS oid, datname AS name FROM pg_database WHERE datname = current_database()`,
  );
  // pg_control_system() needs privileges a managed database may not grant; without it the
  // oid still tells a recreated database apart on the same server.
  const system = await pool
    .query<{ id: string }>(`SELECT system_identifier::text AS id FROM pg_control_system()`)
    .then((r) => r.rows[0]?.id ?? "", () => "");
  return createHash("sha256").update(`${system}/${rows[0]!.oid}/${rows[0]!.name}`).digest("hex").slice(0, 10);
}
