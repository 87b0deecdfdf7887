import { z } from "@hono/zod-openapi";
import { PERMISSION_PATTERN } from "../../modules/roles/roles.service.ts";
import { TenantIdParamSchema } from "../schemas.ts";

const id = (name: string) => z.string().min(1).max(64).openapi({ param: { name, in: "path" }, example: "0193a5c0-2222-7abc-8def-0123456789ab" });

export const RoleParamsSchema = TenantIdParamSchema.extend({ roleId: id("roleId") });
export const UserParamsSchema = TenantIdParamSchema.extend({ userId: id("userId") });
export const UserRoleParamsSchema = TenantIdParamSchema.extend({ userId: id("userId"), roleId: id("roleId") });
export const MappingParamsSchema = TenantIdParamSchema.extend({ mappingId: id("mappingId") });
export const SessionParamsSchema = TenantIdParamSchema.extend({ sessionId: id("sessionId") });

const permission = z.string().max(200).regex(PERMISSION_PATTERN, "permissions look like `users:read` (lowercase segments separated by colons)");
const permissions = z.array(permission).max(200).openapi({ example: ["users:read", "billing:manage"] });

export const RoleSchema = z
  .object({
    id: z.string().openapi({ example: "0193a5c0-4444-7abc-8def-0123456789ab" }),
    name: z.string().openapi({ example: "Billing admin" }),
    description: z.string().nullable().openapi({ example: "Manages invoices and payment methods" }),
    permissions: z.array(z.string()).openapi({ example: ["billing:manage", "billing:read"] }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Role");

export const CreateRoleSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "Billing admin" }),
    description: z.string().max(1000).nullable().optional().openapi({ example: "Manages invoices and payment methods" }),
    permissions,
  })
  .strict()
  .openapi("CreateRole");

export const UpdateRoleSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional().openapi({ example: "Billing owner" }),
    description: z.string().max(1000).nullable().optional(),
    permissions: permissions.optional(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.description !== undefined || v.permissions !== undefined, "give name, description or permissions")
  .openapi("UpdateRole");

export const RoleMappingSchema = z
  .object({
    id: z.string(),
    roleId: z.string(),
    groupId: z.string().nullable().openapi({ example: "0193a5c0-5555-7abc-8def-0123456789ab" }),
    groupDisplayName: z.string().nullable().openapi({ example: null }),
    createdAt: z.string(),
  })
  .openapi("RoleMapping");

export const CreateRoleMappingSchema = z
  .object({
    roleId: z.string().min(1).max(64).openapi({ example: "0193a5c0-4444-7abc-8def-0123456789ab" }),
    groupId: z.string().min(1).max(64).optional().openapi({ example: "0193a5c0-5555-7abc-8def-0123456789ab" }),
    groupDisplayName: z.string().trim().min(1).max(256).optional().openapi({ description: "Matched case-insensitively against the group's displayName, also for groups pushed later", example: "Engineering" }),
  })
  .strict()
  .refine((v) => (v.groupId === undefined) !== (v.groupDisplayName === undefined), "give exactly one of groupId or groupDisplayName")
  .openapi("CreateRoleMapping");

export const EffectiveRolesSchema = z
  .object({
    roles: z.array(
      z.object({
        roleId: z.string(),
        name: z.string(),
        permissions: z.array(z.string()),
        sources: z.array(
          z.union([
            z.object({ type: z.literal("direct") }),
            z.object({ type: z.literal("group"), groupId: z.string(), groupDisplayName: z.string().nullable() }),
          ]),
        ).openapi({ example: [{ type: "direct" }, { type: "group", groupId: "0193a5c0-5555-7abc-8def-0123456789ab", groupDisplayName: "Engineering" }] }),
      }),
    ),
    permissions: z.array(z.string()).openapi({ example: ["billing:manage", "users:read"] }),
  })
  .openapi("EffectiveRoles");
