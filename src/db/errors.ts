// Database error → domain error, so services never leak driver errors as 500s. Errors arrive
// either from pg directly (SQLSTATE in `code`) or wrapped by Prisma (P-codes, with the driver's
// SQLSTATE under meta.driverAdapterError.cause.originalCode).
import { AppError, badRequest, conflict } from "../errors.ts";

type DbError = {
  code?: string;
  constraint?: string;
  meta?: { target?: unknown; code?: string; driverAdapterError?: { cause?: { originalCode?: string; constraint?: { fields?: string[] } } } };
};

/** The PostgreSQL SQLSTATE of an error, wrapped by Prisma or not. */
function sqlState(e: DbError): string | undefined {
  const state = (v: string | undefined) => (v && /^[0-9A-Z]{5}$/.test(v) && !v.startsWith("P") ? v : undefined);
  return e.meta?.driverAdapterError?.cause?.originalCode ?? state(e.meta?.code) ?? state(e.code);
}

export function mapDbError(e: unknown, what = "resource"): unknown {
  if (!e || typeof e !== "object" || e instanceof AppError) return e;
  const err = e as DbError;
  if (err.code === "P2002") {
    const fields = Array.isArray(err.meta?.target) ? (err.meta.target as string[]) : (err.meta?.driverAdapterError?.cause?.constraint?.fields ?? []);
    const named = fields.filter((f) => f !== "tenantId" && f !== '"tenantId"').map((f) => f.replace(/"/g, ""));
    return conflict(`A ${what} with the same ${named.join(", ") || "unique value"} already exists`);
  }
  if (err.code === "P2025") return new AppError("not_found", `${what} not found`);
  switch (sqlState(err)) {
    // Prisma names constraints <Table>_<field>_<field>_key, e.g. User_tenantId_userName_key.
    case "23505": {
      const fields = (err.constraint ?? "").replace(/_key$/, "").split("_").slice(1).filter((f) => f && f !== "tenantId");
      return conflict(`A ${what} with the same ${fields.join(", ") || "unique value"} already exists`);
    }
    // A referenced row vanished (e.g. a member deleted while its group was being updated).
    case "23503":
      return badRequest(`The ${what} refers to a resource that does not exist (any more)`, "invalidValue");
    // U+0000 and encodings PostgreSQL cannot store in text.
    case "22021":
    case "22P05":
      return badRequest("Text contains a character that cannot be stored (U+0000)", "invalidValue");
    // Numbers, dates or lengths out of PostgreSQL's range.
    case "22003":
    case "22008":
    case "22001":
      return badRequest("A value is out of range", "invalidValue");
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
