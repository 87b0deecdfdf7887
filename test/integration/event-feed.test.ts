// The change feed: id order, cursor pagination, filters, tenant isolation, no values, and
// nothing past the cursor that a still-running transaction could later fill in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { show } from "../helpers/harness.ts";
import { scimCreateUser, scimDeactivate, scimRename, useSyncHarness } from "../helpers/sync.ts";

const h = await useSyncHarness({}, { start: false });

async function feed(tenantId: string, query = "") {
  const r = await h.admin("GET", `/tenants/${tenantId}/events${query}`);
  assert.equal(r.status, 200, show(r));
  return r.body as { data: any[]; nextCursor: string | null; retentionDays: number };
}

/**
 * Waits until the feed shows every committed event of the tenant. The feed holds events back
 * while any older transaction on the PostgreSQL server is still open — other test files share
 * that server — so a read straight after a write may legitimately be short for a moment.
 */
async function settled(tenantId: string) {
  const committed = await h.container.db.event.count({ where: { tenantId } });
  const deadline = Date.now() + 10_000;
  while ((await feed(tenantId, "?limit=1000")).data.length < committed) {
    if (Date.now() > deadline) assert.fail(`the feed never showed all ${committed} committed events`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("pages through a tenant's events in id order with filters", async () => {
  const { tenantId, token } = await h.createTenant();
  const a = await scimCreateUser(h, token);
  const b = await scimCreateUser(h, token);
  await scimRename(h, token, a, "Ada");
  await scimDeactivate(h, token, b);
  await settled(tenantId);

  const all = await feed(tenantId);
  assert.deepEqual(all.data.map((e) => e.type), ["user.created", "user.created", "user.updated", "user.deactivated"]);
  assert.equal(all.retentionDays, 90);
  const ids = all.data.map((e) => BigInt(e.id));
  assert.deepEqual(ids, [...ids].sort((x, y) => (x < y ? -1 : 1)));
  assert.deepEqual(all.data[2].attributes, ["displayName"]);
  assert.ok(!JSON.stringify(all).includes("Ada"), "names of changed attributes, never values");
  assert.equal(all.data[0].actor.type, "scim_token");

  const p1 = await feed(tenantId, "?limit=3");
  assert.equal(p1.data.length, 3);
  const p2 = await feed(tenantId, `?limit=3&after=${p1.nextCursor}`);
  assert.deepEqual(p2.data.map((e) => e.type), ["user.deactivated"]);
  const p3 = await feed(tenantId, `?after=${p2.nextCursor}`);
  assert.deepEqual(p3.data, []);
  assert.equal(p3.nextCursor, p2.nextCursor, "an empty page keeps the cursor");

  assert.deepEqual((await feed(tenantId, "?types=user.deactivated,user.updated")).data.map((e) => e.type), ["user.updated", "user.deactivated"]);
  assert.deepEqual((await feed(tenantId, `?resourceType=User&resourceId=${a}`)).data.map((e) => e.type), ["user.created", "user.updated"]);
  assert.deepEqual((await feed(tenantId, "?resourceType=Group")).data, []);
});

test("bad input is a 400 envelope; other tenants see nothing; unknown tenant 404", async () => {
  const { tenantId, token } = await h.createTenant();
  await scimCreateUser(h, token);
  for (const q of ["?after=abc", "?after=-1", "?limit=0", "?limit=5000", "?types=user.exploded", "?resourceType=Robot"]) {
    const r = await h.admin("GET", `/tenants/${tenantId}/events${q}`);
    assert.equal(r.status, 400, `${q}: ${show(r)}`);
    assert.equal(r.body.error.code, "bad_request");
  }
  const other = await h.createTenant();
  assert.deepEqual((await feed(other.tenantId)).data, []);
  assert.equal((await h.admin("GET", `/tenants/no-such-tenant/events`)).status, 404);
  assert.equal((await h.request("GET", `/admin/v1/tenants/${tenantId}/events`)).status, 401);
});

test("an event of a transaction still running holds back later events until it commits", async () => {
  const { tenantId, token } = await h.createTenant();
  const { db } = h.container;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const insertedP = new Promise<void>((r) => (inserted = r));
  // A transaction that takes an event id and does not commit yet.
  const slow = db.$transaction(async (tx) => {
    await tx.event.create({ data: { tenantId, type: "user.updated", resourceType: "User", resourceId: "slow", attributes: ["title"] } });
    inserted();
    await held;
  }, { timeout: 20_000 });
  await insertedP;
  await scimCreateUser(h, token); // commits an event with a larger id
  const during = await feed(tenantId);
  assert.deepEqual(during.data, [], "the larger id is not shown while a smaller one may still commit");
  release();
  await slow;
  await settled(tenantId);
  const afterCommit = await feed(tenantId);
  assert.deepEqual(afterCommit.data.map((e) => e.resourceId).slice(0, 1), ["slow"]);
  assert.equal(afterCommit.data.length, 2);
});
