// RFC 7644 §3.4.2.2 filter grammar → AST. Hand-written rather than scim2-parse-filter because
// that library decodes only `\"`, rewrites `emails[type eq "work"].value co "x"` into two
// uncorrelated conditions and overflows the stack on deep nesting.
//
// The parser recurses only on "(", "[" and "not", and counts that depth before each step
// down, so no input can overflow the stack; and/or chains are parsed in loops.
import { badRequest, type AppError } from "../../errors.ts";

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { kind: "and" | "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "present"; path: string }
  | { kind: "compare"; path: string; op: CompareOp; value: FilterValue }
  /** `path[filter]`; paths inside `filter` are sub-attribute names of `path`. */
  | { kind: "valuePath"; path: string; filter: FilterNode };

const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);

export const invalidFilter = (message: string): AppError => badRequest(message, "invalidFilter");

type Token =
  | { t: "(" | ")" | "[" | "]"; pos: number }
  | { t: "word"; v: string; pos: number }
  | { t: "string"; v: string; pos: number }
  | { t: "number"; v: number; pos: number };

const WORD_START = /[A-Za-z_$.]/;
const WORD_CHAR = /[A-Za-z0-9_$:.\-]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// A lone UTF-16 surrogate (from `\uD800`) is not a Unicode string; PostgreSQL can't store it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ t: c, pos: i });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= input.length) throw invalidFilter(`Unterminated string starting at position ${start}`);
        const d = input[i]!;
        if (d === "\\") i += 2;
        else if (d === '"') break;
        else i++;
      }
      i++;
      let value: unknown;
      // The compValue string is a JSON string (RFC 7644 §3.4.2.2 ABNF → RFC 7159), so JSON.parse
      // decodes exactly its escapes (\" \\ \/ \b \f \n \r \t \uXXXX) and rejects everything else.
      try {
        value = JSON.parse(input.slice(start, i));
      } catch {
        throw invalidFilter(`Invalid string literal at position ${start}`);
      }
      if (typeof value !== "string") throw invalidFilter(`Invalid string literal at position ${start}`);
      if (value.includes("\u0000") || LONE_SURROGATE.test(value)) {
        throw invalidFilter(`String literal at position ${start} contains a NUL character or an unpaired surrogate`);
      }
      tokens.push({ t: "string", v: value, pos: start });
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(input);
      const n = m ? Number(m[0]) : NaN;
      if (!m || !Number.isFinite(n) || (i + m[0].length < input.length && WORD_CHAR.test(input[i + m[0].length]!))) {
        throw invalidFilter(`Invalid number at position ${i}`);
      }
      tokens.push({ t: "number", v: n, pos: i });
      i += m[0].length;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < input.length && WORD_CHAR.test(input[i]!)) i++;
      tokens.push({ t: "word", v: input.slice(start, i), pos: start });
    } else {
      throw invalidFilter(`Unexpected character at position ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw invalidFilter("Empty filter");
    const node = this.parseOr(false);
    const rest = this.tokens[this.i];
    if (rest) throw invalidFilter(`Unexpected ${describe(rest)} at position ${rest.pos}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private peekKeyword(word: string): boolean {
    const tok = this.peek();
    return tok?.t === "word" && tok.v.toLowerCase() === word;
  }

  private expect(t: "(" | ")" | "[" | "]"): void {
    const tok = this.peek();
    if (tok?.t !== t) throw invalidFilter(tok ? `Expected "${t}" but found ${describe(tok)} at position ${tok.pos}` : `Expected "${t}" but the filter ended`);
    this.i++;
  }

  private descend<T>(fn: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) throw invalidFilter(`Filter is nested more than ${MAX_FILTER_DEPTH} levels deep`);
    const result = fn();
    this.depth--;
    return result;
  }

  // Precedence (RFC 7644 §3.4.2.2, table 5): not > and > or.
  private parseOr(inValuePath: boolean): FilterNode {
    const children = [this.parseAnd(inValuePath)];
    while (this.peekKeyword("or")) {
      this.i++;
      children.push(this.parseAnd(inValuePath));
    }
    return children.length === 1 ? children[0]! : { kind: "or", children };
  }

  private parseAnd(inValuePath: boolean): FilterNode {
    const children = [this.parseUnary(inValuePath)];
    while (this.peekKeyword("and")) {
      this.i++;
      children.push(this.parseUnary(inValuePath));
    }
    return children.length === 1 ? children[0]! : { kind: "and", children };
  }

  private parseUnary(inValuePath: boolean): FilterNode {
    const tok = this.peek();
    if (!tok) throw invalidFilter("Filter ended where an expression was expected");
    if (tok.t === "word" && tok.v.toLowerCase() === "not" && this.tokens[this.i + 1]?.t === "(") {
      this.i++;
      return this.descend(() => ({ kind: "not", child: this.parseGroup(inValuePath) }));
    }
    if (tok.t === "(") return this.descend(() => this.parseGroup(inValuePath));
    return this.parseAttrExp(inValuePath);
  }

  private parseGroup(inValuePath: boolean): FilterNode {
    this.expect("(");
    const inner = this.parseOr(inValuePath);
    this.expect(")");
    return inner;
  }

  private parseAttrExp(inValuePath: boolean): FilterNode {
    const tok = this.peek()!;
    if (tok.t !== "word") throw invalidFilter(`Expected an attribute path but found ${describe(tok)} at position ${tok.pos}`);
    this.i++;
    const path = tok.v;
    if (this.peek()?.t === "[") {
      if (inValuePath) throw invalidFilter(`Value filters cannot be nested (position ${this.peek()!.pos})`);
      const filter = this.descend(() => {
        this.expect("[");
        const inner = this.parseOr(true);
        this.expect("]");
        return inner;
      });
      // RFC 7644 §3.4.2.2 errata / common practice: `emails[type eq "work"].value co "x"` —
      // both conditions must hold for the SAME element, so the trailing comparison joins the
      // value filter instead of becoming a separate condition on the whole attribute.
      const next = this.peek();
      if (next?.t === "word" && next.v.startsWith(".")) {
        this.i++;
        const sub = next.v.slice(1);
        const tail = this.parseOperator(sub);
        return { kind: "valuePath", path, filter: { kind: "and", children: [filter, tail] } };
      }
      return { kind: "valuePath", path, filter };
    }
    return this.parseOperator(path);
  }

  private parseOperator(path: string): FilterNode {
    const opTok = this.peek();
    if (opTok?.t !== "word") {
      throw invalidFilter(opTok ? `Expected an operator after "${path}" at position ${opTok.pos}` : `Expected an operator after "${path}"`);
    }
    const op = opTok.v.toLowerCase();
    this.i++;
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPS.has(op)) throw invalidFilter(`Unknown operator "${opTok.v}" at position ${opTok.pos}`);
    return { kind: "compare", path, op: op as CompareOp, value: this.parseValue() };
  }

  private parseValue(): FilterValue {
    const tok = this.peek();
    if (!tok) throw invalidFilter("Filter ended where a value was expected");
    this.i++;
    if (tok.t === "string" || tok.t === "number") return tok.v;
    if (tok.t === "word") {
      // ABNF literals are case-insensitive (RFC 5234 §2.3), so `True` is the JSON literal true.
      const w = tok.v.toLowerCase();
      if (w === "true") return true;
      if (w === "false") return false;
      if (w === "null") return null;
    }
    throw invalidFilter(`Expected a value (string, number, true, false or null) but found ${describe(tok)} at position ${tok.pos}`);
  }
}

function describe(tok: Token): string {
  switch (tok.t) {
    case "word":
      return `"${tok.v.length > 40 ? tok.v.slice(0, 40) + "…" : tok.v}"`;
    case "string":
      return "a string";
    case "number":
      return "a number";
    default:
      return `"${tok.t}"`;
  }
}

/** Parses a SCIM filter into an AST. Throws AppError 400 invalidFilter on any malformed input. */
export function parseFilter(filter: string): FilterNode {
  if (typeof filter !== "string") throw invalidFilter("Filter must be a string");
  if (filter.length > MAX_FILTER_LENGTH) throw invalidFilter(`Filter is longer than ${MAX_FILTER_LENGTH} characters`);
  return new Parser(tokenize(filter)).parse();
}
