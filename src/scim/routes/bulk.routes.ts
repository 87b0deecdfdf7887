// RFC 7644 §3.7 Bulk. Operations run in order, each in its own transaction (the RFC does not
// make a bulk request atomic); `bulkId:` references to resources created earlier in the same
// request are resolved in paths and data; `failOnErrors` stops after that many errors.
import { Hono } from "hono";
import { mapDbError } from "../../db/errors.ts";
import { AppError, badRequest, isAppError } from "../../errors.ts";
import type { AppEnv } from "../../http/types.ts";
import { scimErrorBody } from "../../http/scim-errors.ts";
import { FORBIDDEN_KEYS } from "../schemas/index.ts";
import { readScimBody, scimJson } from "../media.ts";
import { BULK_REQUEST, BULK_RESPONSE } from "../messages.ts";
import { tenantContext, type ResourceHandlers } from "./resource.routes.ts";

interface BulkOperation {
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

const ENDPOINTS: Record<string, "User" | "Group"> = { users: "User", groups: "Group" };
const BULK_REF = /^bulkId:(.+)$/;

function parseOperations(body: unknown, maxOperations: number): { ops: BulkOperation[]; failOnErrors: number } {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("A BulkRequest object is required", "invalidSyntax");
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.schemas) || !b.schemas.includes(BULK_REQUEST)) throw badRequest(`schemas must contain ${BULK_REQUEST}`, "invalidSyntax");
  const opsKey = Object.keys(b).find((k) => k.toLowerCase() === "operations");
  const ops = opsKey ? b[opsKey] : undefined;
  if (!Array.isArray(ops)) throw badRequest("Operations must be an array", "invalidSyntax");
  if (ops.length > maxOperations) throw new AppError("payload_too_large", `Too many operations: maxOperations is ${maxOperations}`);
  const failOnErrors = b.failOnErrors === undefined ? Infinity : Number(b.failOnErrors);
  if (!Number.isInteger(failOnErrors) && failOnErrors !== Infinity) throw badRequest("failOnErrors must be an integer", "invalidValue");
  for (const op of ops) {
    if (!op || typeof op !== "object" || typeof op.method !== "string" || typeof op.path !== "string") {
      throw badRequest("Each operation needs a method and a path", "invalidSyntax");
    }
    if (op.bulkId !== undefined && typeof op.bulkId !== "string") throw badRequest("bulkId must be a string", "invalidValue");
    if (op.version !== undefined && typeof op.version !== "string") throw badRequest("version must be an ETag string such as W/\"3\"", "invalidValue");
  }
  return { ops: ops as BulkOperation[], failOnErrors: failOnErrors < 1 ? Infinity : failOnErrors };
}

/** Replaces "bulkId:x" strings (anywhere in data) with the ids created for them. */
function resolveRefs(value: unknown, ids: Map<string, string>, missing: Set<string>): unknown {
  if (typeof value === "string") {
    const m = BULK_REF.exec(value);
    if (!m) return value;
    const id = ids.get(m[1]!);
    if (id === undefined) missing.add(m[1]!);
    return id ?? value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids, missing));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) throw badRequest(`Attribute name ${k} is not allowed`, "invalidValue");
      out[k] = resolveRefs(v, ids, missing);
    }
    return out;
  }
  return value;
}

/** Every bulkId an operation refers to, in its path or anywhere in its data. */
function referencesOf(op: BulkOperation): Set<string> {
  const refs = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      for (const segment of v.split("/")) {
        const m = BULK_REF.exec(segment);
        if (m) refs.add(m[1]!);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(op.path);
  walk(op.data);
  return refs;
}

/**
 * RFC 7644 §3.7.2: an operation may refer to a resource a *later* POST of the same request
 * creates; run each operation once everything it refers to exists. Returns the request's
 * indexes in execution order; operations caught in a reference cycle come last, in request
 * order, and fail as unresolved.
 */
function executionOrder(ops: BulkOperation[]): number[] {
  const definedBy = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.method.toUpperCase() === "POST" && op.bulkId !== undefined) definedBy.set(op.bulkId, i);
  });
  const waitsFor = ops.map((op, i) => new Set([...referencesOf(op)].map((ref) => definedBy.get(ref)).filter((j): j is number => j !== undefined && j !== i)));
  const done = new Set<number>();
  const order: number[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (let i = 0; i < ops.length; i++) {
      if (done.has(i) || [...waitsFor[i]!].some((j) => !done.has(j))) continue;
      done.add(i);
      order.push(i);
      progress = true;
    }
  }
  for (let i = 0; i < ops.length; i++) if (!done.has(i)) order.push(i);
  return order;
}

