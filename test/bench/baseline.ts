// The raw baseline: a minimal Hono + node-postgres server doing only the irreducible work of
// each benchmark scenario on the same data (a token digest check, one indexed query, or one
// transaction writing the row and an event row). Same URLs as Roster, so one load script
// drives both. Run as its own process: `node --import tsx test/bench/baseline.ts`.
import { createHash, timingSafeEqual } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pg from "pg";

const url = process.env.DATABASE_URL!;
const tenantId = process.env.BENCH_TENANT_ID!;
const port = Number(process.env.PORT ?? 0);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const { rows: tokenRows } = await pool.query(`SELECT digest FROM "ScimToken" WHERE "tenantId" = $1 AND "revokedAt" IS NULL LIMIT 1`, [tenantId]);
const digest = Buffer.from(tokenRows[0].digest as string);

const app = new Hono();
app.use("*", async (c, next) => {
  const token = c.req.header("authorization")?.slice(7) ?? "";
  const d = Buffer.from(createHash("sha256").update(token).digest("hex"));
  if (d.length !== digest.length || !timingSafeEqual(d, digest)) return c.json({ status: "401" }, 401);
  await next();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/scim+json" } });
const list = (rows: unknown[], total: number) => json({ totalResults: total, Resources: rows });

app.get("/scim/v2/Users", async (c) => {
  const filter = c.req.query("filter");
  const startIndex = Number(c.req.query("startIndex") ?? 1);
  const count = Number(c.req.query("count") ?? 100);
  const cursor = c.req.query("cursor");
  if (filter) {
    const eq = /^userName eq "(.*)"$/.exec(filter);
    if (eq) {
      const { rows } = await pool.query(`SELECT * FROM "User" WHERE "tenantId" = $1 AND "userName" = $2`, [tenantId, eq[1]]);
      return list(rows, rows.length);
    }
    const sw = /^name\.givenName sw "(.*)" and userName co "(.*)"$/.exec(filter);
    if (sw) {
      const where = `"tenantId" = $1 AND lower(data->'name'->>'givenName') LIKE lower($2) AND lower("userName"::text) LIKE lower($3)`;
      const params = [tenantId, `${sw[1]}%`, `%${sw[2]}%`];
      const [page, total] = await Promise.all([
        pool.query(`SELECT * FROM "User" WHERE ${where} ORDER BY id LIMIT 100`, params),
        pool.query(`SELECT count(*) FROM "User" WHERE ${where}`, params),
      ]);
      return list(page.rows, Number(total.rows[0].count));
    }
    return json({ status: "400" }, 400);
  }
  if (cursor !== undefined) {
    const after = JSON.parse(Buffer.from(cursor, "base64url").toString()).a as string;
    const { rows } = await pool.query(`SELECT * FROM "User" WHERE "tenantId" = $1 AND id > $2 ORDER BY id LIMIT $3`, [tenantId, after, count]);
    return list(rows, rows.length);
  }
  const [page, total] = await Promise.all([
    pool.query(`SELECT * FROM "User" WHERE "tenantId" = $1 ORDER BY id LIMIT $2 OFFSET $3`, [tenantId, count, startIndex - 1]),
    pool.query(`SELECT count(*) FROM "User" WHERE "tenantId" = $1`, [tenantId]),
  ]);
  return list(page.rows, Number(total.rows[0].count));
});

app.get("/scim/v2/Users/:id", async (c) => {
  const { rows } = await pool.query(`SELECT * FROM "User" WHERE "tenantId" = $1 AND id = $2`, [tenantId, c.req.param("id")]);
  return rows[0] ? json(rows[0]) : json({ status: "404" }, 404);
});

async function transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  } finally {
    client.release();
  }
}

const event = (client: pg.PoolClient, type: string, resourceType: string, id: string) =>
  client.query(`INSERT INTO "Event" ("tenantId", type, "resourceType", "resourceId", attributes, actor, data) VALUES ($1, $2, $3, $4, '{}', '{}', '{}')`, [tenantId, type, resourceType, id]);

app.post("/scim/v2/Users", async (c) => {
  const body = await c.req.json();
  const row = await transaction(async (client) => {
    const { rows } = await client.query(
      `INSERT INTO "User" (id, "tenantId", "userName", active, data, "updatedAt") VALUES (gen_random_uuid()::text, $1, $2, true, $3, now()) RETURNING *`,
      [tenantId, body.userName, JSON.stringify({ name: body.name, emails: body.emails })],
    );
    await event(client, "user.created", "User", rows[0].id);
    return rows[0];
  });
  return json(row, 201);
});

app.patch("/scim/v2/Users/:id", async (c) => {
  const body = await c.req.json();
  const active = body.Operations[0].value.active as boolean;
  const row = await transaction(async (client) => {
    const { rows } = await client.query(
      `UPDATE "User" SET active = $3, version = version + 1, "updatedAt" = now() WHERE "tenantId" = $1 AND id = $2 RETURNING *`,
      [tenantId, c.req.param("id"), active],
    );
    await event(client, "user.deactivated", "User", c.req.param("id"));
    return rows[0];
  });
  return json(row);
});

app.patch("/scim/v2/Groups/:id", async (c) => {
  const body = await c.req.json();
  const groupId = c.req.param("id");
  const add = body.Operations[0].value[0].value as string;
  const remove = /value eq "(.*)"/.exec(body.Operations[1].path)![1];
  await transaction(async (client) => {
    await client.query(`SELECT id FROM "Group" WHERE "tenantId" = $1 AND id = $2 FOR UPDATE`, [tenantId, groupId]);
    await client.query(`INSERT INTO "GroupMember" ("tenantId", "groupId", "userId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, groupId, add]);
    await client.query(`DELETE FROM "GroupMember" WHERE "tenantId" = $1 AND "groupId" = $2 AND "userId" = $3`, [tenantId, groupId, remove]);
    await client.query(`UPDATE "Group" SET version = version + 1, "updatedAt" = now() WHERE id = $1`, [groupId]);
    await event(client, "group.members_changed", "Group", groupId);
  });
  return new Response(null, { status: 204 });
});

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`baseline listening on ${info.port}\n`);
});
process.on("SIGTERM", () => pool.end().finally(() => process.exit(0)));
