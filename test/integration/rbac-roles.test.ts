import assert from "node:assert/strict";
import { test } from "node:test";
import { show } from "../helpers/harness.ts";
import { useSyncHarness, waitFor } from "../helpers/sync.ts";
import { jobIds } from "../../workers/queues.ts";
import { assignRole, createGroup, createRole, createUser, decodePayload, refresh, startSession } from "./auth-fixtures.ts";

// Mapping changes recompute members' roles in the roles job, so this file runs the worker.
const h = await useSyncHarness();
const roles = h.container.services.roles;
const effectiveCount = (tenantId: string) => h.container.db.effectiveRole.count({ where: { tenantId } });

/** Waits until the roles job for a mapping's event has completed; returns its result. */
async function mappingJobDone(type: "role_mapping.created" | "role_mapping.deleted", mappingId: string) {
  const event = await waitFor(type, () => h.container.db.event.findFirst({ where: { type, resourceType: "RoleMapping", resourceId: mappingId } }));
  const queue = (await h.container.queues()).queue("roles");
  const job = await waitFor(`roles job for ${type}`, async () => {
    const j = await queue.getJob(jobIds.event(event.id));
    // finishedOn and the return value are written together when the job completes.
    return j?.finishedOn && !j.failedReason ? j : null;
  }, 60_000);
  return job.returnvalue as { users: number; changed: number; batches: number };
}

test("roles CRUD validates permissions and names", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["users:read", "billing:manage", "users:read"], "Billing");
  const got = await h.admin("GET", `/tenants/${tenantId}/roles/${role.id}`);
  assert.deepEqual(got.body.permissions, ["billing:manage", "users:read"]);
  const dup = await h.admin("POST", `/tenants/${tenantId}/roles`, { name: "billing", permissions: [] });
  assert.equal(dup.status, 409, show(dup));
  for (const body of [{ name: "x", permissions: ["Users:Read"] }, { name: "x", permissions: ["a b"] }, { name: "", permissions: [] }, { name: "x" }, { name: "x", permissions: [], extra: 1 }]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/roles`, body);
    assert.equal(r.status, 400, show(r));
    assert.equal(r.body.error.code, "bad_request");
  }
  const upd = await h.admin("PATCH", `/tenants/${tenantId}/roles/${role.id}`, { permissions: ["billing:read"] });
  assert.equal(upd.status, 200, show(upd));
  assert.deepEqual(upd.body.permissions, ["billing:read"]);
  assert.equal((await h.admin("PATCH", `/tenants/${tenantId}/roles/${role.id}`, {})).status, 400);
  assert.equal((await h.admin("GET", `/tenants/${tenantId}/roles`)).body.data.length, 1);
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/roles/${role.id}`)).status, 204);
  assert.equal((await h.admin("GET", `/tenants/${tenantId}/roles/${role.id}`)).status, 404);
});

