// The only way Flowgate makes an outbound request (HTTP and WebSocket). Every connection goes to an
// address the policy (address-policy.ts) allowed for the request's purpose:
// - the host is resolved once, inside the socket's own `lookup`, and the socket connects to exactly
//   the address that was checked (no window between "check" and "connect" for DNS rebinding);
// - address literals are checked before connecting, and the socket's remote address after;
// - redirects are followed by hand, each hop checked again (or refused, per request);
// - bodies are bounded (declared and streamed); every call has a timeout.
// S3 storage (lib/storage) is exempt: its endpoint is operator configuration, not user input.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction, Socket } from "node:net";
import WebSocket from "ws";
import { AddressRefusedError, checkAddress, classifyAddress, privateAllowed, type Purpose } from "./address-policy";

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dns.lookup(hostname, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));

export interface OutboundOptions {
  purpose: Purpose;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** Whole-call timeout (connect, headers, body); default 15 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Refuse bodies larger than this (declared or streamed). Default 32 MiB. */
  maxBytes?: number;
  /** "follow" (default; every hop re-checked), "error" (a redirect is refused), "manual" (returned as is). */
  redirect?: "follow" | "error" | "manual";
  maxRedirects?: number;
  /**
   * Output downloads: URLs on the same origin as this one (the endpoint's configured base URL) get
   * the `endpoint` allowance for private addresses; any other origin only the `output` one.
   */
  sameOriginAs?: string;
  /** Only the status and headers matter (webhook receivers): the body is not read. */
  discardBody?: boolean;
  /** Tests inject a resolver (e.g. one that rebinds); default: the system resolver (getaddrinfo). */
  resolver?: Resolver;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
  /** The address the answering connection went to. */
  address: string | undefined;
}

export type OutboundErrorCode = "url_not_allowed" | "too_large" | "redirect_refused" | "too_many_redirects" | "bad_url";

/** Errors of the outbound layer itself (policy, limits). Transport errors are Node's own (`code` ECONNREFUSED …). */
export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

function originOf(u: string | URL): string | null {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
}

/** The allowance for a URL under a purpose (the endpoint's own origin counts as the endpoint's). */
function allowanceFor(url: URL, purpose: Purpose, sameOriginAs?: string): { purpose: Purpose; allowPrivate?: boolean } {
  if (purpose === "output" && sameOriginAs && originOf(sameOriginAs) === url.origin) {
    return { purpose, allowPrivate: privateAllowed("endpoint") || undefined };
  }
  return { purpose };
}

function refused(url: URL, address: string, purpose: Purpose, allowPrivate?: boolean): AddressRefusedError | null {
  const v = checkAddress(address, purpose, { allowPrivate });
  if (v.ok) return null;
  return new AddressRefusedError(`${url.origin} is refused: ${v.reason}.`, {
    url: url.origin,
    address: v.classification.address,
    category: v.classification.category,
    purpose,
  });
}

/**
 * Parses and checks a URL without connecting: scheme, credentials, and — when the host is an address
 * literal in any spelling — the address. DNS names are checked when connecting (see `pinnedLookup`).
 */
export function parseOutboundUrl(raw: string | URL, purpose: Purpose, opts: { sameOriginAs?: string } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefusedError(`${JSON.stringify(String(raw).slice(0, 200))} is not a valid URL.`, { purpose });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:" && url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new AddressRefusedError(`Only http(s) URLs are allowed (got ${url.protocol}).`, { url: url.origin, purpose });
  }
  const literal = classifyAddress(url.hostname);
  if (literal) {
    const { allowPrivate } = allowanceFor(url, purpose, opts.sameOriginAs);
    const err = refused(url, literal.address, purpose, allowPrivate);
    if (err) throw err;
  }
  return url;
}

/**
 * Resolves a URL's host once and checks every address, without connecting: for early feedback when a
 * URL is saved (an endpoint's base URL, a run's webhook). The connection itself is checked again.
 */
export async function checkOutboundUrl(raw: string | URL, purpose: Purpose, opts: { resolver?: Resolver; sameOriginAs?: string } = {}): Promise<URL> {
  const url = parseOutboundUrl(raw, purpose, opts);
  if (classifyAddress(url.hostname)) return url;
  const { allowPrivate } = allowanceFor(url, purpose, opts.sameOriginAs);
  let addrs: { address: string }[];
  try {
    addrs = await (opts.resolver ?? systemResolver)(url.hostname);
  } catch {
    addrs = [];
  }
  if (!addrs.length) throw new AddressRefusedError(`The host ${url.hostname} could not be resolved.`, { url: url.origin, purpose });
  for (const a of addrs) {
    const err = refused(url, a.address, purpose, allowPrivate);
    if (err) throw err;
  }
  return url;
}

