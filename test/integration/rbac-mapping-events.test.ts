// Group→role mapping changes through the outbox: the admin request writes the mapping and a
// role_mapping.* event in one transaction; the roles job recomputes the affected users in
// batches and emits user.roles_changed for exactly the users whose role set changed, which
// then reach the feed and webhooks. Direct assignments and role deletion emit too.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import { jobIds } from "../../workers/queues.ts";
import { ROLES_BATCH, rolesJob } from "../../workers/jobs/roles.job.ts";
import { show } from "../helpers/harness.ts";
import { startReceiver, useSyncHarness, waitFor } from "../helpers/sync.ts";
import { assignRole, createGroup, createRole, createUser } from "./auth-fixtures.ts";

const h = await useSyncHarness();
const { db } = h.container;

async function createMapping(tenantId: string, body: object) {
  const r = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, body);
  assert.equal(r.status, 201, show(r));
  return r.body as { id: string };
}

/** The role_mapping.* event of a mapping, and the completed roles job it became. */
async function mappingJob(type: "role_mapping.created" | "role_mapping.deleted", mappingId: string) {
  const event = await waitFor(type, () => db.event.findFirst({ where: { type, resourceType: "RoleMapping", resourceId: mappingId } }));
  const queue = (await h.container.queues()).queue("roles");
  const job = await waitFor(`roles job for ${type}`, async () => {
    const j = await queue.getJob(jobIds.event(event.id));
    // finishedOn and the return value are written together when the job completes.
    return j?.finishedOn && !j.failedReason ? j : null;
  }, 60_000, 50);
  return { event, result: job.returnvalue as { users: number; changed: number; batches: number } };
}

/** The users a given event caused user.roles_changed for, sorted. */
async function rolesChangedBy(tenantId: string, cause: { eventId?: string; type: string }) {
  const rows = await db.event.findMany({ where: { tenantId, type: "user.roles_changed" }, select: { resourceId: true, data: true, attributes: true, resourceType: true } });
  return rows
    .filter((r) => {
      const c = (r.data as { cause?: { eventId?: string; type: string } }).cause;
      return c?.type === cause.type && (cause.eventId === undefined || c.eventId === cause.eventId);
    })
    .map((r) => {
      assert.equal(r.resourceType, "User");
      assert.deepEqual(r.attributes, ["roles"]);
      return r.resourceId;
    })
    .sort();
}

const roleIdsOf = async (userId: string) => (await db.effectiveRole.findMany({ where: { userId }, select: { roleId: true, source: true }, orderBy: { source: "asc" } }));
const sorted = (ids: string[]) => [...ids].sort();

test("a new mapping gives the group's members the role in the roles job and emits user.roles_changed for exactly them", async () => {
  const rx = await startReceiver();
  const { tenantId } = await h.createTenant();
  const hook = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: rx.url, eventTypes: ["user.roles_changed"] });
  assert.equal(hook.status, 201, show(hook));
  const role = await createRole(h, tenantId, ["billing:manage"]);
  const [a, b, c, outsider, direct] = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(h, tenantId)));
  const inactive = await createUser(h, tenantId, { active: false });
  await assignRole(h, tenantId, direct!.id, role.id); // already holds the role: its set does not change
  const group = await createGroup(h, tenantId, "Finance", [a!.id, b!.id, c!.id, direct!.id, inactive.id]);

  const mapping = await createMapping(tenantId, { roleId: role.id, groupId: group.id });
  const { event, result } = await mappingJob("role_mapping.created", mapping.id);
  assert.deepEqual(event.data, { roleId: role.id, groupId: group.id, groupDisplayName: null });
  assert.equal((event.actor as { type: string }).type, "admin");
  assert.deepEqual(result, { users: 5, changed: 3, batches: 1 });

  for (const u of [a!, b!, c!]) assert.deepEqual(await roleIdsOf(u.id), [{ roleId: role.id, source: `group:${group.id}` }]);
  assert.deepEqual(await roleIdsOf(direct!.id), [{ roleId: role.id, source: "direct" }, { roleId: role.id, source: `group:${group.id}` }]);
  assert.deepEqual(await roleIdsOf(outsider!.id), []);
  assert.deepEqual(await roleIdsOf(inactive.id), [], "inactive users hold no roles");
  const members = sorted([a!.id, b!.id, c!.id]);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role_mapping.created", eventId: event.id.toString() }), members);

  // The events reach the change feed and the webhook endpoint.
  // (The feed holds events back while an older transaction, such as a relay batch, is open.)
  const feed = await waitFor("the feed", async () => {
    const r = await h.admin("GET", `/tenants/${tenantId}/events?types=user.roles_changed,role_mapping.created&limit=1000`);
    assert.equal(r.status, 200, show(r));
    return r.body.data.length === 5 ? r : null;
  });
  assert.deepEqual(feed.body.data.filter((e: any) => e.type === "role_mapping.created").map((e: any) => e.resourceId), [mapping.id], show(feed));
  assert.deepEqual(sorted(feed.body.data.filter((e: any) => e.data.cause?.type === "role_mapping.created").map((e: any) => e.resourceId)), members, show(feed));
  await waitFor("four webhook deliveries", async () => rx.received.length >= 4); // 3 members + the direct assignment
  const wh = new Webhook(hook.body.secret);
  const delivered = rx.received.map((m) => wh.verify(m.body, m.headers) as any);
  assert.ok(delivered.every((p) => p.type === "user.roles_changed"), JSON.stringify(delivered));
  assert.deepEqual(sorted(delivered.filter((p) => p.data.data.cause.type === "role_mapping.created").map((p) => p.data.resourceId)), members);

  // The same mapping again is a 409 and, rolled back with it, writes no second event.
  const dup = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, { roleId: role.id, groupId: group.id });
  assert.equal(dup.status, 409, show(dup));
  assert.equal(await db.event.count({ where: { tenantId, resourceType: "RoleMapping" } }), 1);
});

