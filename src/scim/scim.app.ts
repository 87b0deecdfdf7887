// /scim/v2: the IdP-facing SCIM 2.0 surface. Every route is tenant-scoped by the bearer token.
import { Hono } from "hono";
import type { Container } from "../container.ts";
import { scimAuth } from "../http/scim-auth.ts";
import type { AppEnv } from "../http/types.ts";
import { requireScimMediaType, scimJson } from "./media.ts";

export const SCIM_BASE = "/scim/v2";

export function createScimApp(container: Container) {
  const { services, config } = container;
  const app = new Hono<AppEnv>();
  app.use("*", scimAuth(services.scimTokens));
  app.use("*", requireScimMediaType(config.SCIM_MAX_PAYLOAD_BYTES));
  // Placeholder until the SCIM resource routes land: proves the token → tenant wiring.
  app.get("/ServiceProviderConfig", (c) =>
    scimJson(c, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: false, maxResults: 0 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", name: "OAuth Bearer Token", description: "Tenant SCIM token issued through /admin/v1", primary: true }],
    }),
  );
  return app;
}
