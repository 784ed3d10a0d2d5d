// Standing capacity: a dedicated ComfyUI server bills every hour, a serverless endpoint with warm
// workers (workersMin > 0) bills them around the clock. Over a period, that capacity minus the
// GPU time runs were charged for (their execution cost on the endpoint) is idle cost; it is
// attributed to the deployments using the endpoint by their share of its busy time (equally among
// its deployments when nothing ran). Prices come from EndpointPrice, so each hour is priced as it was.
import type { Ctx } from "@/lib/context";
import { dbOf } from "@/lib/context";
import { billingOf, capacityCostUsd, roundUsd, type Billing, type PricePeriod } from "@/lib/cost";
import type { RollupRow } from "./rollups";

export interface EndpointCapacity {
  endpointId: string;
  billing: Billing;
  capacityUsd: number;
  capacityHours: number;
  busyUsd: number;
  idleUsd: number;
  /** busy / capacity (null without capacity). */
  utilisation: number | null;
  /** deploymentId → its share of idleUsd */
  idleByDeployment: Record<string, number>;
}

/**
 * Capacity of every endpoint that had any over [from, to). `byDepEndpoint` are rollup rows keyed
 * [deploymentId, endpointId] over the same period (their execution cost and busy time).
 */
export async function endpointCapacity(ctx: Ctx, from: Date, to: Date, byDepEndpoint: RollupRow[], onlyEndpointId?: string | null): Promise<EndpointCapacity[]> {
  const q = dbOf(ctx);
  const endpoints = await q.endpoint.findMany({
    where: { ...(onlyEndpointId ? { id: onlyEndpointId } : {}), createdAt: { lt: to } },
    select: { id: true, provider: true, prices: { where: { effectiveFrom: { lt: to } }, orderBy: { effectiveFrom: "asc" } }, targets: { select: { deploymentId: true } } },
  });
  const out: EndpointCapacity[] = [];
  for (const ep of endpoints) {
    const periods: PricePeriod[] = ep.prices.map((p) => ({ from: p.effectiveFrom, pricePerHourUsd: p.pricePerHourUsd === null ? null : Number(p.pricePerHourUsd), workersMin: p.workersMin }));
    const { capacityUsd, hours } = capacityCostUsd(ep.provider, periods, from, to);
    if (capacityUsd <= 0) continue;
    const rows = byDepEndpoint.filter((r) => r.keys[1] === ep.id);
    const busyUsd = roundUsd(rows.reduce((a, r) => a + r.costExecutionUsd + r.costColdStartUsd, 0));
    const idleUsd = roundUsd(Math.max(0, capacityUsd - busyUsd));
    const busyMs = rows.reduce((a, r) => a + r.busyMs, 0);
    const idleByDeployment: Record<string, number> = {};
    if (busyMs > 0) for (const r of rows) idleByDeployment[r.keys[0]] = roundUsd((idleByDeployment[r.keys[0]] ?? 0) + (idleUsd * r.busyMs) / busyMs);
    else {
      const deps = [...new Set(ep.targets.map((t) => t.deploymentId))];
      for (const d of deps) idleByDeployment[d] = roundUsd(idleUsd / deps.length);
    }
    out.push({ endpointId: ep.id, billing: billingOf(ep.provider), capacityUsd, capacityHours: Math.round(hours * 100) / 100, busyUsd, idleUsd, utilisation: Math.min(1, busyUsd / capacityUsd), idleByDeployment });
  }
  return out;
}
