// Verification exactly as a downstream app does it: roster/verify against the JWKS served
// on a real port.
import { serve } from "@hono/node-server";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { generateKeyPair, SignJWT } from "jose";
import { createRosterVerifier } from "roster/verify";
import { show, useHarness } from "../helpers/harness.ts";
import { decodePayload, introspect, me, userWithSession } from "./auth-fixtures.ts";

const h = await useHarness({ ACCESS_TOKEN_TTL_SECONDS: "300" });
const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
await new Promise<void>((resolve) => server.once("listening", () => resolve()));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const issuer = h.container.config.publicUrl;
const verifier = createRosterVerifier({ issuer, audience: "roster", jwksUrl: `${base}/.well-known/jwks.json` });

const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString());

test("a downstream app verifies a Roster token through the JWKS and checks permissions", async () => {
  const { access_token, user, tenantId } = await userWithSession(h, ["billing:manage", "reports:*"]);
  const claims = await verifier.verify(access_token);
  assert.equal(claims.sub, user.id);
  assert.equal(claims.tid, tenantId);
  assert.ok(verifier.hasPermission(claims, "billing:manage"));
  assert.ok(verifier.hasPermission(claims, "reports:export"));
  assert.ok(!verifier.hasPermission(claims, "users:delete"));
  const jwks = await fetch(`${base}/.well-known/jwks.json`);
  assert.match(jwks.headers.get("cache-control") ?? "", /max-age=\d+/);
  const body = (await jwks.json()) as { keys: Record<string, unknown>[] };
  assert.ok(body.keys.every((k) => k.kty === "EC" && k.alg === "ES256" && !("d" in k)), "public parts only");
});

test("key rotation: old tokens verify until they expire, new tokens carry the new kid", async () => {
  const before = await userWithSession(h);
  const oldKid = header(before.access_token).kid;
  const rotated = await h.admin("POST", "/signing-keys/rotate");
  assert.equal(rotated.status, 201, show(rotated));
  assert.notEqual(rotated.body.kid, oldKid);
  const afterRotation = await userWithSession(h);
  assert.equal(header(afterRotation.access_token).kid, rotated.body.kid);
  await verifier.verify(before.access_token); // old key still published
  await new Promise((r) => setTimeout(r, 1100)); // the verifier's refetch cooldown
  await verifier.verify(afterRotation.access_token); // unknown kid → the verifier refetches the JWKS
  assert.equal((await me(h, before.access_token)).status, 200);

  const list = await h.admin("GET", "/signing-keys");
  const old = list.body.data.find((k: { kid: string }) => k.kid === oldKid);
  assert.equal(old.status, "published");
  const publishFor = (Date.parse(old.publishUntil) - Date.parse(old.retiredAt)) / 1000;
  assert.ok(publishFor >= 300 && publishFor <= 360, `published for one token lifetime (+ cache slack): ${publishFor}s`);
  assert.ok(!JSON.stringify(list.body).includes('"d"'), "no private key material");
  const row = await h.container.db.signingKey.findUniqueOrThrow({ where: { kid: oldKid } });
  assert.match(row.privateEncrypted, /^v1\./, "private JWK sealed at rest");

  // Once the publish window has passed, the old key leaves the JWKS and its tokens are refused.
  await h.container.db.signingKey.update({ where: { kid: oldKid }, data: { publishUntil: new Date(Date.now() - 1000) } });
  const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  assert.ok(!jwks.keys.some((k) => k.kid === oldKid));
});

test("expired and tampered tokens are rejected by the verifier, introspection and the middleware", async () => {
  const { access_token } = await userWithSession(h);
  const signer = await h.container.services.signingKeys.signer();
  const claims = decodePayload(access_token);
  const sign = (payload: Record<string, unknown>, head: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: signer.kid, typ: "at+jwt", ...head }).sign(signer.key);
  const [h64, p64, s64] = access_token.split(".") as [string, string, string];
  const stranger = await generateKeyPair("ES256");
  const now = Math.floor(Date.now() / 1000);
  const bad: Record<string, string> = {
    expired: await sign({ ...claims, iat: now - 900, exp: now - 600 }),
    "changed payload": `${h64}.${Buffer.from(JSON.stringify({ ...claims, permissions: ["*"] })).toString("base64url")}.${s64}`,
    "alg none": `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt", kid: signer.kid })).toString("base64url")}.${p64}.`,
    "wrong kid": await sign(claims, { kid: "not-a-roster-key" }),
    "signed by another key": await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: signer.kid, typ: "at+jwt" }).sign(stranger.privateKey),
    "other issuer": await sign({ ...claims, iss: "https://evil.example" }),
    "other audience": await sign({ ...claims, aud: "someone-else" }),
    "not an access token (typ)": await sign(claims, { typ: "JWT" }),
    garbage: "not.a.jwt",
  };
  for (const [what, token] of Object.entries(bad)) {
    await assert.rejects(verifier.verify(token), `${what}: the verifier must refuse it`);
    assert.deepEqual((await introspect(h, token)).body, { active: false }, what);
    assert.equal((await me(h, token)).status, 401, what);
  }
  // The control: the genuine token passes everywhere.
  await verifier.verify(access_token);
  assert.equal((await introspect(h, access_token)).body.active, true);
});

test("introspection needs an admin token and returns the claims of a live token", async () => {
  const { access_token, user } = await userWithSession(h, ["users:read"]);
  const anon = await h.request("POST", "/auth/v1/introspect", { body: { token: access_token } });
  assert.equal(anon.status, 401, show(anon));
  const userToken = await h.request("POST", "/auth/v1/introspect", { body: { token: access_token }, token: access_token });
  assert.equal(userToken.status, 401, show(userToken));
  const r = await h.request("POST", "/auth/v1/introspect", { body: { token: access_token }, token: h.adminToken });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.active, true);
  assert.equal(r.body.sub, user.id);
  assert.equal(r.body.username, user.userName);
  assert.deepEqual(r.body.permissions, ["users:read"]);
});
