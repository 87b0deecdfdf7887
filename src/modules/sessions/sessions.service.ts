// Sessions of tenant users, their access tokens and their rotating refresh tokens.
// Refresh tokens are one-use (RFC 9700 §4.14.2): each use returns a new pair in the same
// family; presenting a used one revokes the family and the session and emits
// `session.refresh_token_reused`. Revocation is immediate through the deny-list.
import { randomUUID } from "node:crypto";
import type { AccessClaims, AccessTokens } from "../../auth/access-tokens.ts";
import type { Db } from "../../db/client.ts";
import { badRequest, forbidden, notFound } from "../../errors.ts";
import { emitEvent } from "../../events/emit.ts";
import { digestSecret, generateSecret } from "../../lib/secrets.ts";
import type { AuditActor, AuditService } from "../audit/audit.service.ts";
import type { RolesService } from "../roles/roles.service.ts";
import type { DenyList } from "./deny-list.ts";
import type { SessionRow, SessionsRepo } from "./sessions.repo.ts";

export const REFRESH_TOKEN_PREFIX = "rrt_";
const REFRESH_SHAPE = /^rrt_[A-Za-z0-9_-]{43}$/;
/** RFC 8176 authentication method references Roster accepts from its callers. */
const AMR = /^[a-z][a-z0-9_-]{0,31}$/;

/** RFC 6749 §5.2 error codes the token endpoint renders (services stay free of HTTP). */
export class GrantError extends Error {
  override name = "GrantError";
  constructor(readonly error: "invalid_grant" | "invalid_request", message: string) {
    super(message);
  }
}

export interface SessionView {
  id: string;
  userId: string;
  amr: string[];
  authTime: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  actorSub: string | null;
  refreshable: boolean;
  status: "active" | "expired" | "revoked";
}

/** RFC 6749 §5.1 access token response, plus the session it belongs to. */
export interface TokenSet {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  session: SessionView;
}

export interface StartOptions {
  amr?: string[];
  /** Impersonation: the acting user's id, carried as `act.sub`. */
  actorSub?: string;
  refreshable?: boolean;
  /** Absolute session lifetime in seconds (default SESSION_ABSOLUTE_TIMEOUT_SECONDS). */
  ttl?: number;
  /** Who started it, for the audit log. */
  actor?: AuditActor;
  /** Extra audit data (e.g. an impersonation reason). */
  auditData?: Record<string, unknown>;
}

export interface SessionsConfig {
  refreshTtlSeconds: number;
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  /** How long a revoked session's tokens may still be live: the deny-list window. */
  accessTtlSeconds: number;
}

const SYSTEM: AuditActor = { type: "system" };

export function sessionView(s: SessionRow, now = new Date()): SessionView {
  const status = s.revokedAt ? "revoked" : s.idleExpiresAt <= now || s.absoluteExpiresAt <= now ? "expired" : "active";
  return {
    id: s.id, userId: s.userId, amr: s.amr, authTime: s.authTime.toISOString(), createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(), idleExpiresAt: s.idleExpiresAt.toISOString(), absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
    revokedAt: s.revokedAt?.toISOString() ?? null, revokedReason: s.revokedReason, actorSub: s.actorSub, refreshable: s.refreshable, status,
  };
}

const minDate = (a: Date, b: Date) => (a < b ? a : b);

