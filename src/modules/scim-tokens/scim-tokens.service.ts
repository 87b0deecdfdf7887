// Per-tenant SCIM bearer tokens. The secret is returned once at creation; only its SHA-256
// digest is stored. Authentication is cached for a few seconds so the SCIM hot path costs
// no database round trip; revoking through this service drops the cached entry at once.
import { notFound } from "../../errors.ts";
import { digestSecret, displayPrefix, generateSecret, safeEqual } from "../../lib/secrets.ts";
import { TtlCache } from "../../lib/ttl-cache.ts";
import type { ScimTokensRepo } from "./scim-tokens.repo.ts";

export const SCIM_TOKEN_PREFIX = "rst_";
/** rst_ + 43 base64url characters. */
const TOKEN_SHAPE = /^rst_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is written at most this often per token, off the request path. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ScimTokenView {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
}

export interface ScimPrincipal {
  tokenId: string;
  tenantId: string;
}

type Row = Awaited<ReturnType<ScimTokensRepo["create"]>>;

function toView(t: Row, now = new Date()): ScimTokenView {
  const status = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active";
  return {
    id: t.id,
    tenantId: t.tenantId,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    status,
  };
}

export type AuthResult =
  | { ok: true; principal: ScimPrincipal }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

export function createScimTokensService(deps: { repo: ScimTokensRepo; cacheTtlMs: number; onError?: (e: unknown) => void }) {
  const { repo } = deps;
  const cache = new TtlCache<{ id: string; tenantId: string; digest: string; expiresAt: number | null }>(deps.cacheTtlMs);
  const lastTouched = new Map<string, number>();

  function touch(id: string, now: number) {
    if ((lastTouched.get(id) ?? 0) + TOUCH_INTERVAL_MS > now) return;
    lastTouched.set(id, now);
    repo.touch(id, new Date(now)).catch((e) => deps.onError?.(e));
  }

  return {
    async create(tenantId: string, input: { name: string; expiresAt?: Date | null }) {
      const token = generateSecret(SCIM_TOKEN_PREFIX);
      const row = await repo.create({
        tenantId,
        name: input.name,
        prefix: displayPrefix(token, SCIM_TOKEN_PREFIX),
        digest: digestSecret(token),
        expiresAt: input.expiresAt ?? null,
      });
      return { token, record: toView(row) };
    },

    async list(tenantId: string): Promise<ScimTokenView[]> {
      return (await repo.listByTenant(tenantId)).map((t) => toView(t));
    },

    async revoke(tenantId: string, id: string): Promise<ScimTokenView> {
      const existing = await repo.find(tenantId, id);
      if (!existing) throw notFound("SCIM token not found");
      await repo.revoke(tenantId, id, existing.digest, new Date());
      cache.delete(existing.digest);
      return toView((await repo.find(tenantId, id))!);
    },

    async authenticate(secret: string, now = Date.now()): Promise<AuthResult> {
      if (!TOKEN_SHAPE.test(secret)) return { ok: false, reason: "malformed" };
      const digest = digestSecret(secret);
      let entry = cache.get(digest, now);
      if (!entry) {
        const row = await repo.findByDigest(digest);
        if (!row) return { ok: false, reason: "unknown" };
        if (row.revokedAt) return { ok: false, reason: "revoked" };
        entry = { id: row.id, tenantId: row.tenantId, digest: row.digest, expiresAt: row.expiresAt?.getTime() ?? null };
        cache.set(digest, entry, now);
      }
      // The lookup is by digest through a unique index; compare again in constant time so the
      // decision itself never depends on how many characters matched.
      if (!safeEqual(entry.digest, digest)) return { ok: false, reason: "unknown" };
      if (entry.expiresAt !== null && entry.expiresAt <= now) return { ok: false, reason: "expired" };
      touch(entry.id, now);
      return { ok: true, principal: { tokenId: entry.id, tenantId: entry.tenantId } };
    },

    /** Called when a tenant is deleted, so its cached tokens stop working on this instance. */
    forgetTenant(tenantId: string) {
      cache.deleteWhere((e) => e.tenantId === tenantId);
    },

    /**
     * A revocation announced by any process (REVOCATIONS_CHANNEL): `token:<digest>` or
     * `tenant:<id>`. This is what makes a revoke immediate on every web process, not only
     * the one that handled it.
     */
    onRevocationNotice(payload: string | undefined) {
      if (payload?.startsWith("token:")) cache.delete(payload.slice("token:".length));
      else if (payload?.startsWith("tenant:")) cache.deleteWhere((e) => e.tenantId === payload.slice("tenant:".length));
    },

    /** After a LISTEN reconnect notices may have been missed: start from the database again. */
    clearCache() {
      cache.clear();
    },
  };
}

export type ScimTokensService = ReturnType<typeof createScimTokensService>;
