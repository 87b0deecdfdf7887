// Shared setup for the sessions/RBAC tests: tenant users and groups are written with Prisma
// directly (the SCIM routes are another issue's), sessions and roles through the admin API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Harness } from "../helpers/harness.ts";
import { show } from "../helpers/harness.ts";

export async function createUser(h: Harness, tenantId: string, opts: { active?: boolean; userName?: string } = {}) {
  return h.container.db.user.create({
    data: { tenantId, userName: opts.userName ?? `user-${randomUUID()}@example.com`, active: opts.active ?? true },
  });
}

export async function createGroup(h: Harness, tenantId: string, displayName = `group-${randomUUID()}`, memberIds: string[] = []) {
  const group = await h.container.db.group.create({ data: { tenantId, displayName } });
  if (memberIds.length) await h.container.db.groupMember.createMany({ data: memberIds.map((userId) => ({ tenantId, groupId: group.id, userId })) });
  return group;
}

export async function startSession(h: Harness, tenantId: string, userId: string, amr?: string[]) {
  const r = await h.admin("POST", `/tenants/${tenantId}/sessions`, { userId, ...(amr ? { amr } : {}) });
  assert.equal(r.status, 201, show(r));
  return r.body as { access_token: string; refresh_token: string; expires_in: number; session: { id: string } };
}

export async function createRole(h: Harness, tenantId: string, permissions: string[], name = `role-${randomUUID().slice(0, 8)}`) {
  const r = await h.admin("POST", `/tenants/${tenantId}/roles`, { name, permissions });
  assert.equal(r.status, 201, show(r));
  return r.body as { id: string; name: string };
}

export async function assignRole(h: Harness, tenantId: string, userId: string, roleId: string) {
  const r = await h.admin("PUT", `/tenants/${tenantId}/users/${userId}/roles/${roleId}`);
  assert.equal(r.status, 200, show(r));
}

/** A tenant with one active user holding a fresh session. */
export async function userWithSession(h: Harness, permissions: string[] = []) {
  const { tenantId } = await h.createTenant();
  const user = await createUser(h, tenantId);
  if (permissions.length) await assignRole(h, tenantId, user.id, (await createRole(h, tenantId, permissions)).id);
  return { tenantId, user, ...(await startSession(h, tenantId, user.id)) };
}

export function refresh(h: Harness, refreshToken: string, as: "form" | "json" = "form") {
  return as === "form"
    ? h.request("POST", "/auth/v1/token", {
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    : h.request("POST", "/auth/v1/token", { body: { grant_type: "refresh_token", refresh_token: refreshToken } });
}

export function introspect(h: Harness, token: string) {
  return h.request("POST", "/auth/v1/introspect", {
    token: h.adminToken,
    body: new URLSearchParams({ token }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

export const me = (h: Harness, token: string) => h.request("GET", "/auth/v1/me", { token });

export function decodePayload(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}
