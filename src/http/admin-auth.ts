// Vendor-admin authentication for /admin/v1.
import type { MiddlewareHandler } from "hono";
import { unauthenticated } from "../errors.ts";
import type { AdminCredentialsService } from "../modules/admin-credentials/admin-credentials.service.ts";
import { bearerToken } from "./bearer.ts";
import type { AppEnv } from "./types.ts";

export function adminAuth(credentials: AdminCredentialsService, publicPaths: ReadonlySet<string> = new Set()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (publicPaths.has(c.req.path)) return next();
    const secret = bearerToken(c.req.header("authorization"));
    if (!secret) throw unauthenticated("Missing admin bearer token");
    const principal = await credentials.authenticate(secret);
    if (!principal) throw unauthenticated("Invalid admin token");
    c.set("admin", principal);
    await next();
  };
}
