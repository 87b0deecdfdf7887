import type { Logger } from "pino";
import type { AdminPrincipal } from "../modules/admin-credentials/admin-credentials.service.ts";
import type { ScimPrincipal } from "../modules/scim-tokens/scim-tokens.service.ts";

/** Hono context variables set by Roster's middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    scim: ScimPrincipal;
    admin: AdminPrincipal;
  };
}
