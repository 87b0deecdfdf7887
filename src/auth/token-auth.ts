// Middleware for Roster's own token-guarded routes: `requireAccessToken` verifies the bearer
// access token (signature, iss, aud, exp, deny-list) and `requirePermission` checks its
// permissions. Requests made with an impersonation token are written to the audit log.
import type { MiddlewareHandler } from "hono";
import { forbidden, unauthenticated } from "../errors.ts";
import { bearerToken } from "../http/bearer.ts";
import type { AuditService } from "../modules/audit/audit.service.ts";
import { grants } from "../modules/roles/roles.service.ts";
import type { SessionsService } from "../modules/sessions/sessions.service.ts";
import type { AuthEnv } from "./auth-env.ts";

export function requireAccessToken(deps: { sessions: SessionsService; audit: AuditService }): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) throw unauthenticated("Missing bearer access token");
    const claims = await deps.sessions.authenticate(token);
    if (!claims) {
      c.get("log").info({ reason: "invalid_token" }, "access token refused");
      throw unauthenticated("Invalid, expired or revoked access token");
    }
    c.set("auth", claims);
    if (claims.act) {
      // Every request made as someone else is attributable (who, as whom, when, what).
      await deps.audit.record({
        tenantId: claims.tid,
        actor: { type: "user", userId: claims.sub, sessionId: claims.sid, impersonatorId: claims.act.sub },
        action: "impersonation.request",
        targetType: "User",
        targetId: claims.sub,
        data: { impersonatorId: claims.act.sub, method: c.req.method, path: c.req.path },
      });
    }
    await next();
  };
}

/** 403 unless the verified access token grants `perm` (use after requireAccessToken). */
export function requirePermission(perm: string): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const claims = c.get("auth");
    if (!claims) throw unauthenticated("Missing bearer access token");
    if (!grants(claims.permissions, perm)) throw forbidden(`Missing permission ${perm}`);
    await next();
  };
}
