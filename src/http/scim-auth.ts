// SCIM requests authenticate with `Authorization: Bearer rst_…`; the token decides the
// tenant (never the body or the URL). Every failure is the same 401 to the client, with the
// reason logged (without the token).
import type { MiddlewareHandler } from "hono";
import { unauthenticated } from "../errors.ts";
import type { ScimTokensService } from "../modules/scim-tokens/scim-tokens.service.ts";
import { bearerToken } from "./bearer.ts";
import type { AppEnv } from "./types.ts";

export function scimAuth(tokens: ScimTokensService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const secret = bearerToken(header);
    if (!secret) {
      c.get("log").info({ reason: header ? "bad_scheme" : "missing" }, "scim auth failed");
      throw unauthenticated(header ? "Authorization must be a Bearer token" : "Missing bearer token");
    }
    const result = await tokens.authenticate(secret);
    if (!result.ok) {
      c.get("log").info({ reason: result.reason }, "scim auth failed");
      throw unauthenticated(result.reason === "expired" ? "Token has expired" : "Invalid or revoked token");
    }
    c.set("scim", result.principal);
    await next();
  };
}
