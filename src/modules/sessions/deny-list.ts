// The revoked-session deny-list consulted on every access-token check. A revoked session's
// access tokens stay cryptographically valid until they expire, so its id is listed for one
// access-token lifetime: in Redis (one GET per check) when REDIS_URL is set, otherwise in the
// "RevokedSession" table (one primary-key lookup).
import type { Redis } from "ioredis";
import type { Db, Tx } from "../../db/client.ts";

const KEY_PREFIX = "roster:revoked-sid:";

export interface DenyList {
  readonly backend: "redis" | "postgres";
  /**
   * Lists the sessions. With PostgreSQL, pass the transaction that revokes them so both
   * commit together; with Redis, call it after the commit (it throws if Redis is down, so
   * the caller can fail and be retried — revocation is idempotent).
   */
  add(sessionIds: readonly string[], tx?: Tx): Promise<void>;
  has(sessionId: string): Promise<boolean>;
}

export function createDenyList(deps: { db: Db; redis?: Redis; ttlSeconds: number; onRedisError?: (e: unknown) => void }): DenyList {
  const { db, redis, ttlSeconds } = deps;

  /** When Redis cannot answer, fall back to the session row itself (one primary-key query). */
  async function revokedInDb(sessionId: string): Promise<boolean> {
    const s = await db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true } });
    return !s || s.revokedAt !== null;
  }

  if (redis) {
    return {
      backend: "redis",
      async add(sessionIds) {
        if (!sessionIds.length) return;
        const pipeline = redis.pipeline();
        for (const sid of sessionIds) pipeline.set(KEY_PREFIX + sid, "1", "EX", ttlSeconds);
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([err]) => err);
        if (failed) throw failed[0];
      },
      async has(sessionId) {
        try {
          return (await redis.get(KEY_PREFIX + sessionId)) !== null;
        } catch (e) {
          deps.onRedisError?.(e);
          return revokedInDb(sessionId);
        }
      },
    };
  }

  return {
    backend: "postgres",
    async add(sessionIds, tx = db) {
      if (!sessionIds.length) return;
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      await tx.$executeRaw`
        INSERT INTO "RevokedSession" ("sessionId", "expiresAt")
        SELECT unnest(${[...sessionIds]}::text[]), ${expiresAt}
        ON CONFLICT ("sessionId") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"`;
      // Expired entries are useless (their tokens have expired); trim a few on each write.
      await tx.$executeRaw`DELETE FROM "RevokedSession" WHERE "sessionId" IN (
        SELECT "sessionId" FROM "RevokedSession" WHERE "expiresAt" < now() LIMIT 100)`;
    },
    async has(sessionId) {
      const row = await db.revokedSession.findUnique({ where: { sessionId }, select: { expiresAt: true } });
      return row !== null;
    },
  };
}