/**
 * A `lookup` for net/tls.connect that resolves once and hands the socket only addresses the policy
 * allows. If any answer is refused the connection is refused: a name that points anywhere private
 * is not trusted to point somewhere public on the next try.
 */
function pinnedLookup(url: URL, purpose: Purpose, allowPrivate: boolean | undefined, resolver: Resolver): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: any, family?: number) => void) => {
    resolver(hostname).then(
      (addrs) => {
        if (!addrs.length) {
          const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          e.code = "ENOTFOUND";
          return callback(e, undefined);
        }
        for (const a of addrs) {
          const err = refused(url, a.address, purpose, allowPrivate);
          if (err) return callback(err as NodeJS.ErrnoException, undefined);
        }
        const wanted = options?.family === 4 || options?.family === 6 ? addrs.filter((a) => a.family === options.family) : addrs;
        const list = (wanted.length ? wanted : addrs).map((a) => ({ address: classifyAddress(a.address)!.address, family: a.family }));
        if (options?.all) callback(null, list);
        else callback(null, list[0].address, list[0].family);
      },
      (err) => callback(err, undefined),
    );
  }) as LookupFunction;
}

// Keep-alive connection pools, one per purpose: a socket opened for one purpose is never reused by a
// request of another (its address was checked against that purpose's allowance only). Output
// downloads and requests with an injected resolver use a fresh connection each.
const pools = new Map<string, http.Agent>();
function agentFor(protocol: string, purpose: Purpose, pooled: boolean): http.Agent | false {
  if (!pooled) return false;
  const key = `${protocol}${purpose}`;
  let a = pools.get(key);
  if (!a) {
    a = protocol === "https:" ? new https.Agent({ keepAlive: true, timeout: 5000 }) : new http.Agent({ keepAlive: true, timeout: 5000 });
    pools.set(key, a);
  }
  return a;
}

function checkSocket(socket: Socket, url: URL, purpose: Purpose, allowPrivate: boolean | undefined): AddressRefusedError | null {
  const remote = socket.remoteAddress;
  return remote ? refused(url, remote, purpose, allowPrivate) : null;
}

async function encodeBody(body: OutboundOptions["body"], headers: Record<string, string>): Promise<Buffer | undefined> {
  if (body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // FormData: let the platform encode it (boundary and all).
  const r = new Response(body);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["content-type"] = r.headers.get("content-type")!;
  return Buffer.from(await r.arrayBuffer());
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that survive a redirect to another origin; everything else (credentials first) is dropped. */
const SAFE_CROSS_ORIGIN = new Set(["accept", "user-agent", "accept-encoding", "accept-language"]);

/**
 * One outbound HTTP request under the address policy. Resolves with the whole (bounded) body; a
 * refused address rejects with AddressRefusedError, a limit with OutboundError, a transport failure
 * with Node's error (its `code`), a timeout with a TimeoutError.
 */
export async function outboundFetch(raw: string | URL, opts: OutboundOptions): Promise<OutboundResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  const onCallerAbort = () => ctl.abort(opts.signal!.reason);
  if (opts.signal?.aborted) onCallerAbort();
  else opts.signal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    let url = parseOutboundUrl(raw, opts.purpose, opts);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new AddressRefusedError(`Only http(s) URLs are allowed (got ${url.protocol}).`, { url: url.origin, purpose: opts.purpose });
    let method = (opts.method ?? "GET").toUpperCase();
    let headers: Record<string, string> = { ...opts.headers };
    let body = await encodeBody(opts.body, headers);
    const first = url.origin;
    for (let hop = 0; ; hop++) {
      const res = await requestOnce(url, method, headers, body, opts, ctl.signal);
      const location = res.headers.get("location");
      if (!REDIRECTS.has(res.status) || !location || opts.redirect === "manual") return res;
      if (opts.redirect === "error") {
        throw new OutboundError("redirect_refused", `${url.origin} answered a redirect (HTTP ${res.status}), which is refused for this request.`, { status: res.status });
      }
      if (hop >= (opts.maxRedirects ?? 5)) throw new OutboundError("too_many_redirects", `${first}: more than ${opts.maxRedirects ?? 5} redirects.`);
      const next = parseOutboundUrl(new URL(location, url), opts.purpose, opts);
      if (next.protocol !== "http:" && next.protocol !== "https:") throw new OutboundError("redirect_refused", `${url.origin} redirected to a ${next.protocol} URL.`);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-/i.test(k)));
      }
      if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => SAFE_CROSS_ORIGIN.has(k.toLowerCase())));
      url = next;
    }
  } catch (e) {
    // The timer's abort reason (TimeoutError) is clearer than the socket's AbortError.
    if (ctl.signal.aborted && !opts.signal?.aborted && (e as Error)?.name === "AbortError") throw ctl.signal.reason;
    throw e;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onCallerAbort);
  }
}

