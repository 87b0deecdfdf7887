import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";
import { createUser, decodePayload, introspect, me, refresh, startSession, userWithSession } from "./auth-fixtures.ts";

const h = await useHarness();

test("an admin-started session returns an access token with Roster's claims and a refresh token", async () => {
  const { tenantId, user, access_token, refresh_token, expires_in, session } = await userWithSession(h);
  assert.match(refresh_token, /^rrt_[A-Za-z0-9_-]{43}$/);
  assert.equal(expires_in, 600);
  const claims = decodePayload(access_token);
  assert.equal(claims.sub, user.id);
  assert.equal(claims.tid, tenantId);
  assert.equal(claims.sid, session.id);
  assert.equal(claims.iss, h.container.config.publicUrl);
  assert.equal(claims.aud, "roster");
  assert.deepEqual(claims.amr, ["ext"]);
  assert.ok(claims.jti && claims.auth_time && claims.exp - claims.iat === 600);
  assert.deepEqual(claims.roles, []);
  const r = await me(h, access_token);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.sub, user.id);
  const row = await h.container.db.refreshToken.findFirstOrThrow({ where: { sessionId: session.id } });
  assert.ok(!JSON.stringify(row).includes(refresh_token), "only the digest is stored");
});

test("refresh rotates: a new pair in the same family, form-encoded or JSON", async () => {
  const first = await userWithSession(h);
  const a = await refresh(h, first.refresh_token, "form");
  assert.equal(a.status, 200, show(a));
  assert.equal(a.headers.get("cache-control"), "no-store");
  assert.equal(a.body.token_type, "Bearer");
  assert.notEqual(a.body.refresh_token, first.refresh_token);
  assert.equal(decodePayload(a.body.access_token).sid, first.session.id);
  const b = await refresh(h, a.body.refresh_token, "json");
  assert.equal(b.status, 200, show(b));
  const family = await h.container.db.refreshToken.findMany({ where: { sessionId: first.session.id } });
  assert.equal(family.length, 3);
  assert.equal(new Set(family.map((t) => t.familyId)).size, 1);
  assert.equal((await me(h, b.body.access_token)).status, 200);
});

test("reusing a refresh token revokes the family and the session and writes the event", async () => {
  const { tenantId, user, refresh_token, session, access_token } = await userWithSession(h);
  const rotated = await refresh(h, refresh_token);
  assert.equal(rotated.status, 200, show(rotated));
  const reuse = await refresh(h, refresh_token);
  assert.equal(reuse.status, 400, show(reuse));
  assert.equal(reuse.body.error, "invalid_grant");
  // The legitimate successor dies with the family, and live access tokens stop at once.
  const successor = await refresh(h, rotated.body.refresh_token);
  assert.equal(successor.body.error, "invalid_grant", show(successor));
  assert.equal((await me(h, rotated.body.access_token)).status, 401);
  assert.equal((await me(h, access_token)).status, 401);
  const s = await h.container.db.session.findUniqueOrThrow({ where: { id: session.id } });
  assert.equal(s.revokedReason, "refresh_token_reused");
  const events = await h.container.db.event.findMany({ where: { tenantId, type: "session.refresh_token_reused" } });
  assert.equal(events.length, 1);
  assert.equal(events[0]!.resourceType, "Session");
  assert.equal(events[0]!.resourceId, session.id);
  assert.deepEqual(events[0]!.attributes, []);
  assert.deepEqual(events[0]!.data, { userId: user.id });
  const live = await h.container.db.refreshToken.count({ where: { sessionId: session.id, revokedAt: null, usedAt: null } });
  assert.equal(live, 0);
});

test("two concurrent refreshes with one token: exactly one wins, the other counts as reuse", async () => {
  const { refresh_token, session } = await userWithSession(h);
  const results = await Promise.all([refresh(h, refresh_token), refresh(h, refresh_token), refresh(h, refresh_token)]);
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, results.map(show).join("\n"));
  assert.ok(results.filter((r) => r.status === 400).every((r) => r.body.error === "invalid_grant"));
  const s = await h.container.db.session.findUniqueOrThrow({ where: { id: session.id } });
  assert.equal(s.revokedReason, "refresh_token_reused");
});

test("refresh refuses malformed, unknown and unsupported grants per RFC 6749 §5.2", async () => {
  const cases: [unknown, string][] = [
    [{ grant_type: "password", username: "x" }, "unsupported_grant_type"],
    [{ grant_type: "refresh_token" }, "invalid_request"],
    [{ grant_type: "refresh_token", refresh_token: "nope" }, "invalid_grant"],
    [{ grant_type: "refresh_token", refresh_token: `rrt_${"A".repeat(43)}` }, "invalid_grant"],
    [{}, "invalid_request"],
  ];
  for (const [body, error] of cases) {
    const r = await h.request("POST", "/auth/v1/token", { body });
    assert.equal(r.status, 400, show(r));
    assert.equal(r.body.error, error, show(r));
  }
  const text = await h.request("POST", "/auth/v1/token", { body: "grant_type=refresh_token", headers: { "content-type": "text/plain" } });
  assert.equal(text.status, 415, show(text));
});

test("a session past its idle or absolute timeout cannot be refreshed", async () => {
  for (const field of ["idleExpiresAt", "absoluteExpiresAt"] as const) {
    const { refresh_token, session } = await userWithSession(h);
    await h.container.db.session.update({ where: { id: session.id }, data: { [field]: new Date(Date.now() - 1000) } });
    const r = await refresh(h, refresh_token);
    assert.equal(r.body.error, "invalid_grant", `${field}: ${show(r)}`);
  }
});

test("a deactivated user can neither start nor refresh a session, and introspects inactive", async () => {
  const { tenantId, user, refresh_token, access_token } = await userWithSession(h);
  await h.container.db.user.update({ where: { id: user.id }, data: { active: false } });
  assert.equal((await refresh(h, refresh_token)).body.error, "invalid_grant");
  assert.deepEqual((await introspect(h, access_token)).body, { active: false });
  const r = await h.admin("POST", `/tenants/${tenantId}/sessions`, { userId: user.id });
  assert.equal(r.status, 403, show(r));
});

test("starting a session for an unknown, deleted or other tenant's user is 404; bad input is 400", async () => {
  const { tenantId } = await h.createTenant();
  const other = await h.createTenant();
  const stranger = await createUser(h, other.tenantId);
  const gone = await createUser(h, tenantId);
  await h.container.db.user.delete({ where: { id: gone.id } });
  for (const userId of [stranger.id, gone.id, "00000000-0000-7000-8000-000000000000"]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/sessions`, { userId });
    assert.equal(r.status, 404, show(r));
  }
  const user = await createUser(h, tenantId);
  for (const body of [{}, { userId: user.id, amr: ["NOT VALID"] }, { userId: user.id, extra: 1 }, { userId: 5 }]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/sessions`, body);
    assert.equal(r.status, 400, show(r));
  }
  const s = await startSession(h, tenantId, user.id, ["pwd", "mfa"]);
  assert.deepEqual(decodePayload(s.access_token).amr, ["pwd", "mfa"]);
});
