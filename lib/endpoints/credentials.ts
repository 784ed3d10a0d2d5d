// Anything credential-like in an endpoint's config is a secret: header values (`Authorization:
// Bearer …`, `X-Api-Key`, …) and URL userinfo (`http://user:pass@host`). They are encrypted at rest
// (AES-256-GCM, lib/crypto/secrets.ts) in the config's `__credentials` field, write-only, and shown
// as "set": the stored config keeps only header names (`{"Authorization": "set"}`) and URLs without
// userinfo. Only the server, when it calls the endpoint, opens them (toTarget).
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { log } from "@/lib/log";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Config keys that hold URLs the server calls (their userinfo is a credential). */
export const URL_KEYS = ["baseUrl", "restartUrl", "managementUrl"] as const;
export const SET = "set";
const FIELD = "__credentials";
const MARKERS = "__credentialUrls";

interface Bundle {
  headers?: Record<string, string>;
  /** config key → "user:password" (as written in the URL, percent-encoded). */
  userinfo?: Record<string, string>;
}

type Config = Record<string, unknown>;

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i;

/** The URL without its userinfo, and the userinfo ("" when none). String form otherwise untouched. */
export function splitUserinfo(raw: string): { url: string; userinfo: string } {
  const m = USERINFO.exec(raw);
  if (!m) return { url: raw, userinfo: "" };
  return { url: raw.replace(USERINFO, "$1"), userinfo: m[2] };
}

function bundleOf(stored: Config | null | undefined): Bundle {
  const sealed = stored?.[FIELD];
  if (typeof sealed !== "string") return {};
  return JSON.parse(decryptSecret(sealed)) as Bundle;
}

/** Header values and userinfo of a stored config as plain data (legacy rows: read from where they were stored in clear). */
function secretsOf(stored: Config | null | undefined): { headers: Record<string, string>; userinfo: Record<string, string> } {
  const b = bundleOf(stored);
  const headers: Record<string, string> = {};
  const legacy = stored?.headers && typeof stored.headers === "object" ? (stored.headers as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(legacy)) if (typeof v === "string" && v !== SET) headers[k] = v;
  Object.assign(headers, b.headers ?? {});
  const userinfo: Record<string, string> = {};
  for (const key of URL_KEYS) {
    const raw = stored?.[key];
    if (typeof raw === "string") {
      const { userinfo: u } = splitUserinfo(raw);
      if (u) userinfo[key] = u;
    }
  }
  Object.assign(userinfo, b.userinfo ?? {});
  return { headers, userinfo };
}

export interface Sealed {
  config: Config;
  /** Secrets carried over from the previous config without being re-entered ("header Authorization", "baseUrl credentials"). */
  kept: string[];
  /** Whether the sealed config holds any secret at all. */
  hasCredentials: boolean;
}

/**
 * A validated config as the API received it → the config to store. Header values and URL userinfo go
 * into the encrypted bundle. On update (`previous`): a header given as "set" keeps its stored value,
 * `headers` left out keeps all stored headers, a URL given exactly as it is shown (no userinfo) keeps
 * its stored userinfo. Everything kept that way is listed in `kept`.
 */
