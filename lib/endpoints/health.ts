// Health checks: ask the provider now, store the result (the on-call board and the run engine's
// target choice read the latest row).
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { getProvider } from "@/lib/providers/registry";
import { toTarget } from "./target";
import type { Endpoint } from "@/lib/generated/prisma/client";
import type { HealthReport } from "@/lib/providers/types";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";

/** An endpoint row as queries return it: without the cached /object_info (see `db()`). */
export type EndpointRow = Omit<Endpoint, "objectInfo">;

export async function checkEndpointHealth(ep: EndpointRow): Promise<HealthReport> {
  const started = Date.now();
  let report: HealthReport;
  try {
    report = await getProvider(ep.provider).health(toTarget(ep));
  } catch (err) {
    report = { ok: false, latencyMs: Date.now() - started, message: err instanceof Error ? err.message : String(err) };
  }
  await db().endpointHealth.create({
    data: {
      id: newId("eph"),
      endpointId: ep.id,
      ok: report.ok,
      latencyMs: Math.round(report.latencyMs),
      message: report.message ?? null,
      details: { queueDepth: report.queueDepth, workers: report.workers, ...report.details } as Prisma.InputJsonValue,
    },
  });
  return report;
}

/** The endpoint's node definitions: cached /object_info, refreshed when older than maxAgeMs or forced. */
export async function endpointObjectInfo(ep: EndpointRow, opts: { refresh?: boolean; maxAgeMs?: number } = {}) {
  const maxAge = opts.maxAgeMs ?? 10 * 60_000;
  const cached = opts.refresh ? null : await cachedObjectInfo(ep.id);
  if (cached && ep.objectInfoFetchedAt && Date.now() - ep.objectInfoFetchedAt.getTime() < maxAge) return cached;
  const provider = getProvider(ep.provider);
  if (!provider.nodeDefinitions) return cached ?? (await cachedObjectInfo(ep.id));
  const info = await provider.nodeDefinitions(toTarget(ep));
  await db().endpoint.update({
    where: { id: ep.id },
    data: { objectInfo: info as Prisma.InputJsonValue, objectInfoFetchedAt: new Date() },
  });
  return info;
}

/** The /object_info stored by the last successful fetch, if any. */
export async function cachedObjectInfo(endpointId: string): Promise<Record<string, unknown> | null> {
  const row = await db().endpoint.findUnique({ where: { id: endpointId }, select: { objectInfo: true } });
  return (row?.objectInfo as Record<string, unknown> | null) ?? null;
}

/** May this actor make Flowgate call an endpoint now (a fresh health check, fresh node definitions)? */
export function mayProbe(actor: Actor): boolean {
  return hasPermission(actor, "endpoints:operate");
}

/**
 * GET /api/v1/endpoints/{id}/health. Operators (oncall, engineer, admin) check now, unless they ask
 * for `fresh=0`; anyone else (a viewer) gets the last stored check: a read has no side effects (no
 * outbound call, no row written). `fresh` in the answer says which one it is.
 */
export async function endpointHealthFor(actor: Actor, id: string, opts: { fresh?: boolean } = {}) {
  const ep = await db().endpoint.findUnique({ where: { id } });
  if (!ep) throw notFound("Endpoint", id);
  const fresh = opts.fresh ?? true;
  if (fresh && mayProbe(actor)) {
    const report = await checkEndpointHealth(ep);
    return { endpointId: ep.id, ...report, checkedAt: new Date().toISOString(), fresh: true };
  }
  const last = await db().endpointHealth.findFirst({ where: { endpointId: ep.id }, orderBy: { checkedAt: "desc" } });
  if (!last) return { endpointId: ep.id, ok: null, latencyMs: null, message: "not checked yet", checkedAt: null, fresh: false };
  const details = (last.details ?? {}) as Record<string, unknown>;
  const { queueDepth, workers, ...rest } = details;
  return {
    endpointId: ep.id,
    ok: last.ok,
    latencyMs: last.latencyMs,
    message: last.message ?? undefined,
    ...(queueDepth !== undefined ? { queueDepth } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(Object.keys(rest).length ? { details: rest } : {}),
    checkedAt: last.checkedAt.toISOString(),
    fresh: false,
  };
}
