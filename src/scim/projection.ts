// RFC 7644 §3.9 `attributes` / `excludedAttributes`, honouring each attribute's `returned`
// characteristic: `always` is kept whatever is asked, `never` is never sent.
import { resolvePath, resourceTypes, type ResourceTypeName } from "./schemas/index.ts";

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

type Selection = Map<string, Map<string, Set<string> | "all">>; // container key → attribute → sub-attributes

/** The key under which an attribute lives in the document: "" for core/common, the URN for extensions. */
function containerOf(resourceType: ResourceTypeName, schema: string): string {
  return schema === resourceTypes[resourceType].schema.id ? "" : schema;
}

function select(resourceType: ResourceTypeName, paths: string[]): Selection {
  const sel: Selection = new Map();
  const extensions = resourceTypes[resourceType].extensions.map((e) => e.schema);
  for (const path of paths) {
    const ext = extensions.find((s) => s.id.toLowerCase() === path.toLowerCase());
    if (ext) {
      // The extension URN alone selects the whole extension object.
      const m = sel.get(ext.id) ?? new Map();
      for (const a of ext.attributes) m.set(a.name, "all");
      sel.set(ext.id, m);
      continue;
    }
    const resolved = resolvePath(resourceType, path);
    if (!resolved) continue; // unknown names are ignored, as most providers do
    const key = containerOf(resourceType, resolved.schema);
    const m = sel.get(key) ?? new Map();
    const current = m.get(resolved.attribute.name);
    if (!resolved.sub) m.set(resolved.attribute.name, "all");
    else if (current !== "all") m.set(resolved.attribute.name, (current ?? new Set()).add(resolved.sub.name));
    sel.set(key, m);
  }
  return sel;
}

function pick(value: unknown, subs: Set<string> | "all"): unknown {
  if (subs === "all" || value === null || typeof value !== "object") return value;
  const pickOne = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => subs.has(k)));
  return Array.isArray(value) ? value.map((v) => pickOne(v as Record<string, unknown>)) : pickOne(value as Record<string, unknown>);
}

function omit(value: unknown, subs: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  const omitOne = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => !subs.has(k)));
  return Array.isArray(value) ? value.map((v) => omitOne(v as Record<string, unknown>)) : omitOne(value as Record<string, unknown>);
}

const ALWAYS = new Set(["id", "schemas"]);

/** Applies a projection to a full SCIM document (which never holds `returned: never` values). */
export function project(resourceType: ResourceTypeName, doc: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (p.attributes?.length) {
    const sel = select(resourceType, p.attributes);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      if (ALWAYS.has(k)) out[k] = v;
      else if (sel.get("")?.has(k)) out[k] = pick(v, sel.get("")!.get(k)!);
      else if (sel.has(k) && v && typeof v === "object") {
        const inner = Object.fromEntries(Object.entries(v).filter(([a]) => sel.get(k)!.has(a)).map(([a, av]) => [a, pick(av, sel.get(k)!.get(a)!)]));
        if (Object.keys(inner).length) out[k] = inner;
      }
    }
    return out;
  }
  if (p.excludedAttributes?.length) {
    const sel = select(resourceType, p.excludedAttributes);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      const excluded = sel.get("")?.get(k);
      if (ALWAYS.has(k) || excluded === undefined) {
        out[k] = v;
        if (sel.has(k) && v && typeof v === "object") {
          const ex = sel.get(k)!;
          const inner = Object.fromEntries(
            Object.entries(v)
              .filter(([a]) => ex.get(a) !== "all")
              .map(([a, av]) => [a, ex.get(a) instanceof Set ? omit(av, ex.get(a) as Set<string>) : av]),
          );
          if (Object.keys(inner).length) out[k] = inner;
          else delete out[k];
        }
      } else if (excluded !== "all") {
        out[k] = omit(v, excluded);
      }
    }
    return out;
  }
  return doc;
}

/** Whether a projection leaves a top-level core attribute in the response (to skip loading it). */
export function includesAttribute(resourceType: ResourceTypeName, name: string, p: Projection): boolean {
  if (p.attributes?.length) return select(resourceType, p.attributes).get("")?.has(name) ?? false;
  if (p.excludedAttributes?.length) return select(resourceType, p.excludedAttributes).get("")?.get(name) !== "all";
  return true;
}