test("deleting a mapping removes the role from members, and from users who left the group, with user.roles_changed", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["deploy:run"]);
  const [a, b, left, direct] = await Promise.all([1, 2, 3, 4].map(() => createUser(h, tenantId)));
  await assignRole(h, tenantId, direct!.id, role.id);
  const group = await createGroup(h, tenantId, "Engineering", [a!.id, b!.id, left!.id, direct!.id]);
  // A displayName mapping, matched case-insensitively.
  const mapping = await createMapping(tenantId, { roleId: role.id, groupDisplayName: "ENGINEERING" });
  assert.equal((await mappingJob("role_mapping.created", mapping.id)).result.changed, 3);
  // `left` leaves without a recompute (as if its group.members_changed job had not run yet):
  // the deletion must still find it through its EffectiveRole row.
  await db.groupMember.delete({ where: { groupId_userId: { groupId: group.id, userId: left!.id } } });

  const del = await h.admin("DELETE", `/tenants/${tenantId}/role-mappings/${mapping.id}`);
  assert.equal(del.status, 204, show(del));
  const { event, result } = await mappingJob("role_mapping.deleted", mapping.id);
  assert.deepEqual(event.data, { roleId: role.id, groupId: null, groupDisplayName: "ENGINEERING" });
  assert.deepEqual(result, { users: 4, changed: 3, batches: 1 });
  for (const u of [a!, b!, left!]) assert.deepEqual(await roleIdsOf(u.id), []);
  assert.deepEqual(await roleIdsOf(direct!.id), [{ roleId: role.id, source: "direct" }], "still held directly");
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role_mapping.deleted", eventId: event.id.toString() }), sorted([a!.id, b!.id, left!.id]));

  const again = await h.admin("DELETE", `/tenants/${tenantId}/role-mappings/${mapping.id}`);
  assert.equal(again.status, 404, show(again));
  assert.equal(await db.event.count({ where: { tenantId, type: "role_mapping.deleted" } }), 1);
});

