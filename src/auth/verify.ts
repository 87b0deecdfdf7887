// roster/verify: how a downstream Node app verifies Roster access tokens offline.
//
//   import { createRosterVerifier } from "roster/verify";
//   const roster = createRosterVerifier({
//     issuer: "https://roster.example.com",
//     audience: "roster",
//     jwksUrl: "https://roster.example.com/.well-known/jwks.json",
//   });
//   const claims = await roster.verify(token);            // throws on a bad or expired token
//   if (!roster.hasPermission(claims, "billing:manage")) …  // 403
//
// Offline verification cannot see a revocation before the token expires (at most
// ACCESS_TOKEN_TTL_SECONDS); call POST /auth/v1/introspect for decisions that must honour
// logout or deprovisioning at once.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";

export interface RosterClaims extends JWTPayload {
  sub: string;
  /** Tenant id. */
  tid: string;
  /** Session id. */
  sid: string;
  roles: string[];
  permissions: string[];
  auth_time: number;
  amr: string[];
  jti: string;
  exp: number;
  iat: number;
  /** RFC 8693 §4.1: present when someone is impersonating `sub`. */
  act?: { sub: string };
}

export interface RosterVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Allowed clock skew in seconds (default 5). */
  clockTolerance?: number;
  /** Least time between JWKS refetches triggered by an unknown kid (default 1000 ms). */
  jwksCooldownMs?: number;
}

export function createRosterVerifier(opts: RosterVerifierOptions) {
  // Caches the key set and refetches it when a token names an unknown kid: Roster signs with a
  // rotated-in key at once, so the cooldown is short (jose's default of 30 s would refuse
  // fresh tokens for up to 30 s after a rotation).
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: opts.jwksCooldownMs ?? 1000 });
  return {
    /** The verified claims; throws (a jose error) for a bad signature, issuer, audience, type or expiry. */
    async verify(token: string): Promise<RosterClaims> {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ["ES256"], // RFC 8725 §3.1: never let the token choose the algorithm
        typ: "at+jwt", // RFC 9068 §4
        clockTolerance: opts.clockTolerance ?? 5,
        requiredClaims: ["sub", "exp", "iat", "jti"],
      });
      const p = payload as Partial<RosterClaims>;
      if (typeof p.tid !== "string" || typeof p.sid !== "string" || !Array.isArray(p.permissions) || !Array.isArray(p.roles)) {
        throw new Error("not a Roster access token");
      }
      return payload as RosterClaims;
    },

    /** Whether the claims grant a permission (exact, or through a `prefix:*` wildcard). */
    hasPermission(claims: Pick<RosterClaims, "permissions">, perm: string): boolean {
      if (claims.permissions.includes(perm)) return true;
      const parts = perm.split(":");
      for (let i = parts.length - 1; i > 0; i--) if (claims.permissions.includes(`${parts.slice(0, i).join(":")}:*`)) return true;
      return false;
    },
  };
}

export type RosterVerifier = ReturnType<typeof createRosterVerifier>;