function requestOnce(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, opts: OutboundOptions, signal: AbortSignal): Promise<OutboundResponse> {
  const { purpose, allowPrivate } = allowanceFor(url, opts.purpose, opts.sameOriginAs);
  const limit = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const h: Record<string, string> = { ...headers };
  if (url.username || url.password) {
    if (!Object.keys(h).some((k) => k.toLowerCase() === "authorization")) {
      h.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    }
  }
  if (body) h["content-length"] = String(body.length);
  const lib = url.protocol === "https:" ? https : http;
  const pooled = !opts.resolver && opts.purpose !== "output";
  return new Promise<OutboundResponse>((resolve, reject) => {
    let failed: Error | null = null;
    const req = lib.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers: h,
        signal,
        agent: agentFor(url.protocol, purpose, pooled),
        lookup: pinnedLookup(url, purpose, allowPrivate, opts.resolver ?? systemResolver),
        // Happy-eyeballs would call lookup with `all` and try each answer: fine, every answer was checked.
      },
      (res) => {
        const remote = res.socket?.remoteAddress;
        const headersOf = () => {
          const hs = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) hs.append(k, x);
            else if (v !== undefined) hs.set(k, String(v));
          }
          return hs;
        };
        if (opts.discardBody) {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: headersOf(), body: Buffer.alloc(0), url: url.toString(), address: remote });
        }
        const declared = Number(res.headers["content-length"] ?? NaN);
        if (Number.isFinite(declared) && declared > limit) {
          res.destroy();
          req.destroy();
          return reject(new OutboundError("too_large", `${url.origin}: the response is ${declared} bytes, above the ${limit}-byte limit.`, { limit, declared }));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            failed = new OutboundError("too_large", `${url.origin}: the response exceeds the ${limit}-byte limit.`, { limit });
            res.destroy(failed);
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on("error", (e) => reject(failed ?? e));
        res.on("aborted", () => reject(failed ?? Object.assign(new Error("the response was cut off"), { code: "ECONNRESET" })));
        res.on("end", () => {
          if (failed) return reject(failed);
          resolve({ status: res.statusCode ?? 0, headers: headersOf(), body: Buffer.concat(chunks), url: url.toString(), address: remote });
        });
      },
    );
    req.on("socket", (socket: Socket) => {
      // The address actually connected to, whatever route got there (a literal, a pooled socket).
      const verify = () => {
        const err = checkSocket(socket, url, purpose, allowPrivate);
        if (err) {
          failed = err;
          req.destroy(err);
        }
      };
      if ((socket as any).connecting) socket.once("connect", verify);
      else verify();
    });
    req.on("error", (e) => reject(failed ?? e));
    if (body) req.end(body);
    else req.end();
  });
}

export interface OutboundWebSocketOptions {
  purpose: Purpose;
  headers?: Record<string, string>;
  handshakeTimeout?: number;
  resolver?: Resolver;
}

/** A `ws` client under the same policy (pinned lookup, literal and remote-address checks). Throws AddressRefusedError synchronously for a refused literal. */
export function outboundWebSocket(raw: string, opts: OutboundWebSocketOptions): WebSocket {
  const url = parseOutboundUrl(raw, opts.purpose);
  const ws = new WebSocket(url, {
    headers: opts.headers,
    handshakeTimeout: opts.handshakeTimeout ?? 10_000,
    lookup: pinnedLookup(url, opts.purpose, undefined, opts.resolver ?? systemResolver),
    followRedirects: false,
  } as WebSocket.ClientOptions);
  ws.once("upgrade", (res) => {
    const err = res.socket ? checkSocket(res.socket as Socket, url, opts.purpose, undefined) : null;
    if (err) {
      ws.emit("error", err);
      ws.terminate();
    }
  });
  return ws;
}