export function bulkRoutes(opts: { handlers: Record<"User" | "Group", ResourceHandlers>; maxOperations: number; maxPayloadBytes: number }) {
  const app = new Hono<AppEnv>();
  app.post("/Bulk", async (c) => {
    const { ops, failOnErrors } = parseOperations(await readScimBody(c, opts.maxPayloadBytes), opts.maxOperations);
    const ctx = tenantContext(c);
    const created = new Map<string, string>();
    const results: { index: number; result: Record<string, unknown> }[] = [];
    let errors = 0;

    for (const index of executionOrder(ops)) {
      const op = ops[index]!;
      if (errors >= failOnErrors) break;
      const method = op.method.toUpperCase();
      const result: Record<string, unknown> = { method };
      if (op.bulkId !== undefined) result.bulkId = op.bulkId;
      try {
        const missing = new Set<string>();
        // RFC 7644 §3.7.2: a path may name a resource created earlier by bulkId, as in
        // "/Users/bulkId:qwerty": resolve each segment, not only a path that is all reference.
        const path = op.path
          .split("/")
          .map((segment) => resolveRefs(segment, created, missing) as string)
          .join("/");
        const data = resolveRefs(op.data, created, missing);
        // §3.7.3: a reference that cannot be resolved (unknown, failed, or circular) is 409.
        if (missing.size) throw new AppError("conflict", `Unresolved bulkId reference(s): ${[...missing].join(", ")}`);
        const [, endpoint, id, extra] = path.split("/");
        const type = ENDPOINTS[(endpoint ?? "").toLowerCase()];
        if (!type || extra !== undefined || path[0] !== "/") throw badRequest(`Unsupported path ${path}`, "invalidPath");
        const handlers = opts.handlers[type];
        const ifMatch = op.version;
        if (method === "POST") {
          if (id) throw badRequest("POST takes a resource endpoint path such as /Users", "invalidPath");
          if (op.bulkId === undefined) throw badRequest("POST operations need a bulkId", "invalidValue");
          const doc = await handlers.create(ctx, data);
          created.set(op.bulkId, doc.id as string);
          Object.assign(result, { location: (doc.meta as { location: string }).location, version: (doc.meta as { version: string }).version, status: "201" });
        } else if (!id) {
          throw badRequest(`${method} needs a resource path such as /Users/{id}`, "invalidPath");
        } else if (method === "PUT" || method === "PATCH") {
          const doc = method === "PUT" ? await handlers.replace(ctx, id, data, ifMatch) : await handlers.patch(ctx, id, data, ifMatch, false);
          Object.assign(result, { location: (doc.meta as { location: string }).location, version: (doc.meta as { version: string }).version, status: "200" });
        } else if (method === "DELETE") {
          await handlers.remove(ctx, id, ifMatch);
          result.status = "204";
        } else {
          throw badRequest(`Unsupported bulk method ${op.method}`, "invalidValue");
        }
      } catch (caught) {
        // Earlier operations are committed: one operation's unexpected failure must not turn
        // the whole response into a 500 that hides what was done. It is that operation's 500.
        const mapped = mapDbError(caught);
        const e = isAppError(mapped) ? mapped : new AppError("internal", "Internal server error");
        if (!isAppError(mapped)) c.get("log").error({ err: { name: (caught as Error)?.name, stack: (caught as Error)?.stack } }, "bulk operation failed");
        errors++;
        result.status = String(e.status);
        result.response = scimErrorBody(e.status, e.message, e.scimType);
      }
      results.push({ index, result });
    }
    // Answered in request order, whatever order they ran in.
    results.sort((a, b) => a.index - b.index);
    return scimJson(c, { schemas: [BULK_RESPONSE], Operations: results.map((r) => r.result) });
  });
  return app;
}
