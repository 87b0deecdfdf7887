// Error envelope for /admin/v1 and /auth/v1: { error: { code, message, requestId } }.
import type { Context } from "hono";
import type { AppError } from "../errors.ts";

export function renderAdminError(c: Context, err: AppError, details?: unknown): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  if (err.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="roster"';
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(err.retryAfter);
  const requestId = c.get("requestId") as string | undefined;
  if (requestId) headers["X-Request-Id"] = requestId;
  const error: Record<string, unknown> = { code: err.code, message: err.message, requestId };
  if (details !== undefined) error.details = details;
  return new Response(JSON.stringify({ error }), { status: err.status, headers });
}
