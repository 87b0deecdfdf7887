// SCIM Users: rules, dialect normalisation (through the PATCH engine's normalizer) and the
// transaction that writes the change and its event together.
import type pg from "pg";
import { withDbErrors } from "../../db/errors.ts";
import { withTransaction, type Queryable } from "../../db/sql.ts";
import { badRequest, notFound } from "../../errors.ts";
import type { EventType } from "../../events/catalog.ts";
import { emitEvent } from "../../events/emit.ts";
import { hashPassword } from "../../lib/password.ts";
import { changedAttributes } from "../../scim/diff.ts";
import { userColumns, userDocument, userToScim, type UserRow } from "../../scim/mappers/user.mapper.ts";
import { applyPatch, normalizeResource } from "../../scim/patch/index.ts";
import type { ListQuery } from "../../scim/query.ts";
import type { TenantContext } from "../context.ts";
import { checkIfMatch, listResources } from "../resources/list.service.ts";
import { GROUP_REFS, type UserRowWithGroups, type UsersRepo } from "./users.repo.ts";

export interface UsersServiceDeps {
  pool: pg.Pool;
  repo: UsersRepo;
  /** Base URL of the SCIM API, for `meta.location` and `$ref`s. */
  scimBaseUrl: string;
  /**
   * Runs before a user row is deleted. Sessions cascade with the user, so their ids must be
   * deny-listed first or a deleted user's access tokens would keep verifying offline.
   */
  beforeDelete?: (tenantId: string, userId: string) => Promise<unknown>;
}

export interface ReadOptions {
  /** Load the derived `groups` attribute (skipped when the projection excludes it). */
  withGroups: boolean;
}

type Doc = Record<string, unknown>;

function requireUserName(doc: Doc) {
  if (typeof doc.userName !== "string" || !doc.userName.trim()) throw badRequest("userName is required", "invalidValue");
  if (doc.userName.length > 512) throw badRequest("userName is too long (512 characters at most)", "invalidValue");
}

/** Which event a change of `active` makes: deactivation is deprovisioning (DESIGN.md). */
function eventTypeFor(before: boolean, after: boolean): EventType {
  if (before && !after) return "user.deactivated";
  if (!before && after) return "user.reactivated";
  return "user.updated";
}

