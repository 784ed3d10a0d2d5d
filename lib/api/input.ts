// The input-sanitation layer at the edge of the API: every JSON body, path parameter and query value
// passes through here before any heavy work or database call. What PostgreSQL cannot store (NUL
// characters, lone UTF-16 surrogates), what JavaScript cannot represent (numbers past the safe
// range, infinities) and what would cost unbounded work (bodies too large, nesting too deep) is
// refused with a 4xx and a stable code — never a 500. Limits are listed in README "Security: input limits".
import { ApiError } from "@/lib/errors";

export const LIMITS = {
  /** Any JSON body, unless the route says otherwise. */
  jsonBodyBytes: 1024 * 1024,
  /** Workflow uploads (JSON body or multipart file). */
  workflowUploadBytes: 25 * 1024 * 1024,
  /** Run creation (image inputs travel as base64 inside the JSON body). */
  runBodyBytes: 80 * 1024 * 1024,
  /** Nesting of any JSON body. */
  jsonDepth: 64,
} as const;

// A NUL, or a surrogate half without its partner. `\p{Cs}` with the `u` flag only matches lone halves
// (a well-formed pair is one code point), so the test is one linear regex scan per string.
const BAD_TEXT = /\u0000|\p{Cs}/u;

export function badTextReason(s: string): string | null {
  if (!BAD_TEXT.test(s)) return null;
  return s.includes("\u0000") ? "contains a NUL character (\\u0000)" : "contains a lone UTF-16 surrogate (not valid Unicode)";
}

/** Refuses a string PostgreSQL cannot store (NUL) or that is not valid Unicode (lone surrogate). */
export function checkText(s: string, where: string): void {
  const why = badTextReason(s);
  if (why) throw new ApiError("invalid_text", `${where} ${why}.`, { path: where });
}

export interface JsonCheckOptions {
  maxDepth?: number;
  /** Workflows carry ComfyUI seeds up to 2^64; JSON.parse already rounded them, and ComfyUI takes them as they are. */
  allowUnsafeIntegers?: boolean;
  /** Name of the root in messages ("body", "workflow"). */
  root?: string;
  /** The caller has shown no string can hold a NUL or lone surrogate (see mayHoldBadText). */
  skipText?: boolean;
}

/**
 * Whether JSON text can decode to a string with a NUL or a lone surrogate. In JSON text both can only
 * be written as \u escapes (raw control characters are not allowed in strings, and the body was
 * decoded as strict UTF-8, which has no surrogates), so one scan of the text rules them out.
 */
export function mayHoldBadText(jsonText: string): boolean {
  return /\\u(0000|[dD][89a-fA-F])/.test(jsonText) || jsonText.includes("\u0000") || BAD_TEXT.test(jsonText);
}

function pathOf(parts: (string | number)[]): string {
  let out = "";
  for (const p of parts) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/**
 * Iterative walk (no recursion, so depth cannot overflow the stack) over a parsed JSON value:
 * depth, every string and object key, every number. Throws the first problem as an ApiError, with
 * the path to it. The walk keeps no paths (two flat stacks); only a failure walks again to name it.
 */
export function checkJsonValue(value: unknown, opts: JsonCheckOptions = {}): void {
  const maxDepth = opts.maxDepth ?? LIMITS.jsonDepth;
  const checkStrings = !opts.skipText;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v === "string") {
      if (checkStrings && BAD_TEXT.test(v)) return fail(value, opts);
      continue;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v) || (!opts.allowUnsafeIntegers && Number.isInteger(v) && !Number.isSafeInteger(v))) return fail(value, opts);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) throw new ApiError("json_too_deep", `${opts.root ?? "body"} is nested more than ${maxDepth} levels deep.`, { maxDepth });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
    } else {
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (checkStrings && BAD_TEXT.test(k)) return fail(value, opts);
        values.push((v as Record<string, unknown>)[k]);
        depths.push(depth + 1);
      }
    }
  }
}

