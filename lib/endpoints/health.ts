// Health checks: ask the provider now, store the result (the on-call board, alerts and the run
// engine's circuits read the latest row). Lag-aware: a check that timed out while Flowgate itself
// was starved is re-checked, and stored as neither up nor down if it stays starved (health-verdict.ts).
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { getProvider } from "@/lib/providers/registry";
import { toTarget } from "./target";
import type { Endpoint } from "@/lib/generated/prisma/client";
import type { HealthReport } from "@/lib/providers/types";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { eventLoopLagMs, eventLoopLagSinceMs } from "@/lib/runs/engine/lag";
import { healthVerdict } from "./health-verdict";

/** An endpoint row as queries return it: without the cached /object_info (see `db()`). */
export type EndpointRow = Omit<Endpoint, "objectInfo">;

/** Since when each endpoint's health verdicts are deferred as inconclusive (this process; cleared by a recorded check). */
const deferredSince = new Map<string, number>();

/** A check's outcome: what the provider said, or `inconclusive` (nothing stored: our own starvation, not the endpoint). */
export type HealthCheckResult = HealthReport & { inconclusive?: true };

async function probe(ep: EndpointRow, timeoutMs: number | undefined): Promise<HealthReport> {
  const started = Date.now();
  try {
    return await getProvider(ep.provider).health(toTarget(ep), timeoutMs ? { timeoutMs } : {});
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Ask the provider now and store the result — unless the check timed out while this process's
 * event loop ran late (health-verdict.ts): then it re-checks with a wider timeout, and if that is
 * just as starved, stores nothing (the last verdict stands) and says `inconclusive`.
 */
export async function checkEndpointHealth(ep: EndpointRow): Promise<HealthCheckResult> {
  eventLoopLagMs(); // measuring from now on (the monitor starts on first use)
  let rechecks = 0;
  let worstLagMs = 0;
  let timeoutMs: number | undefined;
  for (;;) {
    const started = Date.now();
    const report = await probe(ep, timeoutMs);
    const lagMs = Math.round(eventLoopLagSinceMs(started));
    worstLagMs = Math.max(worstLagMs, lagMs);
    const code = typeof report.details?.code === "string" ? report.details.code : undefined;
    const since = deferredSince.get(ep.id);
    const verdict = healthVerdict({ ok: report.ok, code, lagMs, rechecks, deferredMs: since === undefined ? 0 : Date.now() - since });
    if (verdict.kind === "recheck") {
      rechecks++;
      timeoutMs = verdict.timeoutMs;
      await new Promise((r) => setTimeout(r, verdict.pauseMs));
      continue;
    }
    if (verdict.kind === "inconclusive") {
      if (since === undefined) deferredSince.set(ep.id, started);
      log.warn("health check inconclusive: Flowgate itself was starved, not held against the endpoint", { endpointId: ep.id, lagMs, rechecks });
      return {
        ...report,
        inconclusive: true,
        message: `Inconclusive: ${report.message ?? "the check failed"} — but Flowgate's own event loop ran ${worstLagMs} ms late during the check (${rechecks} re-checks), so it is not held against the endpoint; the next check looks again.`,
        details: { ...report.details, lagMs: worstLagMs, rechecks },
      };
    }
    deferredSince.delete(ep.id);
    // What starvation there was (the worst lag of this check and its re-checks), for the record.
    const extra = verdict.starved || rechecks ? { lagMs: worstLagMs, rechecks } : {};
    await db().endpointHealth.create({
      data: {
        id: newId("eph"),
        endpointId: ep.id,
        ok: report.ok,
        latencyMs: Math.round(report.latencyMs),
        message: report.message ?? null,
        details: { queueDepth: report.queueDepth, workers: report.workers, ...report.details, ...extra } as Prisma.InputJsonValue,
      },
    });
    return rechecks || verdict.starved ? { ...report, details: { ...report.details, ...extra } } : report;
  }
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
    const { inconclusive, ...report } = await checkEndpointHealth(ep);
    // Inconclusive: nothing was stored and nothing is known (ok: null, like "not checked yet").
    if (inconclusive) return { endpointId: ep.id, ...report, ok: null, inconclusive: true, checkedAt: new Date().toISOString(), fresh: true };
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
