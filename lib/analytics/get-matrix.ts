// The provider decision matrix (API.md "Analytics" matrix): one row per endpoint and per provider ×
// GPU with cost per 1,000 succeeded runs, latency, cold starts, success rate and uptime, how many
// runs back each number, and per deployment the cheapest endpoint meeting a p95 target.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type Ctx, type VerbArgs } from "@/lib/context";
import { roundUsd } from "@/lib/cost";
import { percentile } from "./histogram";
import { aggregate, mergeRows, type RollupRow } from "./rollups";
import { endpointCapacity } from "./capacity";
import { deploymentIdOf, loadNames } from "./names";
import { GetMatrixInput, type GetMatrixOutput, type MatrixRow } from "./get-matrix.types";

export function confidenceOf(runs: number): { confidence: MatrixRow["confidence"]; confidenceNote: string } {
  const n = `${runs.toLocaleString("en-US")} run${runs === 1 ? "" : "s"}`;
  if (runs === 0) return { confidence: "none", confidenceNote: "no runs in this period" };
  if (runs < 30) return { confidence: "low", confidenceNote: `${n}: low confidence — a hint, not a measurement` };
  if (runs < 300) return { confidence: "medium", confidenceNote: `${n}: medium confidence — p95 still moves with a few slow runs` };
  return { confidence: "high", confidenceNote: `${n}: high confidence` };
}