export function sealConfig(input: Config, previous?: Config | null): Sealed {
  const prev = previous ? secretsOf(previous) : { headers: {}, userinfo: {} };
  const kept: string[] = [];
  const out: Config = { ...input };
  delete out[FIELD];
  delete out[MARKERS];
  const bundle: Bundle = {};

  const headers: Record<string, string> = {};
  if (input.headers === undefined) {
    for (const [k, v] of Object.entries(prev.headers)) {
      headers[k] = v;
      kept.push(`header ${k}`);
    }
  } else {
    for (const [k, v] of Object.entries((input.headers ?? {}) as Record<string, string>)) {
      if (v === SET) {
        const old = Object.entries(prev.headers).find(([name]) => name.toLowerCase() === k.toLowerCase());
        if (!old) throw new ApiError("validation_failed", `config.headers.${k} is "set", but no value is stored for it; send the header's value.`, { path: `config.headers.${k}` });
        headers[k] = old[1];
        kept.push(`header ${k}`);
      } else headers[k] = v;
    }
  }
  if (Object.keys(headers).length) {
    bundle.headers = headers;
    out.headers = Object.fromEntries(Object.keys(headers).map((k) => [k, SET]));
  } else delete out.headers;

  const userinfo: Record<string, string> = {};
  for (const key of URL_KEYS) {
    const raw = out[key];
    if (typeof raw !== "string") continue;
    const { url, userinfo: u } = splitUserinfo(raw);
    out[key] = url;
    if (u) userinfo[key] = u;
    else if (prev.userinfo[key] && previous && splitUserinfo(String(previous[key] ?? "")).url === url) {
      userinfo[key] = prev.userinfo[key];
      kept.push(`${key} credentials`);
    }
  }
  if (Object.keys(userinfo).length) {
    bundle.userinfo = userinfo;
    out[MARKERS] = Object.keys(userinfo); // which URLs carry credentials: not secret, lets readers show "set"
  } else delete out[MARKERS];

  const hasCredentials = Boolean(bundle.headers || bundle.userinfo);
  if (hasCredentials) out[FIELD] = encryptSecret(JSON.stringify(bundle));
  return { config: out, kept, hasCredentials };
}

/** The config with its secrets in place, for the adapters (server side only). */
export function openConfig(stored: Config | null | undefined): Config {
  const out: Config = { ...(stored ?? {}) };
  delete out[FIELD];
  delete out[MARKERS];
  const s = secretsOf(stored);
  if (Object.keys(s.headers).length) out.headers = s.headers;
  else delete out.headers;
  for (const [key, u] of Object.entries(s.userinfo)) {
    const raw = out[key];
    if (typeof raw === "string") out[key] = splitUserinfo(raw).url.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, `$1${u}@`);
  }
  return out;
}

/** The config as any reader (viewer included) sees it: header names marked "set", URLs without userinfo. Never decrypts. */
export function publicConfig(stored: Config | null | undefined): { config: Config; urlCredentials: Record<string, typeof SET> } {
  const out: Config = { ...(stored ?? {}) };
  delete out[FIELD];
  if (out.headers && typeof out.headers === "object") out.headers = Object.fromEntries(Object.keys(out.headers as object).map((k) => [k, SET]));
  const urlCredentials: Record<string, typeof SET> = {};
  for (const key of URL_KEYS) {
    const raw = out[key];
    if (typeof raw !== "string") continue;
    const { url, userinfo } = splitUserinfo(raw);
    out[key] = url;
    if (userinfo) urlCredentials[key] = SET;
  }
  for (const key of Array.isArray(stored?.[MARKERS]) ? (stored![MARKERS] as string[]) : []) urlCredentials[key] = SET;
  delete out[MARKERS];
  return { config: out, urlCredentials };
}

/** Does this stored config hold credentials in clear (a row written before they were sealed)? */
export function hasPlainCredentials(stored: Config | null | undefined): boolean {
  if (!stored) return false;
  const h = stored.headers;
  if (h && typeof h === "object" && Object.values(h).some((v) => typeof v === "string" && v !== SET)) return true;
  return URL_KEYS.some((k) => typeof stored[k] === "string" && splitUserinfo(stored[k] as string).userinfo !== "");
}

/**
 * Seals the credentials of endpoints stored before this existed (header values and URL userinfo in
 * clear). Run at start-up after the SQL migrations; readers mask such rows meanwhile, so nothing
 * leaks before it has run. Idempotent. Returns how many rows it rewrote.
 */
export async function sealLegacyEndpointCredentials(): Promise<number> {
  const rows = await db().endpoint.findMany({ select: { id: true, config: true } });
  let n = 0;
  for (const r of rows) {
    const cfg = (r.config ?? {}) as Config;
    if (!hasPlainCredentials(cfg)) continue;
    const sealed = sealConfig(openConfig(cfg));
    await db().endpoint.update({ where: { id: r.id }, data: { config: sealed.config as Prisma.InputJsonValue } });
    n++;
  }
  if (n) log.info("sealed endpoint credentials stored in clear", { endpoints: n });
  return n;
}
