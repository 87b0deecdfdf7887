// Shared OpenAPI pieces for the admin and auth surfaces: the app factory with Roster's
// validation hook, the error envelope schema, and the security schemes.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { AppError } from "../errors.ts";
import { renderAdminError } from "../http/admin-errors.ts";
import type { AppEnv } from "../http/types.ts";

/** Every OpenAPI sub-app (admin and auth) validates with zod and answers failures with a 400 envelope. */
export function createOpenApiApp<E extends Env = AppEnv>() {
  return new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        return renderAdminError(c, new AppError("bad_request", "Request validation failed"), details);
      }
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "Tenant not found" }),
      requestId: z.string().optional().openapi({ example: "0b9e6c1c-7d8f-4a4e-9b1a-2f1f4c1b6a3d" }),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });

/** Standard error responses for admin routes. */
export const errorResponses = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "Missing or invalid admin token"),
  404: json(ErrorSchema, "Not found (also for another tenant's ids)"),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T, description = "Request body") => ({
  content: { "application/json": { schema } },
  description,
  required: true,
});

export const jsonResponse = json;

export const ADMIN_SECURITY = [{ adminToken: [] }];
