// Impersonation: a support user acts as another user of the same tenant through a short,
// non-refreshable session whose tokens carry `act: { sub: <impersonator> }` (RFC 8693 §4.1).
// Permissions are read from the database, not the caller's token, so a just-removed
// `impersonate` permission stops working at once.
import type { AccessClaims } from "../../auth/access-tokens.ts";
import { badRequest, forbidden } from "../../errors.ts";
import { grants, type RolesService } from "../roles/roles.service.ts";
import type { SessionsService, TokenSet } from "./sessions.service.ts";

export const IMPERSONATE = "impersonate";
export const IMPERSONATE_ADMINS = "impersonate:admins";

export function createImpersonationService(deps: { sessions: SessionsService; roles: RolesService; ttlSeconds: number }) {
  const { sessions, roles } = deps;
  return {
    async start(caller: AccessClaims, targetUserId: string, reason: string): Promise<TokenSet> {
      if (caller.act) throw forbidden("An impersonation session cannot start another impersonation");
      if (targetUserId === caller.sub) throw badRequest("Impersonating yourself is not useful");
      const mine = await roles.forToken(caller.tid, caller.sub);
      if (!grants(mine.permissions, IMPERSONATE)) throw forbidden(`Missing permission ${IMPERSONATE}`);
      // Looked up in the caller's tenant only: another tenant's user id is simply not found.
      const theirs = await roles.forToken(caller.tid, targetUserId);
      if (grants(theirs.permissions, IMPERSONATE) && !grants(mine.permissions, IMPERSONATE_ADMINS)) {
        throw forbidden(`Impersonating a user who can impersonate requires ${IMPERSONATE_ADMINS}`);
      }
      return sessions.start(caller.tid, targetUserId, {
        amr: caller.amr.length ? caller.amr : ["ext"],
        actorSub: caller.sub,
        refreshable: false,
        ttl: deps.ttlSeconds,
        actor: { type: "user", userId: caller.sub, sessionId: caller.sid },
        auditData: { impersonatorId: caller.sub, reason },
      });
    },
  };
}

export type ImpersonationService = ReturnType<typeof createImpersonationService>;
