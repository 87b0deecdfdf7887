// createApp(container): mounts every surface on one Hono app. No I/O at import time; tests
// call this with their own container and drive it through app.request().
import { Scalar } from "@scalar/hono-api-reference";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "./errors.ts";
import { ADMIN_BASE, createAdminApp } from "./admin/admin.app.ts";
import { AUTH_BASE, createAuthApp } from "./auth/auth.app.ts";
import { jwksRoutes } from "./auth/jwks.routes.ts";
import type { Container } from "./container.ts";
import { healthRoutes } from "./http/health.ts";
import { onError, onNotFound } from "./http/on-error.ts";
import { requestContext } from "./http/request-context.ts";
import type { AppEnv } from "./http/types.ts";
import { createScimApp, SCIM_BASE } from "./scim/scim.app.ts";

/** Admin and auth requests are small JSON documents; 1 MiB is generous. */
const ADMIN_MAX_BODY_BYTES = 1_048_576;

function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError("payload_too_large", `Request body exceeds ${maxSize} bytes`);
    },
  });
}

export function createApp(container: Container) {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestContext(container.logger));
  // Bodies are capped while they stream in, before anything parses them: an unauthenticated
  // 100 MB JSON body must be a 413, not a heap exhausted by JSON.parse.
  app.use(`${SCIM_BASE}/*`, limitBody(container.config.SCIM_MAX_PAYLOAD_BYTES));
  app.use(`${ADMIN_BASE}/*`, limitBody(ADMIN_MAX_BODY_BYTES));
  app.use(`${AUTH_BASE}/*`, limitBody(ADMIN_MAX_BODY_BYTES));
  app.onError(onError);
  app.notFound(onNotFound);

  app.route("/", healthRoutes(container));
  app.route(SCIM_BASE, createScimApp(container));
  app.route(ADMIN_BASE, createAdminApp(container));
  app.route(AUTH_BASE, createAuthApp(container));
  app.route("/", jwksRoutes(container.services.signingKeys));

  app.doc31(`${ADMIN_BASE}/openapi.json`, {
    openapi: "3.1.0",
    info: {
      title: "Roster admin and auth API",
      version: "1",
      description: "Manage tenants, SCIM tokens, roles, webhooks and sessions. SCIM 2.0 itself is served at /scim/v2.",
    },
    servers: [{ url: container.config.publicUrl }],
  });
  app.get(`${ADMIN_BASE}/reference`, Scalar({ url: `${ADMIN_BASE}/openapi.json`, pageTitle: "Roster API reference" }));
  return app;
}

export type App = ReturnType<typeof createApp>;
