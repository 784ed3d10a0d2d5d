// Reading the rollup: sums and merged latency histograms grouped by any of time bucket, deployment,
// endpoint and provider, over [from, to) by the run's creation hour. Every analytics verb reads
// through here (`aggregate`, or `rollupSource` for its own SQL), so the page, the API, the matrix,
// budgets and the forecast show the same numbers.
//
// Three tables hold the rollup (migration 20261203110000, lib/analytics/compact-rollups.ts): the
// triggers' 8-shard rows not yet compacted (AnalyticsHourly: the last ~2 h and late increments),
// one row per hour once compacted (AnalyticsHourlyCompacted) and one per UTC day (AnalyticsDaily,
// always the sum of that day's compacted hours). A range reads the whole UTC days inside it from
// AnalyticsDaily, its edge hours from AnalyticsHourlyCompacted, and all of AnalyticsHourly in range;
// these pieces never overlap, and the compaction pass moves rows between tables in one
// transaction, so one statement (one snapshot) over the UNION ALL is exact at any moment.
import type { Ctx } from "@/lib/context";
import { dbOf } from "@/lib/context";
import { addHist, BUCKETS, emptyHist } from "./histogram";

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

const DAY_MS = 86_400_000;
/** The columns every rollup table shares (AnalyticsHourly's without `shard`, the time column apart). */
export const ROLLUP_COLS = ["deploymentId", "endpointId", "provider", ...SUMS, "e2eMsSum", "e2eHist", "queueHist", "coldHist", "execHist"] as const;
const COLS = ROLLUP_COLS.map((c) => `"${c}"`).join(", ");

/**
 * The rollup rows covering the creation hours h with from ≤ h < to, as a FROM item aliased `alias`
 * with the columns of AnalyticsHourly but `shard` (`hour` is the hour, or the day for daily rows).
 * Pushes its parameters onto `args`. `hourly: true` keeps hour resolution (no daily rows).
 */
export function rollupSource(args: unknown[], from: Date, to: Date, opts: { hourly?: boolean; alias?: string } = {}): string {
  const alias = opts.alias ?? "r";
  const p = (v: unknown) => `$${args.push(v)}`;
  const pf = p(from);
  const pt = p(to);
  const parts = [`SELECT hour, ${COLS} FROM "AnalyticsHourly" WHERE hour >= ${pf} AND hour < ${pt}`];
  const d1 = new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS);
  const d2 = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
  if (opts.hourly || d1 >= d2) parts.push(`SELECT hour, ${COLS} FROM "AnalyticsHourlyCompacted" WHERE hour >= ${pf} AND hour < ${pt}`);
  else {
    const p1 = p(d1);
    const p2 = p(d2);
    parts.push(`SELECT day AS hour, ${COLS} FROM "AnalyticsDaily" WHERE day >= ${p1} AND day < ${p2}`);
    parts.push(`SELECT hour, ${COLS} FROM "AnalyticsHourlyCompacted" WHERE (hour >= ${pf} AND hour < ${p1}) OR (hour >= ${p2} AND hour < ${pt})`);
  }
  return `(${parts.join(" UNION ALL ")}) AS ${alias}`;
}

function where(f: RollupFilter) {
  const args: unknown[] = [];
  const conds = [`true`];
  if (f.deploymentId) conds.push(`"deploymentId" = $${args.push(f.deploymentId)}`);
  if (f.endpointId) conds.push(`"endpointId" = $${args.push(f.endpointId)}`);
  if (f.provider) conds.push(`provider = $${args.push(f.provider)}`);
  return { args, sql: conds.join(" AND ") };
}

const HISTS = [
  ["e2e", "e2eHist"],
  ["queue", "queueHist"],
  ["cold", "coldHist"],
  ["exec", "execHist"],
] as const;
/** A merged histogram as one array column: bucket by bucket sums (a plain scan, no unnest). */
const histSql = (col: string) => `ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `coalesce(sum("${col}"[${i + 1}]), 0)`).join(", ")}]::float8[] AS "${col}"`;

/** The one statement `aggregate` runs (exported for the benchmark's EXPLAIN ANALYZE). */
export function aggregateSql(f: RollupFilter, dims: Dim[], opts: { hist?: boolean } = {}): { sql: string; args: unknown[] } {
  const { args, sql } = where(f);
  const source = rollupSource(args, f.from, f.to, { hourly: dims.includes("hour") });
  const keyCols = dims.map((d, i) => `${DIM_SQL[d]} AS k${i}`);
  const groupBy = dims.length ? `GROUP BY ${dims.map((_, i) => `k${i}`).join(", ")}` : "";
  const hist = opts.hist !== false;
  const sel = [...keyCols, ...SUMS.map((c) => `sum("${c}")::float8 AS "${c}"`), ...(hist ? HISTS.map(([, col]) => histSql(col)) : [])].join(", ");
  return { sql: `SELECT ${sel} FROM ${source} WHERE ${sql} ${groupBy}`, args };
}

/** Sums (and, unless `hist: false`, merged histograms) per combination of `dims` (an empty list: one total row). */
export async function aggregate(ctx: Ctx, f: RollupFilter, dims: Dim[], opts: { hist?: boolean } = {}): Promise<RollupRow[]> {
  const { sql, args } = aggregateSql(f, dims, opts);
  const hist = opts.hist !== false;
  const rows = await dbOf(ctx).$queryRawUnsafe<Record<string, unknown>[]>(sql, ...args);
  const out: RollupRow[] = [];
  for (const r of rows) {
    if (r.runs === null && r.attempts === null) continue; // a total over no rows
    const row = { keys: dims.map((_, i) => String(r[`k${i}`] ?? "")) } as unknown as RollupRow;
    for (const c of SUMS) (row as unknown as Record<string, number>)[c] = Number(r[c] ?? 0);
    for (const [name, col] of HISTS) row[name] = hist ? (r[col] as number[]).map(Number) : emptyHist();
    out.push(row);
  }
  return out;
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
