// The rollup compaction pass (README "Cost and analytics", Rollups), run by the worker every few
// minutes: every AnalyticsHourly shard row of a creation hour before `before` (default: the current
// hour − 2 h) is deleted and added, in the same transaction, to its hour's AnalyticsHourlyCompacted
// row and its UTC day's AnalyticsDaily row. Readers (lib/analytics/rollups.ts) then read ~30 daily
// rows per (deployment, endpoint) for a month instead of 720 × 8 shard rows.
//
// Exact under concurrency, with no watermark to get wrong: the pass moves whatever shard rows exist
// below the cutoff, so an increment that arrives late for an old hour (a run finishing late, a retry
// days later) writes a fresh shard row that the next pass folds; readers add the shard rows to the
// compacted ones over the same hours until then. Shard rows a trigger holds locked are skipped
// (FOR UPDATE SKIP LOCKED: the run engine never waits for this pass) and folded next time; a trigger
// that touches a row the pass has locked waits for it, then its INSERT … ON CONFLICT finds the row
// gone and inserts a new one, so no increment is lost. One pass at a time (a transaction-scoped
// advisory lock; a second worker's pass waits, then finds little or nothing left), so two passes
// never fold into the same rows in different orders.
//
// Derived data only (no state anyone edits), so no audit row: like the sweeper, it changes nothing
// a person or the API decided.
import { db, pool } from "@/lib/db";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { ROLLUP_COLS } from "./rollups";
import { BUCKETS } from "./histogram";
import { CompactRollupsInput, type CompactRollupsOutput } from "./compact-rollups.types";

const LOCK_KEY = 72_707_370; // pg_advisory_xact_lock key of the pass
const VACUUM_AFTER = 5_000;
const HISTS = ["e2eHist", "queueHist", "coldHist", "execHist"];
const KEYS = ["deploymentId", "endpointId", "provider"];
const SUMMED = ROLLUP_COLS.filter((c) => !KEYS.includes(c) && !HISTS.includes(c));
const q = (c: string) => `"${c}"`;
const sumCols = SUMMED.map((c) => `sum(${q(c)}) AS ${q(c)}`).join(", ");
const histSums = HISTS.map((h) => `ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `coalesce(sum(${q(h)}[${i + 1}]), 0)`).join(", ")}]::int[] AS ${q(h)}`).join(", ");
const merge = [...SUMMED.map((c) => `${q(c)} = t.${q(c)} + EXCLUDED.${q(c)}`), ...HISTS.map((h) => `${q(h)} = flowgate_hist_add(t.${q(h)}, EXCLUDED.${q(h)})`)].join(", ");
const keyList = KEYS.map(q).join(", ");
const valueCols = [...SUMMED, ...HISTS].map(q).join(", ");

const FOLD_SQL = `
WITH locked AS (
  SELECT hour, ${keyList}, shard FROM "AnalyticsHourly" WHERE hour < $1 ORDER BY hour LIMIT $2 FOR UPDATE SKIP LOCKED
), moved AS (
  DELETE FROM "AnalyticsHourly" h USING locked l
   WHERE h.hour = l.hour AND h."deploymentId" = l."deploymentId" AND h."endpointId" = l."endpointId" AND h.provider = l.provider AND h.shard = l.shard
  RETURNING h.*
), hours AS (
  SELECT hour, ${keyList}, ${sumCols}, ${histSums} FROM moved GROUP BY hour, ${keyList}
), hour_rows AS (
  INSERT INTO "AnalyticsHourlyCompacted" AS t (hour, ${keyList}, ${valueCols})
  SELECT hour, ${keyList}, ${valueCols} FROM hours
  ON CONFLICT (hour, ${keyList}) DO UPDATE SET ${merge}
  RETURNING 1
), day_rows AS (
  INSERT INTO "AnalyticsDaily" AS t (day, ${keyList}, ${valueCols})
  SELECT date_trunc('day', hour, 'UTC'), ${keyList}, ${sumCols}, ${histSums} FROM hours GROUP BY 1, ${keyList}
  ON CONFLICT (day, ${keyList}) DO UPDATE SET ${merge}
  RETURNING 1
)
SELECT (SELECT count(*) FROM moved)::int AS "shardRows", (SELECT count(*) FROM hour_rows)::int AS "hourRows", (SELECT count(*) FROM day_rows)::int AS "dayRows"`;

export async function compactRollups({ ctx, input }: VerbArgs<CompactRollupsInput>): Promise<CompactRollupsOutput> {
  requirePermission(ctx.actor, "admin");
  const i = CompactRollupsInput.parse(input ?? {});
  const before = i.before ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
  const started = performance.now();
  const out = { before: before.toISOString(), shardRows: 0, hourRows: 0, dayRows: 0, batches: 0, ms: 0 };
  for (let b = 0; b < i.maxBatches; b++) {
    const r = await db().$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${LOCK_KEY})`);
      const [row] = await tx.$queryRawUnsafe<{ shardRows: number; hourRows: number; dayRows: number }[]>(FOLD_SQL, before, i.batchSize);
      return row;
    }, { timeout: 120_000 });
    out.batches++;
    out.shardRows += r.shardRows;
    out.hourRows += r.hourRows;
    out.dayRows += r.dayRows;
    if (r.shardRows < i.batchSize) break;
  }
  // A big pass (the first one over existing data, or after the worker was down) leaves most of the
  // small shard table dead: reclaim it now rather than when autovacuum comes round, so the readers'
  // index scans over AnalyticsHourly do not wade through dead entries. Not in a transaction.
  if (out.shardRows >= VACUUM_AFTER && !ctx.tx) await pool().query(`VACUUM (ANALYZE) "AnalyticsHourly"`);
  out.ms = Math.round(performance.now() - started);
  return out;
}
