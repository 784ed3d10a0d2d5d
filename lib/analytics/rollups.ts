// Reading the hourly rollup (AnalyticsHourly): sums and merged latency histograms grouped by any of
// time bucket, deployment, endpoint and provider, over [from, to) by the run's creation hour. Every
// analytics verb reads through here, so the page, the API and the matrix show the same numbers.
import type { Ctx } from "@/lib/context";
import { dbOf } from "@/lib/context";
import { addHist, emptyHist } from "./histogram";

export type Dim = "day" | "hour" | "deployment" | "endpoint" | "provider";
const DIM_SQL: Record<Dim, string> = {
  day: `to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
  hour: `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
  deployment: `"deploymentId"`,
  endpoint: `"endpointId"`,
  provider: `provider`,
};

export interface RollupFilter {
  from: Date;
  to: Date;
  deploymentId?: string | null;
  endpointId?: string | null;
  provider?: string | null;
}

export interface RollupRow {
  keys: string[];
  runs: number;
  succeeded: number;
  failed: number;
  canceled: number;
  attempts: number;
  retries: number;
  failovers: number;
  hedges: number;
  costUsd: number;
  costQueueUsd: number;
  costColdStartUsd: number;
  costUploadUsd: number;
  costExecutionUsd: number;
  costDownloadUsd: number;
  wastedCostUsd: number;
  retryCostUsd: number;
  failoverCostUsd: number;
  hedgeCostUsd: number;
  billedMs: number;
  busyMs: number;
  e2e: number[];
  queue: number[];
  cold: number[];
  exec: number[];
}

const SUMS = [
  "runs", "succeeded", "failed", "canceled", "attempts", "retries", "failovers", "hedges",
  "costUsd", "costQueueUsd", "costColdStartUsd", "costUploadUsd", "costExecutionUsd", "costDownloadUsd",
  "wastedCostUsd", "retryCostUsd", "failoverCostUsd", "hedgeCostUsd", "billedMs", "busyMs",
] as const;

function where(f: RollupFilter) {
  const args: unknown[] = [f.from, f.to];
  const conds = [`hour >= $1`, `hour < $2`];
  if (f.deploymentId) conds.push(`"deploymentId" = $${args.push(f.deploymentId)}`);
  if (f.endpointId) conds.push(`"endpointId" = $${args.push(f.endpointId)}`);
  if (f.provider) conds.push(`provider = $${args.push(f.provider)}`);
  return { args, sql: conds.join(" AND ") };
}

/** Sums and histograms per combination of `dims` (an empty list: one total row). */
export async function aggregate(ctx: Ctx, f: RollupFilter, dims: Dim[]): Promise<RollupRow[]> {
  const { args, sql } = where(f);
  const keyCols = dims.map((d, i) => `${DIM_SQL[d]} AS k${i}`);
  const groupBy = dims.length ? `GROUP BY ${dims.map((_, i) => `k${i}`).join(", ")}` : "";
  const sel = [...keyCols, ...SUMS.map((c) => `sum("${c}")::float8 AS "${c}"`)].join(", ");
  const histKeys = [...dims.map((_, i) => `k${i}`), "n"].join(", ");
  const q = dbOf(ctx);
  const [sums, hists] = await Promise.all([
    q.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${sel} FROM "AnalyticsHourly" WHERE ${sql} ${groupBy}`, ...args),
    // Histograms merged bucket by bucket: only rows with a final run carry them.
    q.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${[...dims.map((_, i) => `k${i}`), "n"].join(", ")}, sum(e)::int AS e, sum(qu)::int AS qu, sum(c)::int AS c, sum(x)::int AS x
         FROM (SELECT ${[...keyCols, `"e2eHist", "queueHist", "coldHist", "execHist"`].join(", ")} FROM "AnalyticsHourly" WHERE ${sql} AND runs > 0) h,
              unnest("e2eHist", "queueHist", "coldHist", "execHist") WITH ORDINALITY AS u(e, qu, c, x, n)
        GROUP BY ${histKeys}`,
      ...args,
    ),
  ]);
  const rows = new Map<string, RollupRow>();
  const keyOf = (r: Record<string, unknown>) => dims.map((_, i) => String(r[`k${i}`] ?? ""));
  for (const r of sums) {
    if (r.runs === null && r.attempts === null) continue; // a total over no rows
    const keys = keyOf(r);
    const row = { keys, e2e: emptyHist(), queue: emptyHist(), cold: emptyHist(), exec: emptyHist() } as unknown as RollupRow;
    for (const c of SUMS) (row as unknown as Record<string, number>)[c] = Number(r[c] ?? 0);
    rows.set(JSON.stringify(keys), row);
  }
  for (const h of hists) {
    const row = rows.get(JSON.stringify(keyOf(h)));
    if (!row) continue;
    const i = Number(h.n) - 1;
    row.e2e[i] += Number(h.e ?? 0);
    row.queue[i] += Number(h.qu ?? 0);
    row.cold[i] += Number(h.c ?? 0);
    row.exec[i] += Number(h.x ?? 0);
  }
  return [...rows.values()];
}

/** Several rows merged into one (e.g. endpoints of one provider × GPU). */
export function mergeRows(keys: string[], rs: RollupRow[]): RollupRow {
  const out = { keys, e2e: emptyHist(), queue: emptyHist(), cold: emptyHist(), exec: emptyHist() } as unknown as RollupRow;
  for (const c of SUMS) (out as unknown as Record<string, number>)[c] = 0;
  for (const r of rs) {
    for (const c of SUMS) (out as unknown as Record<string, number>)[c] += r[c];
    addHist(out.e2e, r.e2e);
    addHist(out.queue, r.queue);
    addHist(out.cold, r.cold);
    addHist(out.exec, r.exec);
  }
  return out;
}
