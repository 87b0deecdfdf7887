// Revocation checks run twice: with the Redis deny-list and with the PostgreSQL one.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Harness } from "../helpers/harness.ts";
import { show } from "../helpers/harness.ts";
import { introspect, me, refresh, startSession, userWithSession } from "./auth-fixtures.ts";

export function revocationTests(h: Harness, backend: "redis" | "postgres") {
  test(`[${backend}] logout-everywhere makes every live access token fail at introspection and the middleware within a second`, async () => {
    const { tenantId, user, access_token } = await userWithSession(h);
    const others = await Promise.all([startSession(h, tenantId, user.id), startSession(h, tenantId, user.id)]);
    const tokens = [access_token, ...others.map((o) => o.access_token)];
    for (const t of tokens) assert.equal((await introspect(h, t)).body.active, true);
    const started = Date.now();
    const r = await h.request("POST", "/auth/v1/logout-all", { token: access_token });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body, { sessions: 3, refreshTokens: 3 });
    for (const t of tokens) {
      assert.deepEqual((await introspect(h, t)).body, { active: false });
      assert.equal((await me(h, t)).status, 401);
    }
    assert.ok(Date.now() - started < 1000, "refused within a second");
    for (const o of others) assert.equal((await refresh(h, o.refresh_token)).body.error, "invalid_grant");
  });

  test(`[${backend}] logout ends only this session`, async () => {
    const { tenantId, user, access_token } = await userWithSession(h);
    const other = await startSession(h, tenantId, user.id);
    assert.equal((await h.request("POST", "/auth/v1/logout", { token: access_token })).status, 204);
    assert.equal((await me(h, access_token)).status, 401);
    assert.equal((await me(h, other.access_token)).status, 200);
  });

  test(`[${backend}] revokeUserSessions kills sessions and refresh families, idempotently`, async () => {
    const { tenantId, user, access_token, refresh_token } = await userWithSession(h);
    await startSession(h, tenantId, user.id);
    const { sessions } = h.container.services;
    assert.deepEqual(await sessions.revokeUserSessions(tenantId, user.id, "deprovisioned"), { sessions: 2, refreshTokens: 2 });
    assert.deepEqual(await sessions.revokeUserSessions(tenantId, user.id, "deprovisioned"), { sessions: 0, refreshTokens: 0 });
    assert.equal((await me(h, access_token)).status, 401);
    assert.equal((await refresh(h, refresh_token)).body.error, "invalid_grant");
    if (backend === "redis") {
      assert.ok(await h.container.redis!.get(`roster:revoked-sid:${(await introspectSid(access_token))}`));
    } else {
      assert.equal(await h.container.db.revokedSession.count({ where: { sessionId: await introspectSid(access_token) } }), 1);
    }
  });

  test(`[${backend}] the admin API revokes one session or all of a user's`, async () => {
    const { tenantId, user, access_token, session } = await userWithSession(h);
    const second = await startSession(h, tenantId, user.id);
    const one = await h.admin("DELETE", `/tenants/${tenantId}/sessions/${session.id}`);
    assert.equal(one.status, 200, show(one));
    assert.equal(one.body.status, "revoked");
    assert.equal((await me(h, access_token)).status, 401);
    assert.equal((await me(h, second.access_token)).status, 200);
    const all = await h.admin("POST", `/tenants/${tenantId}/users/${user.id}/sessions/revoke`);
    assert.deepEqual(all.body, { sessions: 1, refreshTokens: 1 }, show(all));
    assert.equal((await me(h, second.access_token)).status, 401);
    const list = await h.admin("GET", `/tenants/${tenantId}/users/${user.id}/sessions`);
    assert.equal(list.status, 200, show(list));
    assert.deepEqual(list.body.data.map((s: { status: string }) => s.status), ["revoked", "revoked"]);
  });
}

function introspectSid(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()).sid;
}
