import type { Context } from "hono";
import type { AppEnv } from "../http/types.ts";
import type { AuditActor } from "../modules/audit/audit.service.ts";

/** The audit actor of an /admin/v1 request: the vendor-admin credential that made it. */
export function adminActor(c: Context<AppEnv>): AuditActor {
  const admin = c.get("admin");
  return { type: "admin", credentialId: admin.credentialId, name: admin.name };
}
