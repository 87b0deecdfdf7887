import type { AppEnv } from "../http/types.ts";
import type { AccessClaims } from "./access-tokens.ts";

/** Routes guarded by an access token see its verified claims as `c.get("auth")`. */
export interface AuthEnv {
  Variables: AppEnv["Variables"] & { auth: AccessClaims };
}
