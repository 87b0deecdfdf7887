// SCIM Groups. Membership changes are set-based and serialised per group by a row lock, so
// two concurrent PATCHes adding members never lose one; each change writes its events in
// the same transaction.
import type pg from "pg";
import { withTransaction, type Queryable } from "../../db/sql.ts";
import { withDbErrors } from "../../db/errors.ts";
import { badRequest, notFound } from "../../errors.ts";
import { emitEvent } from "../../events/emit.ts";
import { changedAttributes } from "../../scim/diff.ts";
import { groupColumns, groupDocument, groupToScim, type GroupRow } from "../../scim/mappers/group.mapper.ts";
import { applyPatch, normalizeResource, type MemberChanges } from "../../scim/patch/index.ts";
import type { ListQuery } from "../../scim/query.ts";
import type { TenantContext } from "../context.ts";
import { checkIfMatch, listResources } from "../resources/list.service.ts";
import type { GroupsRepo } from "./groups.repo.ts";

export interface GroupsServiceDeps {
  pool: pg.Pool;
  repo: GroupsRepo;
  scimBaseUrl: string;
}

export interface ReadOptions {
  withMembers: boolean;
}

type Doc = Record<string, unknown>;

function requireDisplayName(doc: Doc) {
  if (typeof doc.displayName !== "string" || !doc.displayName.trim()) throw badRequest("displayName is required", "invalidValue");
  if (doc.displayName.length > 512) throw badRequest("displayName is too long (512 characters at most)", "invalidValue");
}

export function createGroupsService(deps: GroupsServiceDeps) {
  const { pool, repo, scimBaseUrl } = deps;

  async function present(ctx: TenantContext, row: GroupRow, opts: ReadOptions): Promise<Doc> {
    const members = opts.withMembers ? (await repo.members(pool, ctx.tenantId, [row.id])).get(row.id) : undefined;
    return groupToScim(row, scimBaseUrl, members);
  }

  /** Applies member changes with a few statements; returns who was added and removed. */
  async function changeMembers(ctx: TenantContext, tx: Queryable, groupId: string, changes: MemberChanges) {
    const wanted = [...new Set(changes.add)];
    if (wanted.length) {
      const known = await repo.existingUserIds(tx, ctx.tenantId, wanted);
      const unknown = wanted.filter((id) => !known.has(id));
      if (unknown.length) {
        throw badRequest(`Unknown member(s): ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", …" : ""}. Members must be Users of this tenant.`, "invalidValue");
      }
    }
    let removed: string[];
    if (changes.removeAll) {
      // Replace: keep the wanted members that are already in, remove everyone else.
      removed = await repo.removeMembersExcept(tx, ctx.tenantId, groupId, wanted);
    } else {
      const toRemove = [...new Set(changes.remove)].filter((id) => !wanted.includes(id));
      removed = await repo.removeMembers(tx, ctx.tenantId, groupId, toRemove);
    }
    const added = await repo.addMembers(tx, ctx.tenantId, groupId, wanted);
    if (added.length || removed.length) {
      await emitEvent(tx, {
        tenantId: ctx.tenantId,
        type: "group.members_changed",
        resourceType: "Group",
        resourceId: groupId,
        attributes: ["members"],
        actor: ctx.actor,
        data: { added, removed },
      });
    }
    return { added, removed };
  }

  /** Writes attribute and member changes over a locked row; bumps the version once. */
  async function writeChange(ctx: TenantContext, tx: Queryable, before: GroupRow, after: Doc, members: MemberChanges) {
    requireDisplayName(after);
    const changed = changedAttributes(groupDocument(before), after);
    let row = before;
    if (changed.length) {
      row = await withDbErrors("group", () => repo.update(tx, ctx.tenantId, before.id, groupColumns(after)));
      await emitEvent(tx, { tenantId: ctx.tenantId, type: "group.updated", resourceType: "Group", resourceId: row.id, attributes: changed, actor: ctx.actor });
    }
    const { added, removed } = await changeMembers(ctx, tx, before.id, members);
    if (!changed.length && (added.length || removed.length)) row = await repo.bumpVersion(tx, ctx.tenantId, before.id);
    return row;
  }

  async function lockOrThrow(ctx: TenantContext, tx: Queryable, id: string, ifMatch: string | undefined) {
    const row = await repo.lock(tx, ctx.tenantId, id);
    if (!row) throw notFound(`Group ${id} not found`);
    checkIfMatch(ifMatch, row.version);
    return row;
  }

  return {
    async create(ctx: TenantContext, body: unknown): Promise<Doc> {
      const { resource, members } = normalizeResource("Group", body);
      requireDisplayName(resource);
      const row = await withTransaction(pool, async (tx) => {
        const created = await withDbErrors("group", () => repo.insert(tx, ctx.tenantId, groupColumns(resource)));
        await emitEvent(tx, {
          tenantId: ctx.tenantId,
          type: "group.created",
          resourceType: "Group",
          resourceId: created.id,
          attributes: changedAttributes({}, resource),
          actor: ctx.actor,
        });
        await changeMembers(ctx, tx, created.id, { add: members ?? [], remove: [], removeAll: false });
        return created;
      });
      return present(ctx, row, { withMembers: true });
    },

    async get(ctx: TenantContext, id: string, opts: ReadOptions): Promise<Doc> {
      const row = await repo.find(pool, ctx.tenantId, id);
      if (!row) throw notFound(`Group ${id} not found`);
      return present(ctx, row, opts);
    },

    async version(ctx: TenantContext, id: string): Promise<number | null> {
      return (await repo.find(pool, ctx.tenantId, id))?.version ?? null;
    },

    async list(ctx: TenantContext, q: ListQuery, opts: ReadOptions) {
      const page = await listResources<GroupRow>(pool, "Group", ctx.tenantId, q);
      const members = opts.withMembers ? await repo.members(pool, ctx.tenantId, page.rows.map((r) => r.id)) : undefined;
      return { ...page, resources: page.rows.map((r) => groupToScim(r, scimBaseUrl, members?.get(r.id))) };
    },

    /** PUT: replaces displayName, externalId and the member list (Okta group push). */
    async replace(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<Doc> {
      const { resource, members } = normalizeResource("Group", body);
      const row = await withTransaction(pool, async (tx) => {
        const before = await lockOrThrow(ctx, tx, id, ifMatch);
        return writeChange(ctx, tx, before, resource, { add: members ?? [], remove: [], removeAll: true });
      });
      return present(ctx, row, { withMembers: true });
    },

    /** PATCH: attributes through the PATCH engine, members as set-based statements. */
    async patch(ctx: TenantContext, id: string, body: unknown, ifMatch?: string, opts: ReadOptions = { withMembers: true }): Promise<Doc> {
      const row = await withTransaction(pool, async (tx) => {
        const before = await lockOrThrow(ctx, tx, id, ifMatch);
        const result = applyPatch("Group", { ...groupDocument(before), id: before.id }, body);
        return writeChange(ctx, tx, before, result.resource, result.members);
      });
      return present(ctx, row, opts);
    },

    async remove(ctx: TenantContext, id: string, ifMatch?: string): Promise<void> {
      await withTransaction(pool, async (tx) => {
        await lockOrThrow(ctx, tx, id, ifMatch);
        const removed = await repo.removeMembersExcept(tx, ctx.tenantId, id, []);
        await repo.remove(tx, ctx.tenantId, id);
        await emitEvent(tx, {
          tenantId: ctx.tenantId,
          type: "group.deleted",
          resourceType: "Group",
          resourceId: id,
          attributes: [],
          actor: ctx.actor,
          data: { removed },
        });
      });
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
