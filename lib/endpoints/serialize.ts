import type { Endpoint, EndpointHealth } from "@/lib/generated/prisma/client";
import { publicConfig } from "./credentials";

export function serializeHealth(h: EndpointHealth | null | undefined) {
  if (!h) return null;
  return { ok: h.ok, latencyMs: h.latencyMs, message: h.message, details: h.details, checkedAt: h.checkedAt.toISOString() };
}

export function serializeEndpoint(ep: Endpoint & { healthChecks?: EndpointHealth[] }) {
  // Every role reads this: header values and URL credentials appear only as "set".
  const { config, urlCredentials } = publicConfig(ep.config as Record<string, unknown> | null);
  return {
    id: ep.id,
    name: ep.name,
    provider: ep.provider,
    config,
    hasSecret: Boolean(ep.secretEncrypted),
    ...(Object.keys(urlCredentials).length ? { urlCredentials } : {}),
    gpu: ep.gpu,
    pricePerHourUsd: ep.pricePerHourUsd === null ? null : Number(ep.pricePerHourUsd),
    disabled: ep.disabled,
    objectInfoFetchedAt: ep.objectInfoFetchedAt?.toISOString() ?? null,
    health: serializeHealth(ep.healthChecks?.[0]),
    createdAt: ep.createdAt.toISOString(),
    updatedAt: ep.updatedAt.toISOString(),
  };
}
