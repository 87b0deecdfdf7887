// The value filter inside a PATCH path's brackets (RFC 7644 §3.5.2 Figure 7: `valFilter`):
// `emails[type eq "work" and primary eq true]`. Only the bracket contents are parsed here,
// against the sub-attributes of the multi-valued attribute; matching follows each
// sub-attribute's caseExact (RFC 7644 §3.4.2.2), unlike scim2-parse-filter's matcher.
// Errors are 400 invalidFilter: RFC 7644 §3.12 lists it for "PATCH (Path Filter)".
import { badRequest, type AppError } from "../../errors.ts";
import { findAttribute, type AttributeDef } from "../schemas/index.ts";
import { coerceBoolean, isPlainObject, quote, type Obj } from "./values.ts";

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type Literal = string | number | boolean | null;

export type ValueFilter =
  | { op: "and" | "or"; filters: ValueFilter[] }
  | { op: "not"; filter: ValueFilter }
  | { op: "pr"; attr: AttributeDef }
  | { op: CompareOp; attr: AttributeDef; value: Literal };

/** Nesting of parentheses / `not`; deeper input is refused instead of overflowing the stack. */
export const MAX_FILTER_DEPTH = 16;

const COMPARE = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const invalidFilter = (message: string): AppError => badRequest(message, "invalidFilter");

type Token = { kind: "(" | ")" | "string" | "number" | "word"; text: string; value?: Literal };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else if (ch === "(" || ch === ")") {
      out.push({ kind: ch, text: ch });
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw invalidFilter("Unterminated string in value filter");
      const text = src.slice(i, j + 1);
      let value: string;
      try {
        // RFC 7644 §3.4.2.2: string literals are JSON strings, so decode every JSON escape.
        value = JSON.parse(text) as string;
      } catch {
        throw invalidFilter(`Invalid string literal ${quote(text)} in value filter`);
      }
      out.push({ kind: "string", text, value });
      i = j + 1;
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w$])|[A-Za-z$][\w$:.-]*)/.exec(src.slice(i));
      if (!m) throw invalidFilter(`Unexpected character ${quote(ch)} in value filter`);
      const text = m[0];
      out.push(/^-?\d/.test(text) ? { kind: "number", text, value: Number(text) } : { kind: "word", text });
      i += text.length;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly parent: AttributeDef,
  ) {}

  parse(): ValueFilter {
    if (!this.tokens.length) throw invalidFilter("Empty value filter");
    const f = this.or(0);
    const rest = this.tokens[this.i];
    if (rest) throw invalidFilter(`Unexpected ${quote(rest.text)} in value filter`);
    return f;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.i];
    return t?.kind === "word" ? t.text.toLowerCase() : undefined;
  }

  // and/or chains are built as flat lists in a loop: a 500-term `or` never deepens the stack.
  private or(depth: number): ValueFilter {
    const filters = [this.and(depth)];
    while (this.peekWord() === "or") {
      this.i++;
      filters.push(this.and(depth));
    }
    return filters.length === 1 ? filters[0]! : { op: "or", filters };
  }

  private and(depth: number): ValueFilter {
    const filters = [this.unary(depth)];
    while (this.peekWord() === "and") {
      this.i++;
      filters.push(this.unary(depth));
    }
    return filters.length === 1 ? filters[0]! : { op: "and", filters };
  }

  private unary(depth: number): ValueFilter {
    if (depth >= MAX_FILTER_DEPTH) throw invalidFilter("Value filter is nested too deeply");
    const t = this.tokens[this.i];
    if (!t) throw invalidFilter("Value filter ends unexpectedly");
    if (t.kind === "word" && t.text.toLowerCase() === "not") {
      this.i++;
      return { op: "not", filter: this.unary(depth + 1) };
    }
    if (t.kind === "(") {
      this.i++;
      const f = this.or(depth + 1);
      if (this.tokens[this.i]?.kind !== ")") throw invalidFilter("Missing ')' in value filter");
      this.i++;
      return f;
    }
    if (t.kind !== "word") throw invalidFilter(`Expected an attribute name, got ${quote(t.text)}`);
    this.i++;
    return this.attrExp(t.text);
  }

  private attrExp(name: string): ValueFilter {
    const attr = this.subAttribute(name);
    const opTok = this.tokens[this.i++];
    const op = opTok?.kind === "word" ? opTok.text.toLowerCase() : "";
    if (op === "pr") return { op: "pr", attr };
    if (!COMPARE.has(op)) throw invalidFilter(`Unknown operator ${quote(opTok?.text ?? "")} in value filter`);
    const valTok = this.tokens[this.i++];
    if (!valTok) throw invalidFilter("Missing comparison value in value filter");
    return { op: op as CompareOp, attr, value: literalFor(attr, op as CompareOp, valTok) };
  }

  /** `type`, or fully qualified `emails.type`, against the parent's sub-attributes. */
  private subAttribute(name: string): AttributeDef {
    let n = name;
    const prefix = `${this.parent.name.toLowerCase()}.`;
    if (n.toLowerCase().startsWith(prefix)) n = n.slice(prefix.length);
    const sub = findAttribute(this.parent.subAttributes ?? [], n);
    if (!sub) throw invalidFilter(`${quote(name)} is not a sub-attribute of ${this.parent.name}`);
    return sub;
  }
}

