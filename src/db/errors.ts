// Prisma error → domain error, so services never leak driver errors as 500s.
import { AppError, conflict } from "../errors.ts";

/** Prisma's P2002 names the violated constraint's fields; P2025 is "record not found". */
export function mapDbError(e: unknown, what = "resource"): unknown {
  const code = (e as { code?: string } | null)?.code;
  if (code === "P2002") {
    const target = (e as { meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } }).meta;
    const fields = Array.isArray(target?.target)
      ? (target.target as string[])
      : (target?.driverAdapterError?.cause?.constraint?.fields ?? []);
    const field = fields.filter((f) => f !== "tenantId" && f !== '"tenantId"').map((f) => f.replace(/"/g, ""));
    return conflict(`A ${what} with the same ${field.join(", ") || "unique value"} already exists`);
  }
  if (code === "P2025") return new AppError("not_found", `${what} not found`);
  // 23505 arrives unwrapped from SQL run through pg; Prisma names constraints
  // <Table>_<field>_<field>_key, e.g. User_tenantId_userName_key.
  if (code === "23505") {
    const constraint = (e as { constraint?: string }).constraint ?? "";
    const fields = constraint.replace(/_key$/, "").split("_").slice(1).filter((f) => f && f !== "tenantId");
    return conflict(`A ${what} with the same ${fields.join(", ") || "unique value"} already exists`);
  }
  return e;
}

/** Runs fn and rethrows database errors as domain errors. */
export async function withDbErrors<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapDbError(e, what);
  }
}