test("a mapping on a 5,000-member group is one job that recomputes in batches of 1,000", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["docs:read"]);
  const group = await createGroup(h, tenantId, "Everyone");
  await db.$executeRaw`
    INSERT INTO "User" ("id", "tenantId", "userName") SELECT gen_random_uuid()::text, ${tenantId}, 'bulk-' || i || '@example.com' FROM generate_series(1, 5000) i`;
  await db.$executeRaw`
    INSERT INTO "GroupMember" ("tenantId", "groupId", "userId") SELECT ${tenantId}, ${group.id}, "id" FROM "User" WHERE "tenantId" = ${tenantId}`;
  const maxBatches = Math.ceil(5000 / ROLES_BATCH) + 1;

  const mapping = await createMapping(tenantId, { roleId: role.id, groupId: group.id });
  const created = await mappingJob("role_mapping.created", mapping.id);
  assert.equal(created.result.users, 5000);
  assert.equal(created.result.changed, 5000);
  assert.ok(created.result.batches <= maxBatches, `batches: ${created.result.batches}`);
  assert.equal(await db.effectiveRole.count({ where: { tenantId, roleId: role.id } }), 5000);
  assert.equal((await rolesChangedBy(tenantId, { type: "role_mapping.created" })).length, 5000);
  // One job for the mapping, not one per user.
  const queue = (await h.container.queues()).queue("roles");
  const jobs = (await queue.getJobs(["completed", "active", "waiting", "delayed", "failed"])).filter((j) => j.data.tenantId === tenantId);
  assert.equal(jobs.length, 1, JSON.stringify(jobs.map((j) => j.data)));

  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/role-mappings/${mapping.id}`)).status, 204);
  const deleted = await mappingJob("role_mapping.deleted", mapping.id);
  assert.equal(deleted.result.changed, 5000);
  assert.ok(deleted.result.batches <= maxBatches, `batches: ${deleted.result.batches}`);
  assert.equal(await db.effectiveRole.count({ where: { tenantId } }), 0);
  assert.equal((await rolesChangedBy(tenantId, { type: "role_mapping.deleted" })).length, 5000);
});

test("direct assignment emits user.roles_changed only when the user's set of roles changes", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["reports:*"]);
  const user = await createUser(h, tenantId);
  await assignRole(h, tenantId, user.id, role.id);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.assigned" }), [user.id]);
  await assignRole(h, tenantId, user.id, role.id); // idempotent PUT: nothing changed
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.assigned" }), [user.id]);
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/users/${user.id}/roles/${role.id}`)).status, 204);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.unassigned" }), [user.id]);

  // Held through a group as well: assigning and removing it directly leaves the set as it was.
  const member = await createUser(h, tenantId);
  const group = await createGroup(h, tenantId, undefined, [member.id]);
  const mapping = await createMapping(tenantId, { roleId: role.id, groupId: group.id });
  await mappingJob("role_mapping.created", mapping.id);
  await assignRole(h, tenantId, member.id, role.id);
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/users/${member.id}/roles/${role.id}`)).status, 204);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.assigned" }), [user.id]);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.unassigned" }), [user.id]);
});

test("deleting a role emits user.roles_changed for every holder; a permission change emits none", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["x:y"]);
  const other = await createRole(h, tenantId, ["x:z"]);
  const [direct, viaGroup, both, bystander] = await Promise.all([1, 2, 3, 4].map(() => createUser(h, tenantId)));
  await assignRole(h, tenantId, direct!.id, role.id);
  await assignRole(h, tenantId, both!.id, role.id);
  await assignRole(h, tenantId, bystander!.id, other.id);
  const group = await createGroup(h, tenantId, undefined, [viaGroup!.id, both!.id]);
  await mappingJob("role_mapping.created", (await createMapping(tenantId, { roleId: role.id, groupId: group.id })).id);

  const del = await h.admin("DELETE", `/tenants/${tenantId}/roles/${role.id}`);
  assert.equal(del.status, 204, show(del));
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role.deleted" }), sorted([direct!.id, viaGroup!.id, both!.id]));
  assert.equal(await db.effectiveRole.count({ where: { tenantId, roleId: role.id } }), 0);
  assert.deepEqual(await roleIdsOf(bystander!.id), [{ roleId: other.id, source: "direct" }]);
  // Permission changes leave every role set as it was: no user event.
  const before = await db.event.count({ where: { tenantId, type: "user.roles_changed" } });
  assert.equal((await h.admin("PATCH", `/tenants/${tenantId}/roles/${other.id}`, { permissions: ["x:w"] })).status, 200);
  assert.equal(await db.event.count({ where: { tenantId, type: "user.roles_changed" } }), before);
});

test("clearForUser removes a deactivated user's roles and leaves an active user's alone", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["a:b"]);
  const active = await createUser(h, tenantId);
  const gone = await createUser(h, tenantId);
  await assignRole(h, tenantId, active.id, role.id);
  await assignRole(h, tenantId, gone.id, role.id);
  await db.user.update({ where: { id: gone.id }, data: { active: false } });
  const roles = h.container.services.roles;
  assert.equal(await roles.clearForUser(tenantId, active.id), 0);
  assert.equal(await roles.clearForUser("another-tenant", gone.id), 0, "tenant-scoped");
  assert.equal(await roles.clearForUser(tenantId, gone.id), 1);
  assert.equal(await roles.clearForUser(tenantId, gone.id), 0, "idempotent");
  assert.deepEqual(await roleIdsOf(active.id), [{ roleId: role.id, source: "direct" }]);
  assert.deepEqual(await roleIdsOf(gone.id), []);
});

test("a retried mapping job resumes after the last batch it finished", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["r:s"]);
  const users = await Promise.all([1, 2, 3].map(() => createUser(h, tenantId)));
  const ids = sorted(users.map((u) => u.id));
  const group = await createGroup(h, tenantId, undefined, ids);
  const mapping = await db.groupRoleMapping.create({ data: { tenantId, roleId: role.id, groupId: group.id } });
  // The event as the service writes it, marked relayed so only this test runs its job.
  const event = await db.event.create({
    data: { tenantId, type: "role_mapping.created", resourceType: "RoleMapping", resourceId: mapping.id, actor: { type: "system", id: "test" },
      data: { roleId: role.id, groupId: group.id, groupDisplayName: null }, relayedAt: new Date() },
  });
  const { container } = h;
  const deps = { db, pool: container.pool, config: container.config, logger: container.logger, queues: await container.queues(), ...container.services };
  const progress: unknown[] = [];
  // A first attempt finished the batch up to ids[1] before failing.
  const job = { progress: { after: ids[1], batches: 1, users: 2, changed: 2 }, updateProgress: async (p: unknown) => void progress.push(p) };
  const result = await rolesJob.handle(deps, { eventId: event.id.toString(), tenantId, type: "role_mapping.created", resourceId: mapping.id }, { job: job as never, token: undefined });
  assert.deepEqual(result, { users: 3, changed: 3, batches: 2 });
  assert.deepEqual(await roleIdsOf(ids[0]!), [], "before the resume point: not redone");
  assert.deepEqual(await roleIdsOf(ids[2]!), [{ roleId: role.id, source: `group:${group.id}` }]);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "role_mapping.created" }), [ids[2]!]);
});

/** The completed roles job of the latest event of a type on a resource. */
async function eventJob(type: string, resourceId: string) {
  const event = await waitFor(type, () => db.event.findFirst({ where: { type, resourceId }, orderBy: { id: "desc" } }));
  const queue = (await h.container.queues()).queue("roles");
  const job = await waitFor(`roles job for ${type}`, async () => {
    const j = await queue.getJob(jobIds.event(event.id));
    return j?.finishedOn && !j.failedReason ? j : null;
  }, 60_000, 50);
  return job.returnvalue as { users: number; changed: number; batches: number };
}

test("renaming a group through SCIM moves its members onto a mapping that names the new displayName", async () => {
  const { tenantId, token } = await h.createTenant();
  const role = await createRole(h, tenantId, ["reports:read"]);
  const [a, b] = await Promise.all([1, 2].map(() => createUser(h, tenantId)));
  const group = await createGroup(h, tenantId, "Analysts (old)", [a!.id, b!.id]);
  const mapping = await createMapping(tenantId, { roleId: role.id, groupDisplayName: "Analysts" });
  await mappingJob("role_mapping.created", mapping.id);
  assert.deepEqual(await roleIdsOf(a!.id), [], "no group is called Analysts yet");

  const renamed = await h.scim(token, "PATCH", `/Groups/${group.id}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "displayName", value: "Analysts" }],
  });
  assert.equal(renamed.status, 204, show(renamed));
  assert.deepEqual(await eventJob("group.updated", group.id), { users: 2, changed: 2, batches: 1 });
  for (const u of [a!, b!]) assert.deepEqual((await roleIdsOf(u.id)).map((r) => r.roleId), [role.id]);
});

test("deleting a group through SCIM takes the roles it granted from its former members", async () => {
  const { tenantId, token } = await h.createTenant();
  const role = await createRole(h, tenantId, ["deploy:run"]);
  const [a, b] = await Promise.all([1, 2].map(() => createUser(h, tenantId)));
  const group = await createGroup(h, tenantId, "Deployers", [a!.id, b!.id]);
  const mapping = await createMapping(tenantId, { roleId: role.id, groupId: group.id });
  await mappingJob("role_mapping.created", mapping.id);
  assert.deepEqual((await roleIdsOf(a!.id)).map((r) => r.roleId), [role.id]);

  assert.equal((await h.scim(token, "DELETE", `/Groups/${group.id}`)).status, 204);
  assert.deepEqual(await eventJob("group.deleted", group.id), { users: 2, changed: 2, batches: 1 });
  for (const u of [a!, b!]) assert.deepEqual(await roleIdsOf(u.id), []);
  assert.deepEqual(await rolesChangedBy(tenantId, { type: "group.deleted" }), sorted([a!.id, b!.id]));
});
