import type { Db } from "../../db/client.ts";

/** NOTIFY channel on which revoked SCIM token digests and deleted tenant ids are announced. */
export const REVOCATIONS_CHANNEL = "roster_credentials_revoked";

export function createScimTokensRepo(db: Db) {
  return {
    create: (data: { tenantId: string; name: string; prefix: string; digest: string; expiresAt: Date | null }) =>
      db.scimToken.create({ data }),
    listByTenant: (tenantId: string) => db.scimToken.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" } }),
    findByDigest: (digest: string) => db.scimToken.findUnique({ where: { digest } }),
    find: (tenantId: string, id: string) => db.scimToken.findFirst({ where: { tenantId, id } }),
    /** Revokes and tells every process's token cache, on commit (NOTIFY is transactional). */
    revoke: (tenantId: string, id: string, digest: string, at: Date) =>
      db.$transaction([
        db.scimToken.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: at } }),
        db.$executeRaw`SELECT pg_notify(${REVOCATIONS_CHANNEL}, ${`token:${digest}`})`,
      ]),
    touch: (id: string, at: Date) => db.scimToken.updateMany({ where: { id }, data: { lastUsedAt: at } }),
  };
}

export type ScimTokensRepo = ReturnType<typeof createScimTokensRepo>;
