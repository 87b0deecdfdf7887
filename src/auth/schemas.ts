import { z } from "@hono/zod-openapi";

export const SessionSchema = z
  .object({
    id: z.string().openapi({ example: "0193a5c0-2222-7abc-8def-0123456789ab" }),
    userId: z.string().openapi({ example: "0193a5b9-3333-7abc-8def-0123456789ab" }),
    amr: z.array(z.string()).openapi({ example: ["pwd", "mfa"] }),
    authTime: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    idleExpiresAt: z.string(),
    absoluteExpiresAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedReason: z.string().nullable().openapi({ example: "logout" }),
    actorSub: z.string().nullable().openapi({ description: "Impersonation: the acting user's id" }),
    refreshable: z.boolean(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .openapi("Session");

/** RFC 6749 §5.1 */
export const TokenResponseSchema = z
  .object({
    access_token: z.string().openapi({ example: "eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiIsInR5cCI6ImF0K2p3dCJ9..." }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ example: 600 }),
    refresh_token: z.string().optional().openapi({ example: "rrt_Xy12AbQ9v0m3kPq8sT2uV5wY7zA1bC4dE6fG8hJ0kL2" }),
    session: SessionSchema,
  })
  .openapi("TokenResponse");

/** RFC 6749 §5.2 */
export const OAuthErrorSchema = z
  .object({
    error: z.enum(["invalid_request", "invalid_grant", "unsupported_grant_type"]).openapi({ example: "invalid_grant" }),
    error_description: z.string().optional().openapi({ example: "The refresh token is invalid, expired or revoked" }),
  })
  .openapi("OAuthError");

export const ClaimsSchema = z
  .object({
    iss: z.string().openapi({ example: "https://roster.example.com" }),
    aud: z.string().openapi({ example: "roster" }),
    sub: z.string().openapi({ description: "The user id" }),
    tid: z.string().openapi({ description: "The tenant id" }),
    sid: z.string().openapi({ description: "The session id" }),
    roles: z.array(z.string()).openapi({ example: ["admin"] }),
    permissions: z.array(z.string()).openapi({ example: ["users:read", "billing:manage"] }),
    auth_time: z.number().int(),
    amr: z.array(z.string()).openapi({ example: ["pwd"] }),
    jti: z.string(),
    iat: z.number().int(),
    exp: z.number().int(),
    act: z.object({ sub: z.string() }).optional().openapi({ description: "RFC 8693 §4.1: present on impersonation tokens" }),
  })
  .openapi("AccessTokenClaims");

export const IntrospectionSchema = z
  .union([
    z.object({ active: z.literal(false) }),
    ClaimsSchema.extend({ active: z.literal(true), token_type: z.literal("Bearer"), username: z.string() }),
  ])
  .openapi("Introspection", { description: "RFC 7662 §2.2" });
