// Per-tenant RBAC: roles carry permissions; users get roles directly or through IdP groups
// (by group id, or by displayName for groups not pushed yet). Effective roles are
// materialised with their source so token issue is one indexed query.
import type { Db, Tx } from "../../db/client.ts";
import { withDbErrors } from "../../db/errors.ts";
import type { Queryable } from "../../db/sql.ts";
import { badRequest, notFound } from "../../errors.ts";
import type { EventType } from "../../events/catalog.ts";
import { emitEvent } from "../../events/emit.ts";
import type { AuditActor, AuditService } from "../audit/audit.service.ts";
import type { Actor } from "../context.ts";
import type { MappingKey, RolesRepo } from "./roles.repo.ts";

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

/** The audit log's actor as the event outbox records it (ids only). */
function eventActor(a: AuditActor): Actor {
  if (a.type === "admin") return { type: "admin", id: a.credentialId };
  if (a.type === "user") return { type: "user", id: a.userId, ...(a.impersonatorId ? { impersonator: a.impersonatorId } : {}) };
  return { type: "system", id: a.reason ?? "roster" };
}

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
  const mappingKey = (m: MappingKey): MappingKey => ({ roleId: m.roleId, groupId: m.groupId, groupDisplayName: m.groupDisplayName });
  /** The outbox row for a mapping change: the roles job finds the affected users from its key. */
  function emitMappingEvent(tx: Tx, type: "role_mapping.created" | "role_mapping.deleted", m: MappingRow, actor: AuditActor) {
    return emitEvent(tx, { tenantId: m.tenantId, type, resourceType: "RoleMapping", resourceId: m.id, actor: eventActor(actor), data: mappingKey(m) });
  }
  function emitRolesChanged(tx: Tx, tenantId: string, userId: string, actor: AuditActor, cause: string, roleId: string) {
    return emitEvent(tx, {
      tenantId, type: "user.roles_changed", resourceType: "User", resourceId: userId, attributes: ["roles"],
      actor: eventActor(actor), data: { cause: { type: cause, resourceId: roleId } },
    });
  }

  const WORKER = { type: "system" as const, id: "roster-worker" };

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
     * The roles job's unit of work: recomputes the active users among `userIds` in one
     * transaction and writes a user.roles_changed event (naming its cause) for each user whose
     * role set changed, in one statement. Returns how many changed.
     */
    async recomputeAndAnnounce(tenantId: string, userIds: readonly string[], cause: { eventId: string; type: string; resourceId: string }): Promise<number> {
      return db.$transaction(async (tx) => {
        const active = (await tx.user.findMany({ where: { tenantId, id: { in: [...userIds] }, active: true }, select: { id: true } })).map((u) => u.id);
        const changed = await service.recomputeForUsers(tenantId, active, tx);
        if (changed.length) {
          await tx.event.createMany({
            data: changed.map((userId) => ({
              tenantId, type: "user.roles_changed" satisfies EventType, resourceType: "User", resourceId: userId, attributes: ["roles"],
              actor: WORKER, data: { cause },
            })),
          });
        }
        return changed.length;
      }, { timeout: 60_000 });
    },

    /**
     * Recomputes every member of a group (and anyone who held a role through it): after a
     * mapping change, a group rename, or a group delete. Returns how many users' role sets
     * changed. One SQL statement, whatever the group size.
     */
    async recomputeForGroup(tenantId: string, groupId: string, tx?: Tx): Promise<{ changedUsers: number }> {
      return { changedUsers: await repo.recomputeForGroup(tx ?? db, tenantId, groupId) };
    },

    /**
     * One keyset page (user ids after `after`, ascending) of the users a mapping change may
     * affect. The roles job walks these pages and recomputes each in its own transaction.
     */
    async usersForMapping(tenantId: string, mapping: MappingKey, after: string, limit: number): Promise<string[]> {
      return repo.usersForMapping(tenantId, mapping, after, limit);
    },

    /**
     * Deprovisioning: removes every effective role of a deactivated or deleted user and
     * returns how many rows went. A user who is active again keeps their rows (the roles job
     * recomputes them on user.reactivated), so a late or retried deprovision cannot strip a
     * reactivated user. Pass the caller's transaction (Prisma or pg) to commit with it.
     */
    async clearForUser(tenantId: string, userId: string, tx?: Tx | Queryable): Promise<number> {
      return repo.clearForUser(tx ?? db, tenantId, userId);
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

    /**
     * EffectiveRole, UserRole and mappings cascade with the role, so every holder's role set
     * changes here: their user.roles_changed events are written in the same transaction, by
     * one INSERT … SELECT before the delete (nothing left to recompute afterwards).
     * Permission or name changes leave every role set as it is and emit no user event:
     * tokens read a role's permissions when they are issued.
     */
    async remove(tenantId: string, id: string, actor: AuditActor): Promise<void> {
      const r = await role(tenantId, id);
      await db.$transaction(async (tx) => {
        await repo.emitRolesChangedForHolders(tx, tenantId, id, eventActor(actor), { cause: { type: "role.deleted", resourceId: id } });
        await repo.deleteRole(tenantId, id, tx);
        await audit.record({ tenantId, actor, action: "role.deleted", targetType: "Role", targetId: id, data: { name: r.name } }, tx);
      }, { timeout: 60_000 });
    },

    // ---- direct assignments ----
    async assign(tenantId: string, userId: string, roleId: string, actor: AuditActor): Promise<EffectiveRolesView> {
      await Promise.all([user(tenantId, userId), role(tenantId, roleId)]);
      await db.$transaction(async (tx) => {
        if ((await repo.assign(tx, tenantId, userId, roleId)) === 0) return; // already assigned: idempotent PUT
        const changed = await service.recomputeForUsers(tenantId, [userId], tx);
        if (changed.length) await emitRolesChanged(tx, tenantId, userId, actor, "role.assigned", roleId);
        await audit.record({ tenantId, actor, action: "role.assigned", targetType: "User", targetId: userId, data: { roleId } }, tx);
      });
      return service.effective(tenantId, userId);
    },

    async unassign(tenantId: string, userId: string, roleId: string, actor: AuditActor): Promise<void> {
      await Promise.all([user(tenantId, userId), role(tenantId, roleId)]);
      await db.$transaction(async (tx) => {
        const { count } = await repo.unassign(tx, tenantId, userId, roleId);
        if (!count) throw notFound("The user does not have this role directly");
        const changed = await service.recomputeForUsers(tenantId, [userId], tx);
        if (changed.length) await emitRolesChanged(tx, tenantId, userId, actor, "role.unassigned", roleId);
        await audit.record({ tenantId, actor, action: "role.unassigned", targetType: "User", targetId: userId, data: { roleId } }, tx);
      });
    },

    // ---- group → role mappings ----
    async listMappings(tenantId: string, roleId?: string): Promise<RoleMappingView[]> {
      return (await repo.listMappings(tenantId, roleId)).map(mappingView);
    },

    /**
     * Members' effective roles change asynchronously: the mapping row and a
     * role_mapping.created event commit together, and the roles job (workers/jobs/roles.job.ts)
     * recomputes the group's members in batches and emits user.roles_changed for each user
     * whose set changed. A 100k-member group never runs inside the request.
     */
    async createMapping(tenantId: string, input: { roleId: string; groupId?: string; groupDisplayName?: string }, actor: AuditActor) {
      await role(tenantId, input.roleId);
      if (input.groupId && !(await repo.findGroup(tenantId, input.groupId))) throw notFound("Group not found");
      const data = { tenantId, roleId: input.roleId, groupId: input.groupId ?? null, groupDisplayName: input.groupId ? null : (input.groupDisplayName ?? null) };
      const m = await withDbErrors("role mapping", () =>
        db.$transaction(async (tx) => {
          const created = await repo.createMapping(tx, data);
          await emitMappingEvent(tx, "role_mapping.created", created, actor);
          await audit.record({ tenantId, actor, action: "role_mapping.created", targetType: "GroupRoleMapping", targetId: created.id, data: mappingKey(created) }, tx);
          return created;
        }),
      );
      return mappingView(m);
    },

    /** Like createMapping: the role_mapping.deleted event drives the (batched) recompute. */
    async removeMapping(tenantId: string, id: string, actor: AuditActor): Promise<void> {
      const m = await repo.findMapping(tenantId, id);
      if (!m) throw notFound("Role mapping not found");
      await db.$transaction(async (tx) => {
        // Two concurrent deletes: only the one that removed the row writes the event.
        if (!(await repo.deleteMapping(tx, tenantId, id)).count) throw notFound("Role mapping not found");
        await emitMappingEvent(tx, "role_mapping.deleted", m, actor);
        await audit.record({ tenantId, actor, action: "role_mapping.deleted", targetType: "GroupRoleMapping", targetId: id, data: mappingKey(m) }, tx);
      });
    },
  };
  return service;
}

export type RolesService = ReturnType<typeof createRolesService>;
