// Vendor-admin credentials for /admin/v1. The bootstrap credential comes from
// ROSTER_ADMIN_TOKEN; when none is configured and none exists yet, one is generated on
// first start and returned (to be printed once). Only digests are stored.
import type { Db } from "../../db/client.ts";
import { digestSecret, displayPrefix, generateSecret, safeEqual } from "../../lib/secrets.ts";
import { TtlCache } from "../../lib/ttl-cache.ts";

export const ADMIN_TOKEN_PREFIX = "rsa_";
const FROM_ENVIRONMENT = "environment";
const GENERATED = "generated";

export interface AdminPrincipal {
  credentialId: string;
  name: string;
}

export function createAdminCredentialsService(deps: { db: Db; cacheTtlMs: number }) {
  const { db } = deps;
  const cache = new TtlCache<{ id: string; name: string; digest: string }>(deps.cacheTtlMs);

  return {
    /**
     * Makes the configured token the live "environment" credential (revoking an older one
     * if the variable changed). Without one, generates a token if no credential exists.
     * Returns the generated secret, or null.
     */
    async bootstrap(configured: string | undefined): Promise<string | null> {
      if (configured) {
        const digest = digestSecret(configured);
        // Configuring a token retires every earlier bootstrap credential: a previous value of
        // the variable, and a token generated (and printed) before one was configured.
        await db.$transaction([
          db.adminCredential.updateMany({
            where: { name: { in: [FROM_ENVIRONMENT, GENERATED] }, revokedAt: null, digest: { not: digest } },
            data: { revokedAt: new Date() },
          }),
          db.adminCredential.upsert({
            where: { digest },
            // Four characters identify it in a list; more would give away part of the secret.
            create: { name: FROM_ENVIRONMENT, prefix: `${configured.slice(0, 4)}…`, digest },
            update: { revokedAt: null },
          }),
        ]);
        return null;
      }
      // Serialised by an advisory lock so two processes starting at once generate one token.
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(7281001)`;
        if ((await tx.adminCredential.count({ where: { revokedAt: null } })) > 0) return null;
        const token = generateSecret(ADMIN_TOKEN_PREFIX);
        await tx.adminCredential.create({
          data: { name: GENERATED, prefix: displayPrefix(token, ADMIN_TOKEN_PREFIX), digest: digestSecret(token) },
        });
        return token;
      });
    },

    async authenticate(secret: string): Promise<AdminPrincipal | null> {
      if (secret.length < 32 || secret.length > 512) return null;
      const digest = digestSecret(secret);
      let entry = cache.get(digest);
      if (!entry) {
        const row = await db.adminCredential.findUnique({ where: { digest } });
        if (!row || row.revokedAt) return null;
        entry = { id: row.id, name: row.name, digest: row.digest };
        cache.set(digest, entry);
      }
      if (!safeEqual(entry.digest, digest)) return null;
      return { credentialId: entry.id, name: entry.name };
    },
  };
}

export type AdminCredentialsService = ReturnType<typeof createAdminCredentialsService>;