/** The slow walk, with paths, once the fast one found something (depth is known to be fine up to there). */
function fail(value: unknown, opts: JsonCheckOptions): never {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [opts.root ?? "body"] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    const where = pathOf(path);
    if (typeof v === "string") {
      const why = opts.skipText ? null : badTextReason(v);
      if (why) throw new ApiError("invalid_text", `${where} ${why}.`, { path: where });
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new ApiError("number_out_of_range", `${where} is not a finite number.`, { path: where });
      if (!opts.allowUnsafeIntegers && Number.isInteger(v) && !Number.isSafeInteger(v)) {
        throw new ApiError("number_out_of_range", `${where} is outside the range of exactly representable integers (±${Number.MAX_SAFE_INTEGER}).`, {
          path: where,
          max: Number.MAX_SAFE_INTEGER,
        });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v).reverse()) {
        const why = opts.skipText ? null : badTextReason(k);
        if (why) throw new ApiError("invalid_text", `A key in ${where} ${why}.`, { path: where });
        stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
      }
    }
  }
  throw new ApiError("bad_request", "The body contains a value that cannot be accepted.");
}

/** Reads at most maxBytes of the body, whatever Content-Length says (or does not say). */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const len = Number(req.headers.get("content-length") ?? 0);
  if (len > maxBytes) throw tooLarge(maxBytes, len);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw new ApiError("bad_request", "The request body could not be read (connection closed?).");
    });
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number, size?: number): ApiError {
  const mb = maxBytes >= 1024 * 1024 ? `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB` : `${maxBytes} bytes`;
  return new ApiError("payload_too_large", size ? `The body is ${size} bytes; the limit is ${mb}.` : `The body is larger than the ${mb} limit.`, {
    maxBytes,
    ...(size ? { size } : {}),
  });
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Parse a JSON body: media type, size (streamed, capped), UTF-8, syntax, then checkJsonValue. */
export async function readJsonBody(req: Request, maxBytes: number = LIMITS.jsonBodyBytes, opts: JsonCheckOptions = {}): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (type && !/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError("unsupported_media_type", `Send JSON with "Content-Type: application/json" (got "${type.slice(0, 100)}").`);
  }
  const bytes = await readBodyBytes(req, maxBytes);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new ApiError("invalid_text", "The request body is not valid UTF-8.");
  }
  if (!text.trim()) throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError("invalid_json", `The request body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  checkJsonValue(value, { ...opts, skipText: opts.skipText ?? !mayHoldBadText(text) });
  return value;
}

// Path parameters, by the name the route folder gives them. Ids are the prefixed ids lib/ids.ts makes
// (or a seeded/legacy id of the same alphabet); anything else cannot exist, so it is a 404 without a query.
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MAX_PG_INT = 2147483647;

/** Checks every path parameter and query value of a request before the handler runs. */
export function checkRouteInput(params: Record<string, unknown>, url: string | URL): void {
  for (const [name, raw] of Object.entries(params ?? {})) {
    if (typeof raw !== "string") continue;
    checkText(raw, `Path parameter "${name}"`);
    if (name === "slug") {
      if (!SLUG.test(raw)) throw new ApiError("not_found", `Deployment ${JSON.stringify(raw.slice(0, 100))} does not exist (slugs are lowercase letters, digits and dashes).`);
    } else if (name === "number") {
      if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PG_INT) {
        throw new ApiError("bad_request", `The version number must be a positive integer up to ${MAX_PG_INT} (got ${JSON.stringify(raw.slice(0, 40))}).`);
      }
    } else if (!ID.test(raw)) {
      throw new ApiError("not_found", `No resource has the id ${JSON.stringify(raw.slice(0, 100))}.`, { param: name });
    }
  }
  const u = typeof url === "string" ? new URL(url, "http://localhost") : url;
  for (const [name, value] of u.searchParams) {
    checkText(name, "A query parameter name");
    checkText(value, `Query parameter "${name}"`);
    if (value.length > 2000) throw new ApiError("bad_request", `Query parameter "${name}" is longer than 2000 characters.`);
  }
}
