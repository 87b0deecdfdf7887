// Webhook destinations on Roster's own network (SSRF): refused when
// WEBHOOK_ALLOW_PRIVATE_NETWORKS is false (the production default).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config.ts";
import { assertPublicDestination, internalUrlReason, isInternalAddress } from "../../src/modules/webhooks/egress.ts";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false" });

test("internal addresses are recognised, public ones are not", () => {
  for (const ip of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"]) {
    assert.equal(isInternalAddress(ip), true, ip);
  }
  for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"]) assert.equal(isInternalAddress(ip), false, ip);
  assert.match(internalUrlReason("http://localhost:8080/x") ?? "", /localhost/);
  assert.match(internalUrlReason("http://[::1]/x") ?? "", /internal/);
  assert.equal(internalUrlReason("https://hooks.example.com/roster"), null);
});

test("registering a webhook on an internal address is a 400; a public URL is fine", async () => {
  const { tenantId } = await h.createTenant();
  for (const url of ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data", "http://localhost/hook", "http://[::1]/hook", "http://10.0.0.5/hook"]) {
    const r = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url });
    assert.equal(r.status, 400, `${url}: ${show(r)}`);
    assert.match(r.body.error.message, /WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
  }
  const ok = await h.admin("POST", `/tenants/${tenantId}/webhooks`, { url: "https://hooks.example.com/roster" });
  assert.equal(ok.status, 201, show(ok));
  const moved = await h.admin("PATCH", `/tenants/${tenantId}/webhooks/${ok.body.id}`, { url: "http://127.0.0.1/x" });
  assert.equal(moved.status, 400, show(moved));
});

test("a delivery re-checks the destination before connecting", async () => {
  await assert.rejects(assertPublicDestination("http://127.0.0.1:9/hook"), /internal/);
  await assert.rejects(assertPublicDestination("http://localhost:9/hook"), /localhost/);
  await assertPublicDestination("http://93.184.216.34/hook"); // a public literal needs no lookup
});

test("private networks are allowed by default outside production, refused in production", () => {
  assert.equal(loadConfig({}).webhookAllowPrivateNetworks, true);
  assert.equal(loadConfig({ NODE_ENV: "production" }).webhookAllowPrivateNetworks, false);
  assert.equal(loadConfig({ NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" }).webhookAllowPrivateNetworks, true);
});
