// Spend, reliability and latency over a period, grouped by provider, endpoint, deployment, day or
// hour (optionally split by a second dimension, for stacked charts): API.md "Analytics" summary.
// Reads the hourly rollup only (lib/analytics/rollups.ts), never the runs.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { roundUsd } from "@/lib/cost";
import { histBuckets, percentile, emptyHist, addHist } from "./histogram";
import { aggregate, mergeRows, type Dim, type RollupRow } from "./rollups";
import { endpointCapacity } from "./capacity";
import { deploymentIdOf, labelOf, loadNames } from "./names";
import { GetSummaryInput, type GetSummaryOutput, type SummaryGroup } from "./get-summary.types";

export function groupOf(r: RollupRow, key: string, label: string, capacityCostUsd: number | null): SummaryGroup {
  const finished = r.succeeded + r.failed;
  return {
    key,
    label,
    runs: r.runs,
    succeeded: r.succeeded,
    failed: r.failed,
    canceled: r.canceled,
    successRate: finished ? r.succeeded / finished : null,
    costUsd: roundUsd(r.costUsd),
    costPer1000Usd: r.succeeded ? roundUsd((r.costUsd / r.succeeded) * 1000) : null,
    costByPhase: {
      queue: roundUsd(r.costQueueUsd),
      coldStart: roundUsd(r.costColdStartUsd),
      upload: roundUsd(r.costUploadUsd),
      execution: roundUsd(r.costExecutionUsd),
      download: roundUsd(r.costDownloadUsd),
    },
    capacityCostUsd: capacityCostUsd === null ? null : roundUsd(capacityCostUsd),
    p50Ms: percentile(r.e2e, 0.5),
    p95Ms: percentile(r.e2e, 0.95),
    queueP50Ms: percentile(r.queue, 0.5),
    queueP95Ms: percentile(r.queue, 0.95),
    coldStartP50Ms: percentile(r.cold, 0.5),
    coldStartP95Ms: percentile(r.cold, 0.95),
    executionP50Ms: percentile(r.exec, 0.5),
    executionP95Ms: percentile(r.exec, 0.95),
    attempts: r.attempts,
    retries: r.retries,
    failovers: r.failovers,
    hedges: r.hedges,
    wastedCostUsd: roundUsd(r.wastedCostUsd),
    retryCostUsd: roundUsd(r.retryCostUsd),
    failoverCostUsd: roundUsd(r.failoverCostUsd),
    hedgeCostUsd: roundUsd(r.hedgeCostUsd),
    billedSeconds: Math.round(r.billedMs) / 1000,
  };
}

export async function getSummary({ ctx, input }: VerbArgs<GetSummaryInput>): Promise<GetSummaryOutput> {
  requirePermission(ctx.actor, "read");
  const i = GetSummaryInput.parse(input);
  const deploymentId = await deploymentIdOf(ctx, i.deployment);
  const filter = { from: i.from, to: i.to, deploymentId, endpointId: i.endpoint, provider: i.provider };
  const dims: Dim[] = [i.groupBy, ...(i.splitBy && i.splitBy !== i.groupBy ? [i.splitBy] : [])];
  const [rows, byDepEp, names] = await Promise.all([aggregate(ctx, filter, dims), aggregate(ctx, filter, ["deployment", "endpoint"], { hist: false }), loadNames(ctx)]);
  const capacity = await endpointCapacity(ctx, i.from, i.to, byDepEp, i.endpoint);
  // Idle/warm capacity attributed per group, when groups are things (not time buckets).
  const capOf = (dim: Dim, key: string): number | null => {
    if (dim === "day" || dim === "hour") return null;
    let usd = 0;
    for (const c of capacity) {
      const ep = names.endpoints.get(c.endpointId);
      if (i.provider && ep?.provider !== i.provider) continue;
      for (const [dep, share] of Object.entries(c.idleByDeployment)) {
        if (deploymentId && dep !== deploymentId) continue;
        if (dim === "deployment" ? dep === key : dim === "endpoint" ? c.endpointId === key : ep?.provider === key) usd += share;
      }
    }
    return usd;
  };
  const groups = rows
    .map((r) => {
      const g = groupOf(r, r.keys[0], labelOf(names, i.groupBy, r.keys[0]), dims.length === 1 ? capOf(i.groupBy, r.keys[0]) : null);
      if (dims.length > 1) Object.assign(g, { split: r.keys[1], splitLabel: labelOf(names, dims[1], r.keys[1]) });
      return g;
    })
    .sort((a, b) => (i.groupBy === "day" || i.groupBy === "hour" ? a.key.localeCompare(b.key) : b.costUsd - a.costUsd) || (a.split ?? "").localeCompare(b.split ?? ""));
  const totalRow = mergeRows([], rows);
  const totalCapacity = capacity.reduce((a, c) => a + Object.entries(c.idleByDeployment).filter(([d]) => !deploymentId || d === deploymentId).reduce((s, [, v]) => s + v, 0), 0);
  const cold = addHist(emptyHist(), totalRow.cold);
  return {
    from: i.from.toISOString(),
    to: i.to.toISOString(),
    groupBy: i.groupBy,
    splitBy: dims.length > 1 ? (dims[1] as GetSummaryOutput["splitBy"]) : null,
    groups,
    total: groupOf(totalRow, "total", "Total", totalCapacity),
    capacity: capacity.map((c) => {
      const ep = names.endpoints.get(c.endpointId);
      return { endpointId: c.endpointId, name: ep?.name ?? c.endpointId, provider: ep?.provider ?? "", billing: c.billing, capacityUsd: c.capacityUsd, capacityHours: c.capacityHours, busyUsd: c.busyUsd, idleUsd: c.idleUsd, utilisation: c.utilisation };
    }),
    coldStartHistogram: histBuckets(cold),
  };
}
