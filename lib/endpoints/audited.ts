// What an endpoint's audit rows show of it before/after a change: its settings and where it sends
// requests (origins only). Never its secret, header values or URL credentials.
import { splitUserinfo, URL_KEYS } from "./credentials";

const DEFAULT_BASE: Record<string, string> = { runpod: "https://api.runpod.ai", runcomfy: "https://api.runcomfy.net" };

/** Where each URL of a config sends requests (origin, credentials removed; a provider's default when unset). */
export function destinations(provider: string, config: Record<string, unknown> | null | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of URL_KEYS) {
    const raw = typeof config?.[key] === "string" && config[key] ? String(config[key]) : key === "baseUrl" ? (DEFAULT_BASE[provider] ?? null) : null;
    try {
      out[key] = raw ? new URL(splitUserinfo(raw).url).origin : null;
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

interface EndpointLike {
  name: string;
  provider: string;
  config: unknown;
  gpu: string | null;
  pricePerHourUsd: { toString(): string } | number | null;
  disabled: boolean;
  secretEncrypted?: string | null;
}

export function auditedEndpoint(ep: EndpointLike) {
  return {
    name: ep.name,
    provider: ep.provider,
    gpu: ep.gpu,
    pricePerHourUsd: ep.pricePerHourUsd === null ? null : Number(ep.pricePerHourUsd),
    disabled: ep.disabled,
    destinations: destinations(ep.provider, ep.config as Record<string, unknown> | null),
    hasSecret: Boolean(ep.secretEncrypted),
  };
}

/** Only the fields that differ, as `{before, after}`. */
export function endpointDiff(before: EndpointLike, after: EndpointLike) {
  const b = auditedEndpoint(before) as Record<string, unknown>;
  const a = auditedEndpoint(after) as Record<string, unknown>;
  const keys = Object.keys(b).filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return { before: Object.fromEntries(keys.map((k) => [k, b[k]])), after: Object.fromEntries(keys.map((k) => [k, a[k]])) };
}