export function createUsersService(deps: UsersServiceDeps) {
  const { pool, repo, scimBaseUrl } = deps;

  async function present(ctx: TenantContext, row: UserRowWithGroups, opts: ReadOptions): Promise<Doc> {
    let groups = row.groupRefs;
    if (opts.withGroups && !groups) groups = (await repo.find(pool, ctx.tenantId, row.id, true))?.groupRefs ?? [];
    return userToScim(row, scimBaseUrl, opts.withGroups ? groups : undefined);
  }

  /** Writes new columns over a locked row and emits the matching event; no-op writes change nothing. */
  async function writeChange(ctx: TenantContext, tx: Queryable, before: UserRow, after: Doc, password: string | null | undefined) {
    requireUserName(after);
    const changed = changedAttributes(userDocument(before), after);
    if (password !== undefined) changed.push("password");
    if (!changed.length) return before;
    const hash = password === undefined ? undefined : password === null ? null : await hashPassword(password);
    const row = await withDbErrors("user", () => repo.update(tx, ctx.tenantId, before.id, userColumns(after), hash));
    await emitEvent(tx, {
      tenantId: ctx.tenantId,
      type: eventTypeFor(before.active, row.active),
      resourceType: "User",
      resourceId: row.id,
      attributes: changed,
      actor: ctx.actor,
    });
    return row;
  }

  async function lockOrThrow(ctx: TenantContext, tx: Queryable, id: string, ifMatch: string | undefined) {
    const row = await repo.lock(tx, ctx.tenantId, id);
    if (!row) throw notFound(`User ${id} not found`);
    checkIfMatch(ifMatch, row.version);
    return row;
  }

  return {
    async create(ctx: TenantContext, body: unknown): Promise<Doc> {
      const { resource, password } = normalizeResource("User", body);
      requireUserName(resource);
      const hash = typeof password === "string" ? await hashPassword(password) : null;
      const row = await withTransaction(pool, async (tx) => {
        const created = await withDbErrors("user", () => repo.insert(tx, ctx.tenantId, userColumns(resource), hash));
        await emitEvent(tx, {
          tenantId: ctx.tenantId,
          type: "user.created",
          resourceType: "User",
          resourceId: created.id,
          attributes: changedAttributes({}, resource),
          actor: ctx.actor,
        });
        return created;
      });
      return userToScim(row, scimBaseUrl, []);
    },

    async get(ctx: TenantContext, id: string, opts: ReadOptions): Promise<Doc> {
      const row = await repo.find(pool, ctx.tenantId, id, opts.withGroups);
      if (!row) throw notFound(`User ${id} not found`);
      return present(ctx, row, opts);
    },

    /** The current version, for If-None-Match, without building the document. */
    async version(ctx: TenantContext, id: string): Promise<number | null> {
      return (await repo.find(pool, ctx.tenantId, id, false))?.version ?? null;
    },

    async list(ctx: TenantContext, q: ListQuery, opts: ReadOptions) {
      const page = await listResources<UserRowWithGroups>(pool, "User", ctx.tenantId, q, opts.withGroups ? GROUP_REFS : undefined);
      return { ...page, resources: page.rows.map((r) => userToScim(r, scimBaseUrl, opts.withGroups ? (r.groupRefs ?? []) : undefined)) };
    },

    /** PUT (RFC 7644 §3.5.1): replaces every writable attribute; a missing password or `active` is kept. */
    async replace(ctx: TenantContext, id: string, body: unknown, ifMatch?: string): Promise<Doc> {
      const { resource, password } = normalizeResource("User", body);
      const row = await withTransaction(pool, async (tx) => {
        const before = await lockOrThrow(ctx, tx, id, ifMatch);
        // A PUT that leaves `active` out keeps the current state, as it keeps the password:
        // defaulting it to true would silently reactivate a deprovisioned user (DESIGN.md:
        // deactivation is as final as DELETE) and report a change nobody made.
        const after = resource.active === undefined ? { ...resource, active: before.active } : resource;
        return writeChange(ctx, tx, before, after, password);
      });
      return present(ctx, row, { withGroups: true });
    },

    /** PATCH (RFC 7644 §3.5.2): all operations apply, or none. */
    async patch(ctx: TenantContext, id: string, body: unknown, ifMatch?: string, opts: ReadOptions = { withGroups: true }): Promise<Doc> {
      const row = await withTransaction(pool, async (tx) => {
        const before = await lockOrThrow(ctx, tx, id, ifMatch);
        const result = applyPatch("User", { ...userDocument(before), id: before.id }, body);
        return writeChange(ctx, tx, before, result.resource, result.password);
      });
      return present(ctx, row, opts);
    },

    async remove(ctx: TenantContext, id: string, ifMatch?: string): Promise<void> {
      const existing = await repo.find(pool, ctx.tenantId, id, false);
      if (!existing) throw notFound(`User ${id} not found`);
      checkIfMatch(ifMatch, existing.version);
      await deps.beforeDelete?.(ctx.tenantId, id);
      await withTransaction(pool, async (tx) => {
        const before = await lockOrThrow(ctx, tx, id, ifMatch);
        const groupIds = await repo.leaveGroups(tx, ctx.tenantId, id);
        await repo.remove(tx, ctx.tenantId, id);
        await emitEvent(tx, {
          tenantId: ctx.tenantId,
          type: "user.deleted",
          resourceType: "User",
          resourceId: id,
          attributes: [],
          actor: ctx.actor,
          data: { groups: groupIds, wasActive: before.active },
        });
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
