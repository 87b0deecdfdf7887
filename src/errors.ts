// One transport-neutral error. Each surface (/scim/v2, /admin/v1, /auth/v1) renders it in
// its own format; services throw it and never know status codes by heart.

/** RFC 7644 §3.12 scimType values. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  // RFC 9865 §3: cursor pagination errors.
  | "invalidCursor"
  | "expiredCursor";

export type ErrorCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "not_implemented"
  | "unavailable"
  | "internal";

/** The one error-code → HTTP status table. */
export const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
};

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly scimType?: ScimType,
    /** Seconds, for 429/503 responses. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
  get status(): number {
    return statusOf[this.code];
  }
}

export const badRequest = (message: string, scimType?: ScimType) => new AppError("bad_request", message, scimType);
export const notFound = (message = "Resource not found") => new AppError("not_found", message);
export const conflict = (message: string, scimType: ScimType = "uniqueness") => new AppError("conflict", message, scimType);
export const unauthenticated = (message = "Authentication required") => new AppError("unauthenticated", message);
export const forbidden = (message = "Forbidden") => new AppError("forbidden", message);
export const preconditionFailed = (message = "Resource version does not match If-Match") =>
  new AppError("precondition_failed", message);

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