const secs = (ms: number) => `${(ms / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;
const usd = (v: number) => `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function uptime(ctx: Ctx, from: Date, to: Date) {
  return dbOf(ctx).$queryRawUnsafe<{ day: string; endpointId: string; checks: number; ok: number }[]>(
    `SELECT to_char(date_trunc('day', "checkedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, "endpointId", count(*)::int AS checks, (count(*) FILTER (WHERE ok))::int AS ok
       FROM "EndpointHealth" WHERE "checkedAt" >= $1 AND "checkedAt" < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
    from,
    to,
  );
}

function rowOf(r: RollupRow, extra: { capacityUsd: number }) {
  const finished = r.succeeded + r.failed;
  return {
    runs: r.runs,
    succeeded: r.succeeded,
    successRate: finished ? r.succeeded / finished : null,
    costUsd: roundUsd(r.costUsd),
    costPer1000Usd: r.succeeded ? roundUsd((r.costUsd / r.succeeded) * 1000) : null,
    costPer1000WithCapacityUsd: r.succeeded ? roundUsd(((r.costUsd + extra.capacityUsd) / r.succeeded) * 1000) : null,
    p50Ms: percentile(r.e2e, 0.5),
    p95Ms: percentile(r.e2e, 0.95),
    coldStartP50Ms: percentile(r.cold, 0.5),
    coldStartP95Ms: percentile(r.cold, 0.95),
    ...confidenceOf(r.runs),
  };
}

export async function getMatrix({ ctx, input }: VerbArgs<GetMatrixInput>): Promise<GetMatrixOutput> {
  requirePermission(ctx.actor, "read");
  const i = GetMatrixInput.parse(input);
  const deploymentId = await deploymentIdOf(ctx, i.deployment);
  const filter = { from: i.from, to: i.to, deploymentId, endpointId: i.endpoint, provider: i.provider };
  const [byDepEp, names, health] = await Promise.all([aggregate(ctx, filter, ["deployment", "endpoint"]), loadNames(ctx), uptime(ctx, i.from, i.to)]);
  const capacity = await endpointCapacity(ctx, i.from, i.to, byDepEp, i.endpoint);
  const idleOf = (endpointId: string, dep?: string) => {
    const c = capacity.find((x) => x.endpointId === endpointId);
    if (!c) return 0;
    return Object.entries(c.idleByDeployment).filter(([d]) => (dep ? d === dep : !deploymentId || d === deploymentId)).reduce((a, [, v]) => a + v, 0);
  };
  const checks = new Map<string, { checks: number; ok: number }>();
  for (const h of health) {
    const c = checks.get(h.endpointId) ?? { checks: 0, ok: 0 };
    c.checks += h.checks;
    c.ok += h.ok;
    checks.set(h.endpointId, c);
  }
  const byEndpoint = new Map<string, RollupRow[]>();
  for (const r of byDepEp) if (r.keys[1]) byEndpoint.set(r.keys[1], [...(byEndpoint.get(r.keys[1]) ?? []), r]);
  const merged = [...byEndpoint.entries()].map(([id, rs]) => ({ id, row: mergeRows([id], rs) }));
  const rows: MatrixRow[] = merged
    .map(({ id, row }) => {
      const ep = names.endpoints.get(id);
      const c = checks.get(id);
      return {
        endpointId: id,
        name: ep?.name ?? id,
        provider: ep?.provider ?? "",
        gpu: ep?.gpu ?? null,
        ...rowOf(row, { capacityUsd: idleOf(id) }),
        uptime: c?.checks ? c.ok / c.checks : null,
        healthChecks: c?.checks ?? 0,
      };
    })
    .sort((a, b) => (a.costPer1000Usd ?? Infinity) - (b.costPer1000Usd ?? Infinity));
  // Provider × GPU: endpoints of the same kind merged.
  const kinds = new Map<string, { provider: string; gpu: string | null; ids: string[] }>();
  for (const { id } of merged) {
    const ep = names.endpoints.get(id);
    const k = `${ep?.provider}|${ep?.gpu ?? ""}`;
    const e = kinds.get(k) ?? { provider: ep?.provider ?? "", gpu: ep?.gpu ?? null, ids: [] };
    e.ids.push(id);
    kinds.set(k, e);
  }
  const gpuRows = [...kinds.values()].map((k) => ({
    provider: k.provider,
    gpu: k.gpu,
    endpoints: k.ids.length,
    ...rowOf(mergeRows([], k.ids.flatMap((id) => byEndpoint.get(id) ?? [])), { capacityUsd: k.ids.reduce((a, id) => a + idleOf(id), 0) }),
  }));
  // Per deployment: the cheapest endpoint whose p95 meets the target.
  const deps = [...new Set(byDepEp.map((r) => r.keys[0]))];
  const recommendations = deps.map((dep) => {
    const name = names.deployments.get(dep)?.name ?? dep;
    const candidates = byDepEp
      .filter((r) => r.keys[0] === dep && r.keys[1] && r.succeeded > 0)
      .map((r) => ({ r, id: r.keys[1], p95: percentile(r.e2e, 0.95), per1000: (r.costUsd / r.succeeded) * 1000 }));
    const meeting = candidates.filter((c) => c.p95 !== null && c.p95 <= i.maxP95Ms).sort((a, b) => a.per1000 - b.per1000);
    const target = `p95 ≤ ${secs(i.maxP95Ms)}`;
    if (!candidates.length) return { deploymentId: dep, deployment: name, endpointId: null, text: `${name}: no succeeded runs in this period to compare.` };
    if (!meeting.length) {
      const fastest = [...candidates].sort((a, b) => (a.p95 ?? Infinity) - (b.p95 ?? Infinity))[0];
      return { deploymentId: dep, deployment: name, endpointId: null, text: `${name}: no endpoint meets ${target}; the fastest is ${names.endpoints.get(fastest.id)?.name ?? fastest.id} at p95 ${secs(fastest.p95 ?? 0)}.` };
    }
    const best = meeting[0];
    const ep = names.endpoints.get(best.id);
    const conf = confidenceOf(best.r.runs);
    return {
      deploymentId: dep,
      deployment: name,
      endpointId: best.id,
      text: `${name}: cheapest endpoint meeting ${target}: ${ep?.name ?? best.id} (${ep?.provider ?? "?"}${ep?.gpu ? `, ${ep.gpu}` : ""}) at ${usd(best.per1000)} per 1,000 runs, p95 ${secs(best.p95!)} (${conf.confidenceNote}).`,
    };
  });
  return {
    from: i.from.toISOString(),
    to: i.to.toISOString(),
    maxP95Ms: i.maxP95Ms,
    rows,
    gpuRows,
    recommendations,
    uptimeByDay: i.endpoint ? health.filter((h) => h.endpointId === i.endpoint) : health,
  };
}
