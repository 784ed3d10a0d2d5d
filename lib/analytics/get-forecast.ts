// Projected month-end spend per deployment at the current rate, and each serving endpoint's measured
// cost per succeeded run for a what-if. Reads only the rollup (this month, and the last 30 days;
// lib/analytics/rollups.ts rollupSource), never the runs.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { rollupSource } from "./rollups";
import { roundUsd } from "@/lib/cost";
import { confidenceOf } from "./get-matrix";
import { deploymentIdOf } from "./names";
import { forecastWindows, project } from "./forecast";
import { GetForecastInput, type GetForecastOutput } from "./get-forecast.types";

type Q = ReturnType<typeof dbOf>;
const spentRows = (q: Q, ids: string[], from: Date, windowFrom: Date, to: Date) => {
  const args: unknown[] = [ids];
  // The month is split at the rate window's start so daily rows never straddle it.
  const before = rollupSource(args, from, windowFrom, { alias: "a" });
  const inWindow = rollupSource(args, windowFrom < from ? from : windowFrom, to, { alias: "b" });
  return q.$queryRawUnsafe<{ deploymentId: string; spent: number; windowSpent: number }[]>(
    `SELECT "deploymentId", sum("costUsd")::float8 AS spent, (sum("costUsd") FILTER (WHERE w))::float8 AS "windowSpent"
       FROM (SELECT "deploymentId", "costUsd", false AS w FROM ${before} UNION ALL SELECT "deploymentId", "costUsd", true FROM ${inWindow}) s
      WHERE "deploymentId" = ANY($1) GROUP BY 1`,
    ...args,
  );
};
const perEndpointRows = (q: Q, ids: string[], from: Date, to: Date) => {
  const args: unknown[] = [ids];
  return q.$queryRawUnsafe<{ deploymentId: string; endpointId: string; cost: number; succeeded: number }[]>(
    `SELECT "deploymentId", "endpointId", sum("costUsd")::float8 AS cost, sum(succeeded)::int AS succeeded
       FROM ${rollupSource(args, from, to)} WHERE "deploymentId" = ANY($1) AND "endpointId" <> '' GROUP BY 1, 2`,
    ...args,
  );
};

export async function getForecast({ ctx, input }: VerbArgs<GetForecastInput>): Promise<GetForecastOutput> {
  requirePermission(ctx.actor, "read");
  const i = GetForecastInput.parse(input ?? {});
  const at = i.at ?? new Date();
  const w = forecastWindows(at);
  const deploymentId = await deploymentIdOf(ctx, i.deployment);
  const q = dbOf(ctx);
  const deps = await q.deployment.findMany({
    where: deploymentId ? { id: deploymentId } : { deletedAt: null },
    select: { id: true, slug: true, name: true, monthlyBudgetUsd: true, targets: { select: { endpointId: true, priority: true } } },
    orderBy: { name: "asc" },
  });
  const ids = deps.map((d) => d.id);
  const [spent, perEndpoint, endpoints] = await Promise.all([
    spentRows(q, ids, w.monthStart, w.rateWindowFrom, at),
    perEndpointRows(q, ids, w.costPerRunFrom, at),
    q.endpoint.findMany({ select: { id: true, name: true, provider: true, gpu: true } }),
  ]);
  const spentOf = new Map(spent.map((r) => [r.deploymentId, r]));
  const epOf = new Map(endpoints.map((e) => [e.id, e]));
  const rows = deps.map((d) => {
    const s = spentOf.get(d.id);
    const budgetUsd = d.monthlyBudgetUsd === null ? null : Number(d.monthlyBudgetUsd);
    const spentUsd = s?.spent ?? 0;
    const rateWindowSpentUsd = s?.windowSpent ?? 0;
    const p = project({ at, monthEnd: w.monthEnd, rateWindowFrom: w.rateWindowFrom, spentUsd, rateWindowSpentUsd, budgetUsd });
    // The deployment's targets (in priority order), then endpoints it ran on that are no longer targets.
    const measured = new Map(perEndpoint.filter((r) => r.deploymentId === d.id).map((r) => [r.endpointId, r]));
    const order = [...[...d.targets].sort((a, b) => a.priority - b.priority).map((t) => t.endpointId)];
    for (const id of measured.keys()) if (!order.includes(id)) order.push(id);
    return {
      deploymentId: d.id,
      slug: d.slug,
      name: d.name,
      spentUsd: roundUsd(spentUsd),
      rateWindowSpentUsd: roundUsd(rateWindowSpentUsd),
      rateUsdPerDay: p.rateUsdPerDay,
      projectedUsd: p.projectedUsd,
      budgetUsd,
      projectedPercent: p.projectedPercent,
      overBudget: p.overBudget,
      endpoints: order.map((id) => {
        const m = measured.get(id);
        const ep = epOf.get(id);
        const succeeded = m?.succeeded ?? 0;
        const costUsd = m?.cost ?? 0;
        return {
          endpointId: id,
          name: ep?.name ?? id,
          provider: ep?.provider ?? "",
          gpu: ep?.gpu ?? null,
          succeeded,
          costUsd: roundUsd(costUsd),
          costPerRunUsd: succeeded ? Math.round((costUsd / succeeded) * 1e8) / 1e8 : null,
          ...confidenceOf(succeeded),
        };
      }),
    };
  });
  return {
    asOf: at.toISOString(),
    month: w.monthStart.toISOString().slice(0, 7),
    monthStart: w.monthStart.toISOString(),
    monthEnd: w.monthEnd.toISOString(),
    daysInMonth: w.daysInMonth,
    remainingDays: Math.round((Math.max(0, w.monthEnd.getTime() - at.getTime()) / 86_400_000) * 1e6) / 1e6,
    rateWindowFrom: w.rateWindowFrom.toISOString(),
    costPerRunFrom: w.costPerRunFrom.toISOString(),
    deployments: rows,
  };
}
