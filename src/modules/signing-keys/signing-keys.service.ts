// Deployment-wide ES256 signing keys (RFC 7518 §3.4) published as a JWKS (RFC 7517 §5).
// The private JWK is sealed with the key-encryption key; the kid is the RFC 7638 thumbprint.
// Rotation retires the active key but keeps it published until every token it signed has
// expired, so downstream verifiers never see an unknown kid for a live token.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { seal, unseal } from "../../auth/key-encryption.ts";
import type { SigningKeyRow, SigningKeysRepo } from "./signing-keys.repo.ts";

export const SIGNING_ALG = "ES256";
/** How long a process trusts its cached active key before re-reading it (rotation by a peer). */
const ACTIVE_CACHE_MS = 30_000;
/** Unknown kids are not looked up again for this long (random kids must not cost a query each). */
const MISS_CACHE_MS = 10_000;

export interface SigningKeyView {
  kid: string;
  alg: string;
  status: "active" | "published" | "expired";
  publicJwk: JWK;
  createdAt: string;
  retiredAt: string | null;
  publishUntil: string | null;
}

export interface Signer {
  kid: string;
  key: CryptoKey;
}

function toView(r: SigningKeyRow, now = new Date()): SigningKeyView {
  const status = !r.retiredAt ? "active" : r.publishUntil && r.publishUntil > now ? "published" : "expired";
  return {
    kid: r.kid,
    alg: r.alg,
    status,
    publicJwk: r.publicJwk as JWK,
    createdAt: r.createdAt.toISOString(),
    retiredAt: r.retiredAt?.toISOString() ?? null,
    publishUntil: r.publishUntil?.toISOString() ?? null,
  };
}

export function createSigningKeysService(deps: {
  repo: SigningKeysRepo;
  keyEncryptionKey: Buffer;
  /** Longest lifetime of a token signed by these keys; the publish window after rotation. */
  tokenTtlSeconds: number;
}) {
  const { repo, keyEncryptionKey } = deps;
  let active: { signer: Signer; loadedAt: number } | null = null;
  const verifying = new Map<string, { key: CryptoKey; final: boolean; validUntil: number; recheckAt: number }>();
  const misses = new Map<string, number>();

  async function newKey() {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), alg: SIGNING_ALG, use: "sig" };
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return { kid, alg: SIGNING_ALG, publicJwk: { ...publicJwk, kid }, privateEncrypted: seal(keyEncryptionKey, JSON.stringify(privateJwk), kid) };
  }

  async function toSigner(row: SigningKeyRow): Promise<Signer> {
    const jwk = JSON.parse(unseal(keyEncryptionKey, row.privateEncrypted, row.kid)) as JWK;
    return { kid: row.kid, key: (await importJWK(jwk, row.alg)) as CryptoKey };
  }

  return {
    /** The key to sign with now; creates the deployment's first key on first use. */
    async signer(now = Date.now()): Promise<Signer> {
      if (active && now - active.loadedAt < ACTIVE_CACHE_MS) return active.signer;
      const row = (await repo.findActive()) ?? (await repo.createLocked({ retireActive: null, key: await newKey(), onlyIfNone: true }));
      active = { signer: await toSigner(row), loadedAt: now };
      return active.signer;
    },

    /** The public key for a kid, while it is published; null for unknown or expired kids. */
    async verificationKey(kid: string, now = Date.now()): Promise<CryptoKey | null> {
      const hit = verifying.get(kid);
      if (hit && (hit.final || now < hit.recheckAt)) return hit.validUntil > now ? hit.key : null;
      if ((misses.get(kid) ?? 0) > now) return null;
      const row = await repo.findPublished(kid, new Date(now));
      if (!row) {
        verifying.delete(kid);
        if (misses.size > 10_000) misses.clear();
        misses.set(kid, now + MISS_CACHE_MS);
        return null;
      }
      const key = (await importJWK(row.publicJwk as JWK, row.alg)) as CryptoKey;
      // An active key is re-read every ACTIVE_CACHE_MS to learn a peer's rotation; the publish
      // window of a retired key already includes that delay.
      const publishUntil = row.publishUntil?.getTime();
      verifying.set(kid, {
        key,
        final: publishUntil !== undefined,
        validUntil: publishUntil ?? Number.POSITIVE_INFINITY,
        recheckAt: now + ACTIVE_CACHE_MS,
      });
      return key;
    },

    /** RFC 7517 §5 JWK Set of every published public key. */
    async jwks(now = new Date()): Promise<{ keys: JWK[] }> {
      let rows = await repo.listPublished(now);
      if (!rows.length) {
        await this.signer();
        rows = await repo.listPublished(now);
      }
      return { keys: rows.map((r) => r.publicJwk as JWK) };
    },

    async list(): Promise<SigningKeyView[]> {
      return (await repo.listAll()).map((r) => toView(r));
    },

    /** Adds a key that signs from now on; the old one stays published for one token lifetime. */
    async rotate(now = Date.now()): Promise<SigningKeyView> {
      const publishUntil = new Date(now + deps.tokenTtlSeconds * 1000 + ACTIVE_CACHE_MS);
      const row = await repo.createLocked({ retireActive: { publishUntil }, key: await newKey(), onlyIfNone: false });
      active = { signer: await toSigner(row), loadedAt: now };
      verifying.clear();
      return toView(row);
    },
  };
}

export type SigningKeysService = ReturnType<typeof createSigningKeysService>;
