// The one onError / notFound of the app: picks the surface's error format by path.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
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

export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) return renderError(c, err);
  if (isMalformedBody(err)) return renderError(c, new AppError("bad_request", "Request body is not valid JSON", "invalidSyntax"));
  if (err instanceof HTTPException && err.status < 500) {
    const code = codeByStatus[err.status] ?? "bad_request";
    return renderError(c, new AppError(code, err.message || "Bad request"));
  }
  c.get("log")?.error({ err }, "unhandled error");
  return renderError(c, new AppError("internal", "Internal server error"));
}

export function onNotFound(c: Context): Response {
  return renderError(c, new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`));
}
