// Who is acting, for which tenant. Built from the credential (never from the body) and
// passed as the first argument to every service call on tenant data.
export type Actor =
  | { type: "scim_token"; id: string }
  | { type: "admin"; id: string }
  | { type: "user"; id: string; impersonator?: string }
  | { type: "system"; id: string };

export interface TenantContext {
  tenantId: string;
  actor: Actor;
}
