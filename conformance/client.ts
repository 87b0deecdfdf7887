// The conformance runner's only way to reach a server: HTTP through fetch, every exchange recorded
// (without the Authorization header) so a failing case can show what was sent and what came back.

export interface Exchange {
  client: string;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
  durationMs: number;
  error?: string;
}

/** A parsed response. `body` is the JSON value when the body parses, otherwise the raw text. */
export interface ScimResponse {
  status: number;
  headers: Headers;
  // Black-box JSON from an arbitrary server: callers narrow it through assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
  exchange: Exchange;
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent verbatim (e.g. malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Send no Authorization header, or a different token (never recorded). */
  token?: string | null;
}

const SCIM_JSON = "application/scim+json";
const TIMEOUT_MS = 30_000;

export class ScimClient {
  /** Where exchanges of the running case go; the runner swaps it per case. */
  sink: Exchange[] = [];

  constructor(
    readonly label: string,
    private readonly base: string,
    private readonly token: string,
  ) {}

  get(path: string, opts: RequestOptions = {}) { return this.request("GET", path, opts); }
  post(path: string, body: unknown, opts: RequestOptions = {}) { return this.request("POST", path, { ...opts, body }); }
  put(path: string, body: unknown, opts: RequestOptions = {}) { return this.request("PUT", path, { ...opts, body }); }
  patch(path: string, body: unknown, opts: RequestOptions = {}) { return this.request("PATCH", path, { ...opts, body }); }
  delete(path: string, opts: RequestOptions = {}) { return this.request("DELETE", path, opts); }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ScimResponse> {
    const headers: Record<string, string> = { Accept: SCIM_JSON, ...(opts.headers ?? {}) };
    let payload: string | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined && !hasHeader(headers, "content-type")) headers["Content-Type"] = SCIM_JSON;
    const recordedHeaders = { ...headers };
    const token = opts.token === undefined ? this.token : opts.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;

    const started = performance.now();
    const exchange: Exchange = {
      client: this.label, method, path, requestHeaders: recordedHeaders,
      requestBody: opts.rawBody ?? opts.body, status: 0, responseHeaders: {}, durationMs: 0,
    };
    this.sink.push(exchange);
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers, body: payload, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      exchange.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      exchange.durationMs = Math.round(performance.now() - started);
      throw new Error(`${method} ${path}: network error: ${exchange.error}`);
    }
    const text = await res.text();
    let body: unknown = text;
    if (text.length > 0) {
      try { body = JSON.parse(text); } catch { /* keep the text: some cases assert it is not JSON */ }
    } else body = undefined;
    exchange.status = res.status;
    exchange.responseHeaders = Object.fromEntries(res.headers.entries());
    exchange.responseBody = body;
    exchange.durationMs = Math.round(performance.now() - started);
    return { status: res.status, headers: res.headers, body, text, exchange };
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Builds a query string with %20 for spaces (never `+`, which some servers do not decode). */
export function qs(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}
