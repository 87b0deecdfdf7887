import { notFound } from "../../errors.ts";
import { withDbErrors } from "../../db/errors.ts";
import type { TenantsRepo } from "./tenants.repo.ts";

export type TenantSettings = Record<string, unknown>;

export interface TenantView {
  id: string;
  name: string;
  settings: TenantSettings;
  createdAt: string;
  updatedAt: string;
}

function toView(t: { id: string; name: string; settings: unknown; createdAt: Date; updatedAt: Date }): TenantView {
  return {
    id: t.id,
    name: t.name,
    settings: (t.settings ?? {}) as TenantSettings,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function createTenantsService(deps: {
  repo: TenantsRepo;
  /** Runs before the delete: whatever must outlive the tenant's rows (the session deny-list). */
  beforeDelete?: (id: string) => Promise<unknown>;
  onTenantDeleted?: (id: string) => void;
}) {
  const { repo } = deps;
  const get = async (id: string): Promise<TenantView> => {
    const t = await repo.find(id);
    if (!t) throw notFound("Tenant not found");
    return toView(t);
  };
  return {
    get,
    async create(input: { name: string; settings?: TenantSettings }): Promise<TenantView> {
      return toView(await repo.create({ name: input.name, settings: (input.settings ?? {}) as object }));
    },
    async list(opts: { after?: string; limit: number }): Promise<{ data: TenantView[]; nextCursor: string | null }> {
      const rows = await repo.list({ after: opts.after, limit: opts.limit + 1 });
      const page = rows.slice(0, opts.limit);
      return { data: page.map(toView), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
    },
    async update(id: string, input: { name?: string; settings?: TenantSettings }): Promise<TenantView> {
      await get(id);
      return toView(await withDbErrors("tenant", () => repo.update(id, { name: input.name, settings: input.settings as object | undefined })));
    },
    async remove(id: string): Promise<void> {
      await get(id);
      await deps.beforeDelete?.(id);
      await withDbErrors("tenant", () => repo.remove(id));
      deps.onTenantDeleted?.(id);
    },
  };
}

export type TenantsService = ReturnType<typeof createTenantsService>;
