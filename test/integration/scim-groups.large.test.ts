// A 20,000-member group, seeded with SQL: adding or removing one member must not load the
// member list (DESIGN.md, Performance), and excludedAttributes=members must not return it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SIZE = 20_000;

/** Records every statement the app runs through its pg pool, in and out of transactions. */
function recordQueries() {
  const pool = h.container.pool as any;
  const seen: string[] = [];
  const originalQuery = pool.query;
  const originalConnect = pool.connect;
  pool.query = (text: unknown, ...rest: unknown[]) => {
    seen.push(String(typeof text === "object" ? (text as { text?: string }).text : text));
    return originalQuery.call(pool, text, ...rest);
  };
  pool.connect = (...args: unknown[]) => {
    // pool.query checks out its client with a callback; those statements are recorded above.
    if (typeof args[0] === "function") return originalConnect.apply(pool, args);
    return wrapClient(originalConnect.apply(pool, args));
  };
  const wrapClient = async (pending: Promise<any>) => {
    const client = await pending;
    const clientQuery = client.query;
    client.query = (text: unknown, ...rest: unknown[]) => {
      seen.push(String(typeof text === "object" ? (text as { text?: string }).text : text));
      return clientQuery.call(client, text, ...rest);
    };
    const release = client.release;
    client.release = (...r: unknown[]) => {
      client.query = clientQuery;
      client.release = release;
      return release.apply(client, r);
    };
    return client;
  };
  return { seen, restore: () => void ((pool.query = originalQuery), (pool.connect = originalConnect)) };
}
const loadsMembers = (sql: string[]) => sql.some((s) => /FROM "GroupMember" gm JOIN "User"/.test(s));

test("PATCH add and remove one member of a 20,000-member group answers 204 without loading members", async () => {
  const { token, tenantId } = await h.createTenant();
  const g = await h.scim(token, "POST", "/Groups", { displayName: "Everyone" });
  const gid = g.body.id as string;
  await h.container.db.$executeRawUnsafe(
    `INSERT INTO "User" (id, "tenantId", "userName") SELECT 'big-' || $1 || '-' || n, $1, 'user' || n || '@big.test' FROM generate_series(1, ${SIZE}) AS n`,
    tenantId,
  );
  await h.container.db.$executeRawUnsafe(
    `INSERT INTO "GroupMember" ("tenantId", "groupId", "userId") SELECT $1, $2, 'big-' || $1 || '-' || n FROM generate_series(1, ${SIZE}) AS n`,
    tenantId,
    gid,
  );
  const newcomer = await h.scim(token, "POST", "/Users", { userName: "newcomer@big.test" });
  const victim = `big-${tenantId}-777`;

  const rec = recordQueries();
  let add, rm;
  try {
    add = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: newcomer.body.id }] }] });
    rm = await h.scim(token, "PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: "remove", path: `members[value eq "${victim}"]` }] });
  } finally {
    rec.restore();
  }
  assert.equal(add.status, 204, show(add));
  assert.equal(add.text, "");
  assert.equal(rm.status, 204, show(rm));
  assert.ok(!loadsMembers(rec.seen), `the PATCH loaded the member list:\n${rec.seen.join("\n")}`);
  assert.equal(rm.headers.get("etag"), 'W/"3"', show(rm));

  assert.equal(await h.container.db.groupMember.count({ where: { groupId: gid } }), SIZE);
  assert.equal(await h.container.db.groupMember.count({ where: { groupId: gid, userId: newcomer.body.id } }), 1);
  assert.equal(await h.container.db.groupMember.count({ where: { groupId: gid, userId: victim } }), 0);

  const rec2 = recordQueries();
  let ex;
  try {
    ex = await h.scim(token, "GET", `/Groups/${gid}?excludedAttributes=members`);
  } finally {
    rec2.restore();
  }
  assert.equal(ex.status, 200, show(ex));
  assert.equal(ex.body.members, undefined, show(ex));
  assert.ok(ex.text.length < 2000, "no member list in the body");
  assert.ok(!loadsMembers(rec2.seen), `the GET loaded the member list:\n${rec2.seen.join("\n")}`);

  // Control: a read that includes members does go through the recorder (the check above can fail).
  const rec3 = recordQueries();
  try {
    const full = await h.scim(token, "GET", `/Groups/${gid}`);
    assert.equal(full.body.members.length, SIZE, "a full read returns every member");
  } finally {
    rec3.restore();
  }
  assert.ok(loadsMembers(rec3.seen), "the recorder sees member loads");
});
