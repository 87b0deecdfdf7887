import { createRoute, z } from "@hono/zod-openapi";
import type { SigningKeysService } from "../../modules/signing-keys/signing-keys.service.ts";
import { ADMIN_SECURITY, createOpenApiApp, errorResponses, jsonResponse } from "../openapi.ts";

const tags = ["Signing keys"];

const SigningKeySchema = z
  .object({
    kid: z.string().openapi({ example: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" }),
    alg: z.string().openapi({ example: "ES256" }),
    status: z.enum(["active", "published", "expired"]).openapi({ description: "active signs; published still verifies old tokens; expired is gone from the JWKS" }),
    publicJwk: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    publishUntil: z.string().nullable(),
  })
  .openapi("SigningKey");

const list = createRoute({
  method: "get", path: "/signing-keys", tags, security: ADMIN_SECURITY, summary: "List signing keys (public parts only)",
  responses: { 200: jsonResponse(z.object({ data: z.array(SigningKeySchema) }), "Keys, newest first"), 401: errorResponses[401] },
});
const rotate = createRoute({
  method: "post", path: "/signing-keys/rotate", tags, security: ADMIN_SECURITY,
  summary: "Add a new signing key and sign with it from now on",
  description: "The previous key stays in the JWKS until every token it signed has expired (one access-token lifetime).",
  responses: { 201: jsonResponse(SigningKeySchema, "The new active key"), 401: errorResponses[401] },
});

export function signingKeysRoutes(keys: SigningKeysService) {
  return createOpenApiApp()
    .openapi(list, async (c) => {
      await keys.signer(); // the first key exists once anyone asks
      return c.json({ data: await keys.list() }, 200);
    })
    .openapi(rotate, async (c) => c.json(await keys.rotate(), 201));
}
