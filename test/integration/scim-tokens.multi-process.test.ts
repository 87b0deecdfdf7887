// Two web processes on one database (as behind a load balancer): a SCIM token revoked, or a
// tenant deleted, through one of them stops working on the other at once, although the other
// holds the token in its cache (SCIM_TOKEN_CACHE_SECONDS is long here on purpose).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createContainer } from "../../src/container.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { useHarness } from "../helpers/harness.ts";

const env = { SCIM_TOKEN_CACHE_SECONDS: "300" };
const a = await useHarness(env);
a.container.startListeners();
const config = loadConfig({ ...env, NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: a.database.url, ROSTER_KEY_ENCRYPTION_KEY: a.container.config.ROSTER_KEY_ENCRYPTION_KEY });
const other = createContainer({ config, logger: createLogger("silent"), databaseUrl: a.database.url });
other.startListeners();
after(() => other.close());
const b = createApp(other);

const spc = (token: string) => b.request("/scim/v2/ServiceProviderConfig", { headers: { authorization: `Bearer ${token}` } });

async function refusedWithin(token: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await spc(token)).status === 401) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

// Both listeners must be connected before the first revoke, or the test measures start-up.
await new Promise((r) => setTimeout(r, 300));

test("a token revoked through one process is refused by the other, which had it cached", async () => {
  const { tenantId, token, tokenId } = await a.createTenant();
  assert.equal((await spc(token)).status, 200, "cached on the other process");
  assert.equal((await a.admin("DELETE", `/tenants/${tenantId}/scim-tokens/${tokenId}`)).status, 200);
  assert.ok(await refusedWithin(token, 2000), "the other process dropped its cached token");
});

test("deleting a tenant through one process stops its tokens on the other", async () => {
  const { tenantId, token } = await a.createTenant();
  assert.equal((await spc(token)).status, 200);
  assert.equal((await a.admin("DELETE", `/tenants/${tenantId}`)).status, 204);
  assert.ok(await refusedWithin(token, 2000));
});

test("another tenant's tokens stay cached and working", async () => {
  const keep = await a.createTenant();
  const gone = await a.createTenant();
  assert.equal((await spc(keep.token)).status, 200);
  await a.admin("DELETE", `/tenants/${gone.tenantId}`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await spc(keep.token)).status, 200);
});