test("roles from groups appear in new tokens after a membership change", async () => {
  const { tenantId } = await h.createTenant();
  const user = await createUser(h, tenantId);
  const group = await createGroup(h, tenantId, "Finance");
  const role = await createRole(h, tenantId, ["billing:manage"], "Billing admin");
  const mapping = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, { roleId: role.id, groupId: group.id });
  assert.equal(mapping.status, 201, show(mapping));
  assert.deepEqual(await mappingJobDone("role_mapping.created", mapping.body.id), { users: 0, changed: 0, batches: 0 }, "no members yet");
  const before = await startSession(h, tenantId, user.id);
  assert.deepEqual(decodePayload(before.access_token).roles, []);

  await h.container.db.groupMember.create({ data: { tenantId, groupId: group.id, userId: user.id } });
  assert.deepEqual(await roles.recomputeForUsers(tenantId, [user.id]), [user.id]);
  assert.deepEqual(await roles.recomputeForUsers(tenantId, [user.id]), [], "nothing changes the second time");

  const refreshed = await refresh(h, before.refresh_token);
  const claims = decodePayload(refreshed.body.access_token);
  assert.deepEqual(claims.roles, ["Billing admin"]);
  assert.deepEqual(claims.permissions, ["billing:manage"]);
  const eff = await h.admin("GET", `/tenants/${tenantId}/users/${user.id}/roles`);
  assert.deepEqual(eff.body.roles[0].sources, [{ type: "group", groupId: group.id, groupDisplayName: "Finance" }], show(eff));

  // Leaving the group removes the role; a direct assignment keeps it with its own source.
  await assignRole(h, tenantId, user.id, role.id);
  await h.container.db.groupMember.deleteMany({ where: { groupId: group.id } });
  assert.deepEqual(await roles.recomputeForUsers(tenantId, [user.id]), [], "still held directly: the set did not change");
  const direct = await h.admin("GET", `/tenants/${tenantId}/users/${user.id}/roles`);
  assert.deepEqual(direct.body.roles[0].sources, [{ type: "direct" }]);
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/users/${user.id}/roles/${role.id}`)).status, 204);
  assert.deepEqual((await h.admin("GET", `/tenants/${tenantId}/users/${user.id}/roles`)).body.roles, []);
});

test("a mapping by displayName matches case-insensitively, also for a group pushed later", async () => {
  const { tenantId } = await h.createTenant();
  const alice = await createUser(h, tenantId);
  const role = await createRole(h, tenantId, ["deploy:run"]);
  const m = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, { roleId: role.id, groupDisplayName: "engineering" });
  assert.equal(m.status, 201, show(m));
  assert.equal((await mappingJobDone("role_mapping.created", m.body.id)).users, 0, "no such group yet");
  const group = await createGroup(h, tenantId, "Engineering", [alice.id]);
  assert.deepEqual(await roles.recomputeForGroup(tenantId, group.id), { changedUsers: 1 });
  const s = await startSession(h, tenantId, alice.id);
  assert.deepEqual(decodePayload(s.access_token).permissions, ["deploy:run"]);
  // Deleting the mapping recomputes the group's members in the roles job.
  assert.equal((await h.admin("DELETE", `/tenants/${tenantId}/role-mappings/${m.body.id}`)).status, 204);
  assert.deepEqual(await mappingJobDone("role_mapping.deleted", m.body.id), { users: 1, changed: 1, batches: 1 });
  assert.equal(await effectiveCount(tenantId), 0);
  assert.deepEqual(decodePayload((await startSession(h, tenantId, alice.id)).access_token).roles, []);
  const bad = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, { roleId: role.id, groupId: group.id, groupDisplayName: "x" });
  assert.equal(bad.status, 400, show(bad));
});

test("recomputeForGroup handles a deleted group and a large group in one statement; a mapping reaches all 5000 members", async () => {
  const { tenantId } = await h.createTenant();
  const role = await createRole(h, tenantId, ["docs:read"]);
  const group = await createGroup(h, tenantId, "Everyone");
  await h.container.db.$executeRaw`
    INSERT INTO "User" ("id", "tenantId", "userName") SELECT gen_random_uuid()::text, ${tenantId}, 'bulk-' || i || '@example.com' FROM generate_series(1, 5000) i`;
  await h.container.db.$executeRaw`
    INSERT INTO "GroupMember" ("tenantId", "groupId", "userId") SELECT ${tenantId}, ${group.id}, "id" FROM "User" WHERE "tenantId" = ${tenantId}`;
  const m = await h.admin("POST", `/tenants/${tenantId}/role-mappings`, { roleId: role.id, groupId: group.id });
  assert.equal(m.status, 201, show(m));
  assert.deepEqual(await mappingJobDone("role_mapping.created", m.body.id), { users: 5000, changed: 5000, batches: 5 });
  assert.equal(await effectiveCount(tenantId), 5000);
  await h.container.db.group.delete({ where: { id: group.id } });
  assert.deepEqual(await roles.recomputeForGroup(tenantId, group.id), { changedUsers: 5000 });
  assert.equal(await h.container.db.effectiveRole.count({ where: { tenantId } }), 0);
});

test("another tenant's users, roles and mappings answer 404", async () => {
  const a = await h.createTenant();
  const b = await h.createTenant();
  const user = await createUser(h, a.tenantId);
  const role = await createRole(h, a.tenantId, ["x:y"]);
  const group = await createGroup(h, a.tenantId);
  const mapping = await h.admin("POST", `/tenants/${a.tenantId}/role-mappings`, { roleId: role.id, groupId: group.id });
  const bRole = await createRole(h, b.tenantId, ["x:y"]);
  const bUser = await createUser(h, b.tenantId);
  for (const [method, path, body] of [
    ["GET", `/tenants/${b.tenantId}/roles/${role.id}`],
    ["PATCH", `/tenants/${b.tenantId}/roles/${role.id}`, { name: "z" }],
    ["DELETE", `/tenants/${b.tenantId}/roles/${role.id}`],
    ["GET", `/tenants/${b.tenantId}/users/${user.id}/roles`],
    ["PUT", `/tenants/${b.tenantId}/users/${user.id}/roles/${bRole.id}`],
    ["PUT", `/tenants/${b.tenantId}/users/${bUser.id}/roles/${role.id}`],
    ["DELETE", `/tenants/${b.tenantId}/users/${user.id}/roles/${bRole.id}`],
    ["POST", `/tenants/${b.tenantId}/role-mappings`, { roleId: role.id, groupDisplayName: "x" }],
    ["POST", `/tenants/${b.tenantId}/role-mappings`, { roleId: bRole.id, groupId: group.id }],
    ["DELETE", `/tenants/${b.tenantId}/role-mappings/${mapping.body.id}`],
  ] as const) {
    const r = await h.admin(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${show(r)}`);
  }
  assert.equal((await h.admin("GET", `/tenants/${a.tenantId}/roles/${role.id}`)).status, 200);
});
