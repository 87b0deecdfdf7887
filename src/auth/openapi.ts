// OpenAPI pieces of /auth/v1: the sub-app factory (same validation envelope as /admin/v1),
// the "accessToken" bearer scheme and the shared error responses.
import { z } from "@hono/zod-openapi";
import { createOpenApiApp, ErrorSchema } from "../admin/openapi.ts";
import type { AuthEnv } from "./auth-env.ts";

export const createAuthOpenApiApp = () => createOpenApiApp<AuthEnv>();

export const ACCESS_SECURITY = [{ accessToken: [] }];

const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });

export const authErrors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "Missing, invalid, expired or revoked access token"),
  403: json(ErrorSchema, "The token lacks the permission"),
  404: json(ErrorSchema, "Not found (also for another tenant's ids)"),
} as const;
