// One HTTP path for every adapter: a timeout on every call, bounded bodies, and the single place
// where transport failures and HTTP statuses become ProviderError classes.
import { AddressRefusedError, OutboundError, outboundFetch, type OutboundOptions, type OutboundResponse, type Purpose } from "@/lib/net";
import { ProviderError } from "./types";

/** A request as adapters make it: lib/net's options, with the purpose defaulting to `endpoint`. */
export type HttpRequest = Pick<OutboundOptions, "method" | "headers" | "body" | "signal" | "maxBytes" | "sameOriginAs" | "redirect"> & {
  /** Per-call timeout; status polls are short calls so this never bounds a long run. */
  timeoutMs?: number;
  /** Short name of the call for messages, e.g. "POST /prompt". */
  what?: string;
  /** Why the call is made, for the address policy (lib/net). Default `endpoint`. */
  purpose?: Purpose;
};

export type HttpResponse = Pick<OutboundResponse, "status" | "headers" | "body" | "url">;

export { DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES } from "@/lib/net";
import { DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES } from "@/lib/net";

function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

function causeCode(e: unknown): string {
  let cur: any = e;
  let deepest = (e as Error)?.message ?? String(e);
  for (let i = 0; i < 5 && cur; i++) {
    if (typeof cur.code === "string" && /^E[A-Z_]+$/.test(cur.code)) return cur.code;
    if (typeof cur.message === "string" && cur.message) deepest = cur.message;
    cur = cur.cause;
  }
  return deepest;
}

export async function httpRequest(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = req.what ?? `${req.method ?? "GET"} ${url}`;
  const limit = req.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    // The only way out: lib/net checks the address each connection goes to (purpose `endpoint`
    // unless told otherwise), re-checks redirects and bounds the body. Its timer is cleared when the
    // call ends, so a worker polling thousands of runs keeps no finished call's timer alive.
    const res = await outboundFetch(url, {
      purpose: req.purpose ?? "endpoint",
      sameOriginAs: req.sameOriginAs,
      method: req.method ?? "GET",
      headers: req.headers,
      body: req.body,
      timeoutMs,
      signal: req.signal,
      maxBytes: limit,
      redirect: req.redirect ?? "follow",
    });
    return { status: res.status, headers: res.headers, body: res.body, url: res.url };
  } catch (e) {
    if (e instanceof AddressRefusedError) {
      throw new ProviderError("final", "url_not_allowed", `${what}: ${e.message}`, { details: e.details, cause: e });
    }
    if (e instanceof OutboundError) {
      if (e.code === "too_large") throw new ProviderError("final", "output_too_large", `${what}: ${e.message.replace(/^\S+: /, "")}`, { details: e.details, cause: e });
      throw new ProviderError("final", e.code, `${what}: ${e.message}`, { details: e.details, cause: e });
    }
    throw transportError(e, url, what, timeoutMs, req.signal);
  }
}

function transportError(e: unknown, url: string, what: string, timeoutMs: number, callerSignal?: AbortSignal): Error {
  if (callerSignal?.aborted) return (callerSignal.reason as Error) ?? (e as Error);
  const name = (e as Error)?.name;
  if (name === "TimeoutError" || (name === "AbortError" && !callerSignal?.aborted)) {
    return new ProviderError("retryable", "timeout", `${what}: ${origin(url)} did not answer within ${Math.round(timeoutMs / 100) / 10} s`, { cause: e });
  }
  return new ProviderError("retryable", "unreachable", `could not reach ${origin(url)} (${causeCode(e)})`, { cause: e });
}

/** Short printable excerpt of a body, for error messages. */
export function excerpt(body: Buffer | string, max = 300): string {
  const text = (typeof body === "string" ? body : body.toString("utf8")).replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body.toString("utf8"));
  } catch {
    throw new ProviderError("retryable", "unexpected_response", `${what}: expected JSON from ${origin(res.url)}, got: ${excerpt(res.body) || "(empty body)"}`, {
      details: { status: res.status },
    });
  }
}

/** Classifies a non-2xx answer. Callers handle the statuses that mean something specific first. */
export function statusError(res: HttpResponse, what: string): ProviderError {
  const text = excerpt(res.body);
  const details = { status: res.status, body: text };
  if (res.status === 401 || res.status === 403) {
    return new ProviderError("final", "auth_rejected", `the provider rejected the key (${what}: HTTP ${res.status})`, { details });
  }
  if (res.status === 413) return new ProviderError("final", "input_too_large", `${what}: the provider refused the request as too large (HTTP 413)`, { details });
  if (res.status === 429) return new ProviderError("retryable", "rate_limited", `${what}: rate limited by the provider (HTTP 429)`, { details });
  if (res.status >= 500) return new ProviderError("retryable", "provider_unavailable", `${what}: the provider answered HTTP ${res.status}${text ? `: ${text}` : ""}`, { details });
  if (res.status === 404) return new ProviderError("final", "not_found", `${what}: HTTP 404 from ${origin(res.url)} — check the endpoint URL / id`, { details });
  return new ProviderError("final", "bad_request", `${what}: HTTP ${res.status}${text ? `: ${text}` : ""}`, { details });
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
