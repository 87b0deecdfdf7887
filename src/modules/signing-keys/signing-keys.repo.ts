import type { Db } from "../../db/client.ts";
import type { Prisma } from "../../generated/prisma/client.ts";

/** Serialises key creation and rotation across processes. */
const KEY_LOCK = 7281010;

export type SigningKeyRow = Awaited<ReturnType<Db["signingKey"]["findMany"]>>[number];

export function createSigningKeysRepo(db: Db) {
  return {
    /** The key that signs now: the newest one not retired. */
    findActive: () => db.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } }),
    findPublished: (kid: string, now: Date) =>
      db.signingKey.findFirst({ where: { kid, OR: [{ publishUntil: null }, { publishUntil: { gt: now } }] } }),
    listPublished: (now: Date) =>
      db.signingKey.findMany({ where: { OR: [{ publishUntil: null }, { publishUntil: { gt: now } }] }, orderBy: { createdAt: "desc" } }),
    listAll: () => db.signingKey.findMany({ orderBy: { createdAt: "desc" } }),
    /**
     * Under an advisory lock: `create` runs only when `shouldCreate` says so (first key, or a
     * rotation), after retiring the active key until `publishUntil`.
     */
    createLocked: (opts: {
      retireActive: { publishUntil: Date } | null;
      key: { kid: string; alg: string; publicJwk: Prisma.InputJsonValue; privateEncrypted: string };
      onlyIfNone: boolean;
    }) =>
      db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_LOCK})`;
        if (opts.onlyIfNone) {
          const existing = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });
          if (existing) return existing;
        }
        if (opts.retireActive) {
          await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date(), publishUntil: opts.retireActive.publishUntil } });
        }
        return tx.signingKey.create({ data: opts.key });
      }),
  };
}

export type SigningKeysRepo = ReturnType<typeof createSigningKeysRepo>;
