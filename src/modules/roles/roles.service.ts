// Per-tenant RBAC: roles carry permissions; users get roles directly or through IdP groups
// (by group id, or by displayName for groups not pushed yet). Effective roles are
// materialised with their source so token issue is one indexed query.
import type { Db, Tx } from "../../db/client.ts";
import { withDbErrors } from "../../db/errors.ts";
import { badRequest, notFound } from "../../errors.ts";
import type { AuditActor, AuditService } from "../audit/audit.service.ts";
import type { RolesRepo } from "./roles.repo.ts";

/** `users:read`, `billing:manage`, `impersonate:admins`, `reports:*`. */
export const PERMISSION_PATTERN = /^[a-z][a-z0-9_.-]{0,63}(:([a-z][a-z0-9_.-]{0,63}|\*))*$/;

export interface RoleView {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface RoleMappingView {
  id: string;
  roleId: string;
  groupId: string | null;
  groupDisplayName: string | null;
  createdAt: string;
}

export type RoleSource = { type: "direct" } | { type: "group"; groupId: string; groupDisplayName: string | null };

export interface EffectiveRolesView {
  roles: { roleId: string; name: string; permissions: string[]; sources: RoleSource[] }[];
  permissions: string[];
}

type RoleRow = NonNullable<Awaited<ReturnType<RolesRepo["findRole"]>>>;
type MappingRow = NonNullable<Awaited<ReturnType<RolesRepo["findMapping"]>>>;

const roleView = (r: RoleRow): RoleView => ({
  id: r.id, name: r.name, description: r.description, permissions: r.permissions,
  createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});
const mappingView = (m: MappingRow): RoleMappingView => ({
  id: m.id, roleId: m.roleId, groupId: m.groupId, groupDisplayName: m.groupDisplayName, createdAt: m.createdAt.toISOString(),
});

function checkPermissions(permissions: string[]): string[] {
  const bad = permissions.filter((p) => !PERMISSION_PATTERN.test(p));
  if (bad.length) throw badRequest(`Invalid permission(s): ${bad.slice(0, 5).join(", ")}`);
  return [...new Set(permissions)].sort();
}

/** Whether a permission set grants `perm`, honouring `prefix:*` wildcards. */
export function grants(permissions: readonly string[], perm: string): boolean {
  if (permissions.includes(perm)) return true;
  const parts = perm.split(":");
  for (let i = parts.length - 1; i > 0; i--) if (permissions.includes(`${parts.slice(0, i).join(":")}:*`)) return true;
  return false;
}

export function createRolesService(deps: { db: Db; repo: RolesRepo; audit: AuditService }) {
  const { db, repo, audit } = deps;

  async function role(tenantId: string, id: string): Promise<RoleRow> {
    const r = await repo.findRole(tenantId, id);
    if (!r) throw notFound("Role not found");
    return r;
  }
  async function user(tenantId: string, id: string) {
    const u = await repo.findUser(tenantId, id);
    if (!u) throw notFound("User not found");
    return u;
  }
  /** The group a mapping applies to now, if it exists (a displayName mapping may precede its group). */
  async function mappedGroup(tenantId: string, m: { groupId: string | null; groupDisplayName: string | null }) {
    if (m.groupId) return repo.findGroup(tenantId, m.groupId);
    return m.groupDisplayName ? repo.findGroupByName(tenantId, m.groupDisplayName) : null;
  }

  const service = {
    /**
     * Recomputes the effective roles of these users from their direct roles and group
     * memberships. Call it (inside your transaction, if you have one) after membership
     * changes. Returns the ids of users whose set of roles changed.
     */
    async recomputeForUsers(tenantId: string, userIds: readonly string[], tx?: Tx): Promise<string[]> {
      if (!userIds.length) return [];
      return repo.recomputeForUsers(tx ?? db, tenantId, [...new Set(userIds)]);
    },

    /**
     * Recomputes every member of a group (and anyone who held a role through it): after a
     * mapping change, a group rename, or a group delete. Returns how many users' role sets
     * changed. One SQL statement, whatever the group size.
     */
    async recomputeForGroup(tenantId: string, groupId: string, tx?: Tx): Promise<{ changedUsers: number }> {
      return { changedUsers: await repo.recomputeForGroup(tx ?? db, tenantId, groupId) };
    },

    /** Role names and the union of their permissions, as access tokens carry them. */
    async forToken(tenantId: string, userId: string, tx?: Tx): Promise<{ roles: string[]; permissions: string[] }> {
      const rows = await repo.effective(tenantId, userId, tx);
      return {
        roles: [...new Set(rows.map((r) => r.name))].sort(),
        permissions: [...new Set(rows.flatMap((r) => r.permissions))].sort(),
      };
    },

    async effective(tenantId: string, userId: string): Promise<EffectiveRolesView> {
      await user(tenantId, userId);
      const byRole = new Map<string, EffectiveRolesView["roles"][number]>();
      for (const r of await repo.effective(tenantId, userId)) {
        const entry = byRole.get(r.roleId) ?? { roleId: r.roleId, name: r.name, permissions: r.permissions, sources: [] };
        entry.sources.push(r.source === "direct" ? { type: "direct" } : { type: "group", groupId: r.source.slice(6), groupDisplayName: r.groupDisplayName });
        byRole.set(r.roleId, entry);
      }
      const roles = [...byRole.values()];
      return { roles, permissions: [...new Set(roles.flatMap((r) => r.permissions))].sort() };
    },

    // ---- roles ----
    list: async (tenantId: string) => (await repo.listRoles(tenantId)).map(roleView),
    get: async (tenantId: string, id: string) => roleView(await role(tenantId, id)),

    async create(tenantId: string, input: { name: string; description?: string | null; permissions: string[] }, actor: AuditActor): Promise<RoleView> {
      const permissions = checkPermissions(input.permissions);
      const r = await withDbErrors("role", () => repo.createRole({ tenantId, name: input.name, description: input.description ?? null, permissions }));
      await audit.record({ tenantId, actor, action: "role.created", targetType: "Role", targetId: r.id, data: { name: r.name, permissions } });
      return roleView(r);
    },

    async update(tenantId: string, id: string, input: { name?: string; description?: string | null; permissions?: string[] }, actor: AuditActor) {
      const before = await role(tenantId, id);
      const permissions = input.permissions ? checkPermissions(input.permissions) : undefined;
      const [r] = await withDbErrors("role", () => repo.updateRole(tenantId, id, { name: input.name, description: input.description, permissions }));
      if (!r) throw notFound("Role not found");
      await audit.record({
        tenantId, actor, action: "role.updated", targetType: "Role", targetId: id,
        data: { name: r.name, ...(permissions ? { permissionsBefore: before.permissions, permissions } : {}) },
      });
      return roleView(r);
    },

    async remove(tenantId: string, id: string, actor: AuditActor): Promise<void> {
      const r = await role(tenantId, id);
      // EffectiveRole, UserRole and mappings cascade with the role.
      await repo.deleteRole(tenantId, id);
      await audit.record({ tenantId, actor, action: "role.deleted", targetType: "Role", targetId: id, data: { name: r.name } });
    },

    // ---- direct assignments ----
    async assign(tenantId: string, userId: string, roleId: string, actor: AuditActor): Promise<EffectiveRolesView> {
      await Promise.all([user(tenantId, userId), role(tenantId, roleId)]);
      await db.$transaction(async (tx) => {
        if ((await repo.assign(tx, tenantId, userId, roleId)) === 0) return; // already assigned: idempotent PUT
        await service.recomputeForUsers(tenantId, [userId], tx);
        await audit.record({ tenantId, actor, action: "role.assigned", targetType: "User", targetId: userId, data: { roleId } }, tx);
      });
      return service.effective(tenantId, userId);
    },

    async unassign(tenantId: string, userId: string, roleId: string, actor: AuditActor): Promise<void> {
      await Promise.all([user(tenantId, userId), role(tenantId, roleId)]);
      await db.$transaction(async (tx) => {
        const { count } = await repo.unassign(tx, tenantId, userId, roleId);
        if (!count) throw notFound("The user does not have this role directly");
        await service.recomputeForUsers(tenantId, [userId], tx);
        await audit.record({ tenantId, actor, action: "role.unassigned", targetType: "User", targetId: userId, data: { roleId } }, tx);
      });
    },

    // ---- group → role mappings ----
    async listMappings(tenantId: string, roleId?: string): Promise<RoleMappingView[]> {
      return (await repo.listMappings(tenantId, roleId)).map(mappingView);
    },

    async createMapping(tenantId: string, input: { roleId: string; groupId?: string; groupDisplayName?: string }, actor: AuditActor) {
      await role(tenantId, input.roleId);
      if (input.groupId && !(await repo.findGroup(tenantId, input.groupId))) throw notFound("Group not found");
      const data = { tenantId, roleId: input.roleId, groupId: input.groupId ?? null, groupDisplayName: input.groupId ? null : (input.groupDisplayName ?? null) };
      const group = await mappedGroup(tenantId, data);
      const m = await withDbErrors("role mapping", () =>
        db.$transaction(async (tx) => {
          const created = await repo.createMapping(tx, data);
          if (group) await service.recomputeForGroup(tenantId, group.id, tx);
          await audit.record({ tenantId, actor, action: "role_mapping.created", targetType: "GroupRoleMapping", targetId: created.id, data: { roleId: data.roleId, groupId: data.groupId, groupDisplayName: data.groupDisplayName } }, tx);
          return created;
        }),
      );
      return mappingView(m);
    },

    async removeMapping(tenantId: string, id: string, actor: AuditActor): Promise<void> {
      const m = await repo.findMapping(tenantId, id);
      if (!m) throw notFound("Role mapping not found");
      const group = await mappedGroup(tenantId, m);
      await db.$transaction(async (tx) => {
        await repo.deleteMapping(tx, tenantId, id);
        if (group) await service.recomputeForGroup(tenantId, group.id, tx);
        await audit.record({ tenantId, actor, action: "role_mapping.deleted", targetType: "GroupRoleMapping", targetId: id, data: { roleId: m.roleId, groupId: m.groupId, groupDisplayName: m.groupDisplayName } }, tx);
      });
    },
  };
  return service;
}

export type RolesService = ReturnType<typeof createRolesService>;