function literalFor(attr: AttributeDef, op: CompareOp, tok: Token): Literal {
  let v: Literal;
  if (tok.kind === "string" || tok.kind === "number") v = tok.value!;
  else if (tok.kind === "word" && /^(true|false|null)$/i.test(tok.text)) v = JSON.parse(tok.text.toLowerCase()) as Literal;
  else throw invalidFilter(`Invalid comparison value ${quote(tok.text)} in value filter`);

  // RFC 7644 §3.4.2.2: gt/ge/lt/le on booleans (and binary) are an invalidFilter.
  const ordering = op === "gt" || op === "ge" || op === "lt" || op === "le";
  const substring = op === "co" || op === "sw" || op === "ew";
  if (attr.type === "boolean" && (ordering || substring)) throw invalidFilter(`${op} is not supported on boolean ${attr.name}`);
  if (attr.type === "binary" && ordering) throw invalidFilter(`${op} is not supported on binary ${attr.name}`);
  if (v === null) {
    if (op !== "eq" && op !== "ne") throw invalidFilter(`${op} null is not a valid comparison`);
    return null;
  }
  if (attr.type === "boolean") {
    try {
      return coerceBoolean(v, attr.name);
    } catch {
      throw invalidFilter(`${attr.name} is boolean; ${quote(String(tok.text))} is not`);
    }
  }
  if (attr.type === "integer" || attr.type === "decimal") {
    if (typeof v !== "number" || substring) throw invalidFilter(`${attr.name} needs a numeric comparison`);
    return v;
  }
  if (typeof v !== "string") throw invalidFilter(`${attr.name} is a string; compare it with a quoted value`);
  return v;
}

/** Parses the text between `[` and `]` for a multi-valued complex attribute. */
export function parseValueFilter(text: string, parent: AttributeDef): ValueFilter {
  return new Parser(tokenize(text), parent).parse();
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0) && !(isPlainObject(v) && !Object.keys(v).length);
}

function compare(op: CompareOp, attr: AttributeDef, actual: unknown, expected: Literal): boolean {
  if (expected === null) return op === "eq" ? !present(actual) : present(actual);
  if (actual === undefined || actual === null) return op === "ne";
  if (typeof actual !== typeof expected) return op === "ne";
  let a = actual as string | number | boolean;
  let e = expected;
  if (typeof a === "string" && typeof e === "string") {
    if (attr.type === "dateTime" && (op === "gt" || op === "ge" || op === "lt" || op === "le")) {
      const ta = Date.parse(a);
      const te = Date.parse(e);
      if (!Number.isNaN(ta) && !Number.isNaN(te)) [a, e] = [ta, te];
    } else if (!attr.caseExact) {
      a = a.toLowerCase();
      e = e.toLowerCase();
    }
  }
  switch (op) {
    case "eq":
      return a === e;
    case "ne":
      return a !== e;
    case "co":
      return typeof a === "string" && a.includes(e as string);
    case "sw":
      return typeof a === "string" && a.startsWith(e as string);
    case "ew":
      return typeof a === "string" && a.endsWith(e as string);
    case "gt":
      return a > e;
    case "ge":
      return a >= e;
    case "lt":
      return a < e;
    case "le":
      return a <= e;
  }
}

/** Does one element of the multi-valued attribute match? */
export function matchesFilter(f: ValueFilter, element: unknown): boolean {
  if (!isPlainObject(element)) return false;
  switch (f.op) {
    case "and":
      return f.filters.every((x) => matchesFilter(x, element));
    case "or":
      return f.filters.some((x) => matchesFilter(x, element));
    case "not":
      return !matchesFilter(f.filter, element);
    case "pr":
      return present(element[f.attr.name]);
    default:
      return compare(f.op, f.attr, element[f.attr.name], f.value);
  }
}

/**
 * The element a filter describes, when it is only `eq` terms joined by `and`
 * (`type eq "work" and primary eq true` → {type: "work", primary: true}). Used to create
 * the element when `add`/`replace` on a filtered path matches nothing (Entra). Returns
 * undefined for anything else (or, not, other operators, contradictions).
 */
export function elementFromFilter(f: ValueFilter): Obj | undefined {
  const terms = f.op === "and" ? f.filters : [f];
  const out: Obj = {};
  for (const t of terms) {
    if (t.op !== "eq" || t.value === null) return undefined;
    const name = t.attr.name;
    if (Object.hasOwn(out, name) && out[name] !== t.value) return undefined;
    out[name] = t.value;
  }
  return out;
}

/**
 * Group member ids named by a members filter: `value eq "id"`, or several joined by `or`.
 * Anything else would need the member list loaded, which Roster never does.
 */
export function memberIdsFromFilter(f: ValueFilter): string[] | undefined {
  const terms = f.op === "or" ? f.filters : [f];
  const ids: string[] = [];
  for (const t of terms) {
    if (t.op !== "eq" || t.attr.name !== "value" || typeof t.value !== "string") return undefined;
    if (!ids.includes(t.value)) ids.push(t.value);
  }
  return ids;
}
