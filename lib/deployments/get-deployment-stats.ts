// A deployment's recent numbers for an agent choosing what to call: runs, success rate, cost per
// succeeded run and end-to-end p50/p95, over the last `days`. One aggregate query on Run (indexed by
// deploymentId, createdAt); the dashboard's analytics (lib/analytics) break these down further.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { findDeployment } from "./get-deployment";
import { GetDeploymentStatsInput, type DeploymentStats } from "./get-deployment-stats.types";

export async function getDeploymentStats({ ctx, input }: VerbArgs<GetDeploymentStatsInput>): Promise<DeploymentStats> {
  requirePermission(ctx.actor, "read");
  const { slug, days } = GetDeploymentStatsInput.parse(input);
  const d = await findDeployment(ctx, slug);
  const since = new Date(Date.now() - days * 86_400_000);
  const [row] = await dbOf(ctx).$queryRaw<
    { runs: bigint; succeeded: bigint; failed: bigint; cost: number | null; p50: number | null; p95: number | null }[]
  >`SELECT count(*) AS runs,
           count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
           count(*) FILTER (WHERE status IN ('failed', 'timed_out')) AS failed,
           (avg("costUsd") FILTER (WHERE status = 'succeeded'))::float8 AS cost,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "finishedAt" - "createdAt") * 1000) FILTER (WHERE status = 'succeeded'))::float8 AS p50,
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "finishedAt" - "createdAt") * 1000) FILTER (WHERE status = 'succeeded'))::float8 AS p95
      FROM "Run" WHERE "deploymentId" = ${d.id} AND "createdAt" >= ${since}`;
  const succeeded = Number(row?.succeeded ?? 0);
  const failed = Number(row?.failed ?? 0);
  const round = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));
  return {
    days,
    runs: Number(row?.runs ?? 0),
    succeeded,
    failed,
    successRate: succeeded + failed ? round(succeeded / (succeeded + failed), 4) : null,
    costPerRunUsd: round(row?.cost, 6),
    p50Ms: round(row?.p50),
    p95Ms: round(row?.p95),
  };
}
