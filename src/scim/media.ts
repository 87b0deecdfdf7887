// RFC 7644 §3.1/§8.1: clients send application/scim+json; plain application/json is accepted
// (Okta and Entra both send it at times). Responses are always application/scim+json.
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";
import { SCIM_CONTENT_TYPE } from "../http/scim-errors.ts";

const ACCEPTED = /^application\/(scim\+)?json\s*(;.*)?$/i;

export function requireScimMediaType(maxPayloadBytes: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
      const type = c.req.header("content-type");
      if (type && !ACCEPTED.test(type)) {
        throw new AppError("unsupported_media_type", `Content-Type must be application/scim+json or application/json, not ${type.slice(0, 80)}`);
      }
      const length = Number(c.req.header("content-length") ?? 0);
      if (length > maxPayloadBytes) {
        throw new AppError("payload_too_large", `Request body exceeds maxPayloadSize (${maxPayloadBytes} bytes)`);
      }
    }
    await next();
  };
}

export function scimJson(c: Context, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": SCIM_CONTENT_TYPE, ...headers } });
}

/** Parses a SCIM request body; malformed JSON is 400 invalidSyntax (RFC 7644 §3.12). */
export async function readScimBody(c: Context, maxPayloadBytes: number): Promise<unknown> {
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxPayloadBytes) throw new AppError("payload_too_large", `Request body exceeds ${maxPayloadBytes} bytes`);
  if (!text.trim()) throw new AppError("bad_request", "Request body is empty", "invalidSyntax");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON", "invalidSyntax");
  }
}
