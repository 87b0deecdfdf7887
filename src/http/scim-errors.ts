// RFC 7644 §3.12 error responses for /scim/v2: `status` is a string, scimType only where
// the RFC defines one for that status.
import type { Context } from "hono";
import { AppError, type ScimType } from "../errors.ts";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** scimType values RFC 7644 Table 9 allows with each status. */
const allowedScimTypes: Record<number, ScimType[]> = {
  400: ["invalidFilter", "tooMany", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive", "mutability", "invalidCursor", "expiredCursor"],
  409: ["uniqueness"],
};

export function scimErrorBody(status: number, detail: string, scimType?: ScimType): ScimErrorBody {
  const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(status), detail };
  if (scimType && allowedScimTypes[status]?.includes(scimType)) body.scimType = scimType;
  return body;
}

export function renderScimError(c: Context, err: AppError): Response {
  const headers: Record<string, string> = { "Content-Type": SCIM_CONTENT_TYPE };
  if (err.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="scim", error="invalid_token"';
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(err.retryAfter);
  const requestId = c.get("requestId");
  if (requestId) headers["X-Request-Id"] = requestId;
  return new Response(JSON.stringify(scimErrorBody(err.status, err.message, err.scimType)), { status: err.status, headers });
}
