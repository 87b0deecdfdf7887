import { z } from "@hono/zod-openapi";

export const TenantIdParamSchema = z.object({
  tenantId: z.string().min(1).max(64).openapi({ param: { name: "tenantId", in: "path" }, example: "0193a5b2-7c1e-7d41-9f0a-3c2d1e0f9a8b" }),
});

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: "0193a5b2-7c1e-7d41-9f0a-3c2d1e0f9a8b" }),
    name: z.string().openapi({ example: "Acme Corp" }),
    settings: z.record(z.string(), z.unknown()).openapi({ example: { plan: "enterprise" } }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
    updatedAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
  })
  .openapi("Tenant");

const settings = z
  .record(z.string(), z.unknown())
  .refine((s) => JSON.stringify(s).length <= 16_384, "settings must be at most 16 kB of JSON");

export const CreateTenantSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Corp" }),
    settings: settings.optional().openapi({ example: { plan: "enterprise" } }),
  })
  .strict()
  .openapi("CreateTenant");

export const UpdateTenantSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Acme Corporation" }),
    settings: settings.optional(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.settings !== undefined, "give name or settings")
  .openapi("UpdateTenant");

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  after: z.string().max(64).optional().openapi({ description: "Cursor: the nextCursor of the previous page" }),
});

export const ScimTokenSchema = z
  .object({
    id: z.string().openapi({ example: "0193a5b3-1111-7abc-8def-0123456789ab" }),
    tenantId: z.string(),
    name: z.string().openapi({ example: "Okta provisioning" }),
    prefix: z.string().openapi({ example: "rst_Xy12Ab" }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable().openapi({ example: "2027-11-30T00:00:00.000Z" }),
    revokedAt: z.string().nullable(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .openapi("ScimToken");

export const CreateScimTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Okta provisioning" }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .refine((v) => v === undefined || Date.parse(v) > Date.now(), "expiresAt must be in the future")
      .openapi({ example: "2027-11-30T00:00:00Z" }),
  })
  .strict()
  .openapi("CreateScimToken");

export const CreatedScimTokenSchema = z
  .object({
    token: z.string().openapi({
      description: "The bearer secret. Shown only in this response; Roster stores a digest.",
      example: "rst_Xy12AbQ9v0m3kPq8sT2uV5wY7zA1bC4dE6fG8hJ0kL2",
    }),
    record: ScimTokenSchema,
  })
  .openapi("CreatedScimToken");
