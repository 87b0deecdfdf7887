// Access tokens: JWTs per RFC 9068 (typ "at+jwt"), signed ES256 with the deployment's active
// key and verified locally against the published keys. Claims: iss, aud, sub, tid, sid,
// roles, permissions, auth_time, amr, jti, iat, exp, and for impersonation
// `act: { sub }` (RFC 8693 §4.1).
import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { RosterClaims } from "./verify.ts";
import { SIGNING_ALG, type SigningKeysService } from "../modules/signing-keys/signing-keys.service.ts";

export const ACCESS_TOKEN_TYPE = "at+jwt";

/** The claims Roster signs: the public shape downstream apps verify (src/auth/verify.ts), with iss and aud always set. */
export interface AccessClaims extends RosterClaims {
  iss: string;
  aud: string;
}

export interface IssueInput {
  tenantId: string;
  userId: string;
  sessionId: string;
  roles: string[];
  permissions: string[];
  authTime: Date;
  amr: string[];
  actorSub?: string | null;
  /** The session's absolute end: no token outlives its session. */
  notAfter: Date;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Shape check beyond the signature: a validly signed token that lacks Roster's claims is refused. */
function isAccessClaims(p: JWTPayload): p is AccessClaims {
  const act = (p as { act?: unknown }).act;
  return (
    typeof p.sub === "string" && typeof p.tid === "string" && typeof p.sid === "string" && typeof p.jti === "string" &&
    isStrings(p.roles) && isStrings(p.permissions) && isStrings(p.amr) && typeof p.auth_time === "number" &&
    (act === undefined || (typeof act === "object" && act !== null && typeof (act as { sub?: unknown }).sub === "string"))
  );
}

export function createAccessTokens(deps: { keys: SigningKeysService; issuer: string; audience: string; ttlSeconds: number }) {
  const { keys, issuer, audience, ttlSeconds } = deps;
  return {
    async issue(input: IssueInput, now = Date.now()): Promise<{ token: string; expiresIn: number; claims: AccessClaims }> {
      const iat = Math.floor(now / 1000);
      const exp = Math.min(iat + ttlSeconds, Math.floor(input.notAfter.getTime() / 1000));
      const claims: AccessClaims = {
        iss: issuer, aud: audience, sub: input.userId, tid: input.tenantId, sid: input.sessionId,
        roles: input.roles, permissions: input.permissions,
        auth_time: Math.floor(input.authTime.getTime() / 1000), amr: input.amr,
        jti: randomUUID(), iat, exp,
        ...(input.actorSub ? { act: { sub: input.actorSub } } : {}),
      };
      const signer = await keys.signer(now);
      const token = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: ACCESS_TOKEN_TYPE }).sign(signer.key);
      return { token, expiresIn: Math.max(0, exp - iat), claims };
    },

    /** The claims of a genuine, unexpired Roster access token, or null. Never throws on bad input. */
    async verify(token: string): Promise<AccessClaims | null> {
      if (token.length > 8192) return null;
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const key = header.kid ? await keys.verificationKey(header.kid) : null;
            if (!key) throw new Error("unknown kid");
            return key;
          },
          // RFC 8725 §3.1: pin the algorithm, never trust the header's (no "none", no HS256 with a public key).
          { issuer, audience, algorithms: [SIGNING_ALG], typ: ACCESS_TOKEN_TYPE, requiredClaims: ["exp", "iat", "jti", "sub"] },
        );
        return isAccessClaims(payload) ? payload : null;
      } catch {
        return null;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
