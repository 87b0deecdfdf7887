// OpenAPI pieces of /auth/v1: the sub-app factory (same validation envelope as /admin/v1),
// the "accessToken" bearer scheme and the shared error responses.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ErrorSchema } from "../admin/openapi.ts";
import { AppError } from "../errors.ts";
import { renderAdminError } from "../http/admin-errors.ts";
import type { AuthEnv } from "./auth-env.ts";

export function createAuthOpenApiApp() {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        return renderAdminError(c, new AppError("bad_request", "Request validation failed"), details);
      }
    },
  });
}

export const ACCESS_SECURITY = [{ accessToken: [] }];

const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });

export const authErrors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "Missing, invalid, expired or revoked access token"),
  403: json(ErrorSchema, "The token lacks the permission"),
  404: json(ErrorSchema, "Not found (also for another tenant's ids)"),
} as const;
