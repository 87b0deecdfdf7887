// The one onError / notFound of the app: picks the surface's error format by path.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { mapDbError } from "../db/errors.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { renderAdminError } from "./admin-errors.ts";
import { renderScimError } from "./scim-errors.ts";

const codeByStatus: Record<number, ErrorCode> = {
  400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict",
  412: "precondition_failed", 413: "payload_too_large", 415: "unsupported_media_type", 429: "rate_limited",
};

export function isScimPath(path: string): boolean {
  return path === "/scim/v2" || path.startsWith("/scim/v2/");
}

export function renderError(c: Context, err: AppError, details?: unknown): Response {
  return isScimPath(c.req.path) ? renderScimError(c, err) : renderAdminError(c, err, details);
}

/** Whether the error is a body that failed to parse (JSON.parse's SyntaxError). */
function isMalformedBody(err: unknown): boolean {
  return err instanceof SyntaxError;
}

/** RFC 6749 §5.2: the token endpoint answers errors in OAuth's shape, even unparsable bodies. */
const TOKEN_ENDPOINT = "/auth/v1/token";

function render(c: Context, err: AppError): Response {
  if (c.req.path === TOKEN_ENDPOINT && err.status < 500) {
    return c.json({ error: "invalid_request", error_description: err.message }, err.status as 400, { "Cache-Control": "no-store" });
  }
  return renderError(c, err);
}

/**
 * What an unexpected error may log: its kind and where it came from, never the driver's
 * `detail` (PostgreSQL puts the offending values there: user names, emails).
 */
function loggable(err: Error) {
  const e = err as Error & { code?: string; constraint?: string };
  return { name: e.name, code: e.code, constraint: e.constraint, stack: e.stack?.split("\n").slice(0, 8).join("\n") };
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) return render(c, err);
  if (isMalformedBody(err)) return render(c, new AppError("bad_request", "Request body is not valid JSON", "invalidSyntax"));
  if (err instanceof HTTPException && err.status < 500) {
    const code = codeByStatus[err.status] ?? "bad_request";
    return render(c, new AppError(code, err.message || "Bad request"));
  }
  // The safety net for database errors a service did not map itself.
  const mapped = mapDbError(err);
  if (mapped instanceof AppError) return render(c, mapped);
  c.get("log")?.error({ err: loggable(err) }, "unhandled error");
  return render(c, new AppError("internal", "Internal server error"));
}

export function onNotFound(c: Context): Response {
  return renderError(c, new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`));
}
