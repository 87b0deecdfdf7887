import type { Db } from "../../db/client.ts";

export function createScimTokensRepo(db: Db) {
  return {
    create: (data: { tenantId: string; name: string; prefix: string; digest: string; expiresAt: Date | null }) =>
      db.scimToken.create({ data }),
    listByTenant: (tenantId: string) => db.scimToken.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" } }),
    findByDigest: (digest: string) => db.scimToken.findUnique({ where: { digest } }),
    find: (tenantId: string, id: string) => db.scimToken.findFirst({ where: { tenantId, id } }),
    revoke: (tenantId: string, id: string, at: Date) =>
      db.scimToken.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: at } }),
    touch: (id: string, at: Date) => db.scimToken.updateMany({ where: { id }, data: { lastUsedAt: at } }),
  };
}

export type ScimTokensRepo = ReturnType<typeof createScimTokensRepo>;