export function createSessionsService(deps: {
  db: Db;
  repo: SessionsRepo;
  roles: RolesService;
  tokens: AccessTokens;
  denyList: DenyList;
  audit: AuditService;
  config: SessionsConfig;
}) {
  const { db, repo, roles, tokens, denyList, audit, config } = deps;
  const inDb = denyList.backend === "postgres";

  async function issue(s: SessionRow, granted: { roles: string[]; permissions: string[] }) {
    return tokens.issue({
      tenantId: s.tenantId, userId: s.userId, sessionId: s.id, roles: granted.roles, permissions: granted.permissions,
      authTime: s.authTime, amr: s.amr, actorSub: s.actorSub, notAfter: s.absoluteExpiresAt,
    });
  }

  /** Lists sessions on the Redis deny-list after their revocation committed (PostgreSQL lists them in the transaction). */
  async function denyAfterCommit(ids: string[]) {
    if (!inDb && ids.length) await denyList.add(ids);
  }

  const service = {
    /**
     * Starts a session for an active user of the tenant and returns its tokens. The one entry
     * point for every login (admin-started now, SSO later, impersonation).
     */
    async start(tenantId: string, userId: string, opts: StartOptions = {}): Promise<TokenSet> {
      const amr = opts.amr ?? ["ext"];
      if (!amr.length || amr.length > 8 || !amr.every((m) => AMR.test(m))) throw badRequest("amr must be 1-8 RFC 8176 method names");
      const user = await repo.findUser(tenantId, userId);
      if (!user) throw notFound("User not found");
      if (!user.active) throw forbidden("The user is not active");
      const now = new Date();
      const refreshable = opts.refreshable ?? true;
      const absolute = new Date(now.getTime() + (opts.ttl ?? config.absoluteTimeoutSeconds) * 1000);
      const refresh = refreshable ? generateSecret(REFRESH_TOKEN_PREFIX) : undefined;
      const { session, granted } = await db.$transaction(async (tx) => {
        const session = await repo.createSession(tx, {
          tenantId, userId, amr, authTime: now, createdAt: now, lastSeenAt: now,
          idleExpiresAt: minDate(new Date(now.getTime() + config.idleTimeoutSeconds * 1000), absolute),
          absoluteExpiresAt: absolute, actorSub: opts.actorSub ?? null, refreshable,
        });
        if (refresh) {
          await repo.createRefreshToken(tx, {
            tenantId, sessionId: session.id, familyId: randomUUID(), digest: digestSecret(refresh),
            expiresAt: minDate(new Date(now.getTime() + config.refreshTtlSeconds * 1000), absolute),
          });
        }
        await audit.record({
          tenantId, actor: opts.actor ?? SYSTEM, action: opts.actorSub ? "impersonation.started" : "session.issued",
          targetType: "User", targetId: userId, data: { sessionId: session.id, amr, refreshable, ...opts.auditData },
        }, tx);
        return { session, granted: await roles.forToken(tenantId, userId, tx) };
      });
      const access = await issue(session, granted);
      return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, ...(refresh ? { refresh_token: refresh } : {}), session: sessionView(session) };
    },

    /** RFC 6749 §6 refresh with rotation; throws GrantError("invalid_grant") for any unusable token. */
    async refresh(secret: string): Promise<TokenSet> {
      if (!REFRESH_SHAPE.test(secret)) throw new GrantError("invalid_grant", "The refresh token is invalid");
      const digest = digestSecret(secret);
      const now = new Date();
      const outcome = await db.$transaction(async (tx) => {
        const token = await repo.consumeRefreshToken(tx, digest, now);
        if (!token) {
          const seen = await repo.findRefreshToken(tx, digest);
          if (!seen?.usedAt) return { kind: "invalid" as const };
          // RFC 9700 §4.14.2: a used refresh token presented again means it leaked (or raced):
          // revoke the whole family and its session, and say so on the change feed.
          const session = await repo.findSession(seen.tenantId, seen.sessionId, tx);
          await repo.revokeFamily(tx, seen.familyId, now);
          await repo.revokeSession(tx, seen.tenantId, seen.sessionId, "refresh_token_reused", now);
          if (inDb) await denyList.add([seen.sessionId], tx);
          await emitEvent(tx, {
            tenantId: seen.tenantId, type: "session.refresh_token_reused", resourceType: "Session", resourceId: seen.sessionId,
            actor: { type: "system", id: "refresh-token-reuse-detection" }, data: { userId: session?.userId ?? null },
          });
          await audit.record({
            tenantId: seen.tenantId, actor: SYSTEM, action: "session.refresh_token_reused", targetType: "Session",
            targetId: seen.sessionId, data: { userId: session?.userId ?? null, familyId: seen.familyId },
          }, tx);
          return { kind: "reused" as const, sessionId: seen.sessionId };
        }
        const session = await repo.findSession(token.tenantId, token.sessionId, tx);
        if (!session || session.revokedAt || !session.refreshable || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) {
          return { kind: "invalid" as const };
        }
        const user = await repo.findUser(session.tenantId, session.userId, tx);
        if (!user?.active) return { kind: "invalid" as const };
        const touched = await repo.touchSession(tx, session.id, now, minDate(new Date(now.getTime() + config.idleTimeoutSeconds * 1000), session.absoluteExpiresAt));
        const next = generateSecret(REFRESH_TOKEN_PREFIX);
        await repo.createRefreshToken(tx, {
          tenantId: session.tenantId, sessionId: session.id, familyId: token.familyId, digest: digestSecret(next),
          expiresAt: minDate(new Date(now.getTime() + config.refreshTtlSeconds * 1000), session.absoluteExpiresAt),
        });
        return { kind: "ok" as const, session: touched, next, granted: await roles.forToken(session.tenantId, session.userId, tx) };
      });
      if (outcome.kind === "reused") {
        await denyAfterCommit([outcome.sessionId]);
        throw new GrantError("invalid_grant", "The refresh token was already used; the session has been revoked");
      }
      if (outcome.kind === "invalid") throw new GrantError("invalid_grant", "The refresh token is invalid, expired or revoked");
      const access = await issue(outcome.session, outcome.granted);
      return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, refresh_token: outcome.next, session: sessionView(outcome.session) };
    },

    /**
     * The claims of a live access token: genuine, unexpired, and its session not revoked.
     * Costs a signature check plus one deny-list lookup (one Redis GET or one PK query).
     */
    async authenticate(accessToken: string): Promise<AccessClaims | null> {
      const claims = await tokens.verify(accessToken);
      if (!claims || (await denyList.has(claims.sid))) return null;
      return claims;
    },

    /** RFC 7662 §2.2: inactive for anything not live, including a deactivated or deleted user. */
    async introspect(token: string): Promise<({ active: true; token_type: "Bearer"; username: string } & AccessClaims) | { active: false }> {
      const claims = await service.authenticate(token);
      if (!claims) return { active: false };
      const state = await repo.sessionState(claims.sid);
      if (!state || state.revokedAt || state.tenantId !== claims.tid || !state.user.active) return { active: false };
      return { active: true, token_type: "Bearer", username: state.user.userName, ...claims };
    },

    async list(tenantId: string, userId: string): Promise<SessionView[]> {
      if (!(await repo.findUser(tenantId, userId))) throw notFound("User not found");
      const now = new Date();
      return (await repo.listSessions(tenantId, userId)).map((s) => sessionView(s, now));
    },

    /** Revokes one session and its refresh tokens; idempotent. 404 for another tenant's session. */
    async revokeSession(tenantId: string, sessionId: string, reason: string, actor: AuditActor = SYSTEM): Promise<SessionView> {
      const now = new Date();
      const session = await db.$transaction(async (tx) => {
        const s = await repo.findSession(tenantId, sessionId, tx);
        if (!s) throw notFound("Session not found");
        const { count } = await repo.revokeSession(tx, tenantId, sessionId, reason, now);
        const refreshTokens = await repo.revokeRefreshTokensOfSessions(tx, tenantId, [sessionId], now);
        if (inDb) await denyList.add([sessionId], tx);
        if (count) await audit.record({ tenantId, actor, action: "session.revoked", targetType: "Session", targetId: sessionId, data: { userId: s.userId, reason, refreshTokens } }, tx);
        return (await repo.findSession(tenantId, sessionId, tx))!;
      });
      await denyAfterCommit([sessionId]);
      return sessionView(session, now);
    },

    /**
     * Revokes every session of the user, kills their refresh-token families and deny-lists
     * their live access tokens. Idempotent (a retry re-lists recently revoked sessions, so a
     * Redis failure heals); returns what this call newly revoked. The deprovisioning worker
     * calls this; call it *before* deleting a user row (sessions cascade with the user).
     */
    /**
     * Before a tenant is deleted: its sessions cascade away with it, so their ids go on the
     * deny-list first, or apps verifying tokens offline would accept them until they expire.
     */
    async denyTenantSessions(tenantId: string): Promise<number> {
      const since = new Date(Date.now() - config.accessTtlSeconds * 1000);
      const ids = await repo.liveSessionIdsOfTenant(tenantId, since);
      if (ids.length) await denyList.add(ids);
      return ids.length;
    },

    async revokeUserSessions(tenantId: string, userId: string, reason: string, actor: AuditActor = SYSTEM): Promise<{ sessions: number; refreshTokens: number }> {
      const now = new Date();
      const since = new Date(now.getTime() - config.accessTtlSeconds * 1000);
      const { revoked, refreshTokens, deny } = await db.$transaction(async (tx) => {
        const revoked = await repo.revokeUserSessions(tx, tenantId, userId, reason, now);
        const deny = await repo.recentlyRevokedSessionIds(tx, tenantId, userId, since);
        const refreshTokens = await repo.revokeRefreshTokensOfSessions(tx, tenantId, deny, now);
        if (inDb) await denyList.add(deny, tx);
        if (revoked.length || refreshTokens) {
          await audit.record({ tenantId, actor, action: "session.revoked_all", targetType: "User", targetId: userId, data: { reason, sessions: revoked.length, refreshTokens } }, tx);
        }
        return { revoked, refreshTokens, deny };
      });
      await denyAfterCommit(deny);
      return { sessions: revoked.length, refreshTokens };
    },
  };
  return service;
}

export type SessionsService = ReturnType<typeof createSessionsService>;
