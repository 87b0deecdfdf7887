// GET /.well-known/jwks.json: the RFC 7517 §5 JWK Set downstream apps verify tokens with.
// Short caching: a rotated-in key is signed with at once, and verifiers (jose's remote JWK
// set) refetch on an unknown kid anyway.
import { createRoute, z } from "@hono/zod-openapi";
import type { SigningKeysService } from "../modules/signing-keys/signing-keys.service.ts";
import { createAuthOpenApiApp } from "./openapi.ts";

export const JWKS_PATH = "/.well-known/jwks.json";

const JwksSchema = z
  .object({
    keys: z.array(z.record(z.string(), z.unknown())).openapi({
      example: [{ kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", alg: "ES256", use: "sig", kid: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" }],
    }),
  })
  .openapi("JWKS");

const route = createRoute({
  method: "get", path: JWKS_PATH, tags: ["Tokens"],
  summary: "Public signing keys (JWKS)",
  responses: { 200: { content: { "application/json": { schema: JwksSchema } }, description: "The published keys, including retired ones until their tokens expire" } },
});

export function jwksRoutes(keys: SigningKeysService) {
  return createAuthOpenApiApp().openapi(route, async (c) =>
    c.json(await keys.jwks(), 200, { "Cache-Control": "public, max-age=60"}),
  );
}
