// PATCH `path` parsing (RFC 7644 §3.5.2 Figure 7):
//   PATH = attrPath / valuePath [subAttr]      with an optional schema URN prefix
// `urn:…:enterprise:2.0:User:manager`, `name.givenName`, `emails[type eq "work"].value`.
// The URN is split off first (URNs contain ':' and '.'), then the brackets are found with a
// quote-aware scan, and only the bracket contents go to the value-filter parser.
import { badRequest, type AppError } from "../../errors.ts";
import type { AttributeDef } from "../schemas/index.ts";
import { parseValueFilter, type ValueFilter } from "./filter.ts";
import { topOf, type ResourceSchema, type TopAttribute } from "./schema.ts";
import { isForbiddenKey, quote } from "./values.ts";

export const MAX_PATH_LENGTH = 1024;

export type PathTarget =
  /** An attribute, maybe narrowed by a value filter and/or a sub-attribute. */
  | { kind: "attribute"; top: TopAttribute; sub?: AttributeDef; filter?: ValueFilter }
  /** A whole schema: `urn:…:enterprise:2.0:User` (or the core URN, i.e. the resource). */
  | { kind: "schema"; schema: string; extension: boolean };

const invalidPath = (message: string): AppError => badRequest(message, "invalidPath");
const NAME = /^[A-Za-z$][\w$-]*$/;

function checkName(name: string, path: string): void {
  if (isForbiddenKey(name)) throw invalidPath(`Path ${quote(path)} names a forbidden key`);
  if (!NAME.test(name)) throw invalidPath(`Path ${quote(path)} is not a valid attribute path`);
}

/** Index of the `]` closing the `[` at `open`, skipping quoted strings; nested `[` is invalid. */
function closingBracket(s: string, open: number, path: string): number {
  let inString = false;
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[") throw invalidPath(`Path ${quote(path)} has nested brackets`);
    else if (ch === "]") return i;
  }
  throw invalidPath(`Path ${quote(path)} has unbalanced brackets`);
}

export function parsePath(schema: ResourceSchema, path: string): PathTarget {
  if (path.length > MAX_PATH_LENGTH) throw invalidPath(`Path is longer than ${MAX_PATH_LENGTH} characters`);
  const lower = path.toLowerCase();
  const urns = [schema.coreSchema, ...schema.extensionSchemas].sort((a, b) => b.length - a.length);

  const whole = urns.find((u) => u.toLowerCase() === lower);
  if (whole) return { kind: "schema", schema: whole, extension: whole !== schema.coreSchema };

  let prefix = "";
  let rest = path;
  const urn = urns.find((u) => lower.startsWith(`${u.toLowerCase()}:`));
  if (urn) {
    prefix = `${urn}:`;
    rest = path.slice(urn.length + 1);
  } else if (lower.startsWith("urn:")) {
    throw invalidPath(`Path ${quote(path)} names a schema this resource type does not have`);
  }

  let name: string;
  let subName: string | undefined;
  let filterText: string | undefined;
  const open = rest.indexOf("[");
  if (open === -1) {
    if (rest.includes("]")) throw invalidPath(`Path ${quote(path)} has unbalanced brackets`);
    const parts = rest.split(".");
    if (parts.length > 2) throw invalidPath(`Path ${quote(path)} is nested too deeply`);
    [name, subName] = [parts[0]!, parts[1]];
  } else {
    const close = closingBracket(rest, open, path);
    name = rest.slice(0, open);
    filterText = rest.slice(open + 1, close);
    const after = rest.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(".")) throw invalidPath(`Path ${quote(path)} has text after the value filter`);
      subName = after.slice(1);
    }
  }
  checkName(name, path);
  if (subName !== undefined) checkName(subName, path);

  // `schemas` is not an attribute: the server derives it (see README of this module).
  if (!prefix && name.toLowerCase() === "schemas") throw badRequest("schemas is managed by the server", "mutability");

  const resolved = schema.resolve(prefix + name + (subName !== undefined ? `.${subName}` : ""));
  if (!resolved) throw invalidPath(`Path ${quote(path)} does not name a known attribute`);
  const top = topOf(resolved);
  if (filterText === undefined) return { kind: "attribute", top, sub: resolved.sub };
  if (!resolved.attribute.multiValued || !resolved.attribute.subAttributes) {
    throw invalidPath(`Path ${quote(path)} filters ${resolved.attribute.name}, which is not multi-valued`);
  }
  const filter = parseValueFilter(filterText, resolved.attribute);
  return { kind: "attribute", top, sub: resolved.sub, filter };
}
