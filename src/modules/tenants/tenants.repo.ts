import type { Db } from "../../db/client.ts";
import { REVOCATIONS_CHANNEL } from "../scim-tokens/scim-tokens.repo.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

export function createTenantsRepo(db: Db) {
  return {
    create: (data: { name: string; settings: Prisma.InputJsonValue }) => db.tenant.create({ data }),
    find: (id: string) => db.tenant.findUnique({ where: { id } }),
    list: (opts: { after?: string; limit: number }) =>
      db.tenant.findMany({
        where: opts.after ? { id: { gt: opts.after } } : {},
        orderBy: { id: "asc" },
        take: opts.limit,
      }),
    update: (id: string, data: { name?: string; settings?: Prisma.InputJsonValue }) =>
      db.tenant.update({ where: { id }, data }),
    /**
     * Every tenant-owned table cascades from Tenant, so one delete removes all of its data; the
     * NOTIFY (delivered on commit) drops the tenant's cached SCIM tokens in every process.
     */
    remove: (id: string) =>
      db.$transaction([db.tenant.delete({ where: { id } }), db.$executeRaw`SELECT pg_notify(${REVOCATIONS_CHANNEL}, ${`tenant:${id}`})`]),
  };
}

export type TenantsRepo = ReturnType<typeof createTenantsRepo>;
