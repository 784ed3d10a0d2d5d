// Rollup compaction (lib/analytics/compact-rollups.ts): runs and attempts written with SQL and ended
// with UPDATEs, so the production triggers build the 8-shard hourly rows; then the summary, matrix and
// forecast must equal sums over the raw Run/RunAttempt rows, and give the same answers before a
// compaction pass, after it, after runs that finish late write into already-compacted hours, and after
// the next pass folds those — over ranges that do and do not start on a UTC day boundary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool } from "@/lib/db";
import { systemCtx } from "@/lib/context";
import { getSummary } from "@/lib/analytics/get-summary";
import { getMatrix } from "@/lib/analytics/get-matrix";
import { getForecast } from "@/lib/analytics/get-forecast";
import { compactRollups } from "@/lib/analytics/compact-rollups";
import { bucketOf, emptyHist, percentile } from "@/lib/analytics/histogram";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sfx = `${process.pid}_${Date.now().toString(36)}`;
const day0 = Math.floor(Date.now() / DAY) * DAY - 6 * DAY; // midnight UTC, 6 days ago
const base = day0 + 7 * HOUR + 20 * 60_000; // 07:20 on that day
const N = 80;
const ctx = systemCtx();
const deps = [`dep_c0_${sfx}`, `dep_c1_${sfx}`];
const eps = [`ep_c0_${sfx}`, `ep_c1_${sfx}`];
const runId = (i: number) => `run_c${i}_${sfx}`;
const late = (i: number) => i % 4 === 3; // finished only after the first compaction pass

/** Ends run i's attempts (the first of every 5th run fails, then a retry on the other endpoint) and the run. */
async function finish(i: number) {
  const c = await pool().connect();
  try {
    await c.query("BEGIN");
    await c.query(`SELECT 1 FROM "Run" WHERE id = $1 FOR UPDATE`, [runId(i)]);
    const status = i % 13 === 0 ? "failed" : i % 17 === 0 ? "canceled" : "succeeded";
    const attempts = i % 5 === 0 ? 2 : 1;
    for (let k = 1; k <= attempts; k++) {
      const st = k < attempts ? "failed" : status;
      const cost = (((i * 37 + k * 11) % 500) / 10_000 + 0.000123).toFixed(6);
      await c.query(
        `UPDATE "RunAttempt" SET status = $2::"AttemptStatus", "finishedAt" = "createdAt" + interval '20 seconds', "queueMs" = $3, "coldStartMs" = $4, "executionMs" = $5,
                "billedMs" = $6, "costUsd" = $7::numeric, "costColdStartUsd" = round($7::numeric / 4, 6), "costExecutionUsd" = $7::numeric - round($7::numeric / 4, 6) WHERE id = $1`,
        [`att_c${i}_${k}_${sfx}`, st, 100 + ((i * 53) % 4000), (i * 131) % 9000, 1500 + ((i * 7919) % 20000), 1000 * (3 + (i % 20)), cost],
      );
    }
    await c.query(`UPDATE "Run" SET status = $2::"RunStatus", "finishedAt" = "createdAt" + ($3 * interval '1 millisecond') WHERE id = $1`, [runId(i), status, 2000 + ((i * 7919) % 30000)]);
    await c.query("COMMIT");
  } finally {
    c.release();
  }
}

beforeAll(async () => {
  const q = (sql: string, args: unknown[] = []) => pool().query(sql, args);
  await q(`INSERT INTO "Workflow" (id, name) VALUES ($1, $1)`, [`wf_c_${sfx}`]);
  await q(`INSERT INTO "WorkflowVersion" (id, "workflowId", number, hash, format, source, original, prompt, analysis, "nodeCount") VALUES ($1, $2, 1, 'h', 'api', 'test', '{}', '{}', '{}', 1)`, [`wfv_c_${sfx}`, `wf_c_${sfx}`]);
  await q(`INSERT INTO "Endpoint" (id, name, provider, config, gpu, "pricePerHourUsd", "createdAt") VALUES ($1, $1, 'runpod', '{}', 'A100', 2.736, $3), ($2, $2, 'comfyui', '{}', 'L40S', 0.86, $3)`, [eps[0], eps[1], new Date(day0 - 40 * DAY)]);
  for (const d of deps) await q(`INSERT INTO "Deployment" (id, name, slug, "workflowId", "workflowVersionId") VALUES ($1, $1, $1, $2, $3)`, [d, `wf_c_${sfx}`, `wfv_c_${sfx}`]);
  for (let i = 0; i < N; i++) {
    const created = new Date(base + i * 97 * 60_000); // every 97 minutes: ~5.4 days, hours on every shard
    await q(`INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs, "createdAt", "startedAt") VALUES ($1, $2, $3, 'running', '{}', $4, $4)`, [runId(i), deps[i % 2], `wfv_c_${sfx}`, created]);
    for (let k = 1; k <= (i % 5 === 0 ? 2 : 1); k++) {
      const ep = eps[(i + k) % 2];
      await q(
        `INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, status, "createdAt", "startedAt", "pricePerHourUsd") VALUES ($1, $2, $3, $4, $5, 'running', $6, $6, 1)`,
        [`att_c${i}_${k}_${sfx}`, runId(i), k, ep, ep === eps[0] ? "runpod" : "comfyui", new Date(created.getTime() + (k - 1) * 30_000)],
      );
    }
  }
  for (let i = 0; i < N; i++) if (!late(i)) await finish(i);
}, 120_000);

afterAll(async () => {
  await closeDb();
});

/** Sums over the raw rows of runs created in hours h with from ≤ h < to (the rollup's range semantics). */
async function raw(from: Date, to: Date, deploymentId?: string) {
  const inRange = `date_trunc('hour', r."createdAt") >= $1 AND date_trunc('hour', r."createdAt") < $2 AND r."deploymentId" = ANY($3)`;
  const ids = deploymentId ? [deploymentId] : deps;
  const runs = (
    await pool().query(
      `SELECT count(*)::int AS runs, (count(*) FILTER (WHERE status = 'succeeded'))::int AS succeeded, (count(*) FILTER (WHERE status IN ('failed','timed_out')))::int AS failed,
              (count(*) FILTER (WHERE status = 'canceled'))::int AS canceled,
              coalesce(array_agg((extract(epoch FROM "finishedAt" - "createdAt") * 1000)::bigint) FILTER (WHERE status = 'succeeded'), '{}') AS e2e
         FROM "Run" r WHERE ${inRange} AND status IN ('succeeded','failed','canceled','timed_out')`,
      [from, to, ids],
    )
  ).rows[0];
  const att = (
    await pool().query(
      `SELECT count(*)::int AS attempts, coalesce(sum(a."costUsd"), 0)::float8 AS cost, coalesce(sum(a."costColdStartUsd"), 0)::float8 AS cold, coalesce(sum(a."billedMs"), 0)::float8 AS billed
         FROM "RunAttempt" a JOIN "Run" r ON r.id = a."runId" WHERE ${inRange} AND a.status NOT IN ('pending','submitted','running')`,
      [from, to, ids],
    )
  ).rows[0];
  const h = emptyHist();
  for (const ms of runs.e2e as string[]) h[bucketOf(Number(ms))]++;
  return { runs: runs.runs, succeeded: runs.succeeded, failed: runs.failed, canceled: runs.canceled, attempts: att.attempts, cost: att.cost, cold: att.cold, billed: att.billed, p50: percentile(h, 0.5), p95: percentile(h, 0.95) };
}

const ranges: [string, Date, Date][] = [
  ["mid-day to mid-day (not on a day boundary)", new Date(day0 + 9 * HOUR + 30 * 60_000), new Date(day0 + 4 * DAY + 15 * HOUR)],
  ["whole days", new Date(day0), new Date(day0 + 5 * DAY)],
  ["inside one day", new Date(day0 + DAY + 3 * HOUR), new Date(day0 + DAY + 20 * HOUR)],
  ["everything, to now", new Date(day0 - DAY), new Date()],
];
const at = new Date(day0 + 4 * DAY + 10 * HOUR + 17 * 60_000);

/**
 * Every answer the analytics verbs give over these runs, per deployment of this file (other test
 * files share the database and write runs of their own), checked against the raw rows on the way.
 */
async function answers() {
  const out: Record<string, unknown> = {};
  // Parts that do not depend on other files' data: groups and totals, not other endpoints' capacity.
  const stable = (s: Awaited<ReturnType<typeof getSummary>>) => ({ groups: s.groups, total: s.total, coldStartHistogram: s.coldStartHistogram });
  for (const [name, from, to] of ranges) {
    for (const dep of deps) {
      const label = `${name}, ${dep}`;
      const r = await raw(from, to, dep);
      const byDay = await getSummary({ ctx, input: { from, to, groupBy: "day", deployment: dep } });
      const t = byDay.total;
      expect({ runs: t.runs, succeeded: t.succeeded, failed: t.failed, canceled: t.canceled, attempts: t.attempts, p50: t.p50Ms, p95: t.p95Ms }, label).toEqual({
        runs: r.runs, succeeded: r.succeeded, failed: r.failed, canceled: r.canceled, attempts: r.attempts, p50: r.p50, p95: r.p95,
      });
      expect(t.costUsd, label).toBeCloseTo(r.cost, 6);
      expect(t.costByPhase.coldStart, label).toBeCloseTo(r.cold, 6);
      expect(t.billedSeconds, label).toBeCloseTo(r.billed / 1000, 3);
      expect(byDay.groups.reduce((a, g) => a + g.runs, 0), label).toBe(r.runs);
      expect(byDay.groups.reduce((a, g) => a + g.costUsd, 0), label).toBeCloseTo(r.cost, 5);
      const matrix = await getMatrix({ ctx, input: { from, to, deployment: dep } });
      expect(matrix.rows.reduce((a, x) => a + x.runs, 0), label).toBe(r.runs);
      out[label] = {
        byDay: stable(byDay),
        byEndpoint: stable(await getSummary({ ctx, input: { from, to, groupBy: "endpoint", splitBy: "provider", deployment: dep } })),
        byHour: stable(await getSummary({ ctx, input: { from, to, groupBy: "hour", deployment: dep } })),
        byProvider: stable(await getSummary({ ctx, input: { from, to, groupBy: "provider", deployment: dep } })),
        matrix: { rows: matrix.rows, gpuRows: matrix.gpuRows, recommendations: matrix.recommendations },
      };
    }
  }
  const forecast = await getForecast({ ctx, input: { at } });
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  for (const d of deps) {
    const row = forecast.deployments.find((x) => x.deploymentId === d)!;
    expect(row.spentUsd, `forecast ${d}`).toBeCloseTo((await raw(month, at, d)).cost, 5);
  }
  out.forecast = forecast.deployments.filter((x) => deps.includes(x.deploymentId));
  return out;
}

const shardRows = async () => (await pool().query(`SELECT count(*)::int AS n FROM "AnalyticsHourly" WHERE "deploymentId" = ANY($1)`, [deps])).rows[0].n as number;

describe("rollup compaction", () => {
  it("answers the same as the raw runs before and after compaction, with late finishes in between", async () => {
    const before = await answers();
    expect(await shardRows()).toBeGreaterThan(0);

    const pass = await compactRollups({ ctx, input: { before: new Date(Date.now() + HOUR), batchSize: 7 } });
    expect(pass.batches).toBeGreaterThan(1); // small batches: an hour's shards are folded across several transactions
    expect(await shardRows()).toBe(0);
    const compacted = (await pool().query(`SELECT count(*)::int AS n FROM "AnalyticsDaily" WHERE "deploymentId" = ANY($1)`, [deps])).rows[0].n;
    expect(compacted).toBeGreaterThan(0);
    expect(await answers()).toEqual(before);

    // Runs that finish late (and their retries) write into hours already compacted: fresh shard rows.
    for (let i = 0; i < N; i++) if (late(i) && i % 8 === 3) await finish(i);
    expect(await shardRows()).toBeGreaterThan(0);
    // The rest finish while a pass runs in tiny batches: trigger writes and the pass interleave.
    await Promise.all([
      (async () => {
        for (let i = 0; i < N; i++) if (late(i) && i % 8 === 7) await finish(i);
      })(),
      compactRollups({ ctx, input: { before: new Date(Date.now() + HOUR), batchSize: 2, maxBatches: 10_000 } }),
    ]);
    const mixed = await answers(); // compacted + not-yet-folded rows, checked against the raw runs inside
    expect(mixed).not.toEqual(before);

    await compactRollups({ ctx, input: { before: new Date(Date.now() + HOUR) } });
    expect(await shardRows()).toBe(0);
    expect(await answers()).toEqual(mixed);
  });

  it("leaves the recent hours' shards alone by default (the current hour − 2 h)", async () => {
    const dep = deps[0];
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    await pool().query(`INSERT INTO "AnalyticsHourly" (hour, "deploymentId", "endpointId", provider, shard, runs) VALUES ($1, $2, '', '', 3, 1), ($3, $2, '', '', 3, 1)`, [new Date(now - HOUR), dep, new Date(now - 3 * HOUR)]);
    const pass = await compactRollups({ ctx, input: {} });
    const after = Math.floor(Date.now() / HOUR) * HOUR; // the same hour, unless the clock just crossed one
    expect([now - 2 * HOUR, after - 2 * HOUR]).toContain(new Date(pass.before).getTime());
    const left = await pool().query(`SELECT hour FROM "AnalyticsHourly" WHERE "deploymentId" = $1`, [dep]);
    expect(left.rows.map((r) => (r.hour as Date).toISOString())).toEqual([new Date(now - HOUR).toISOString()]);
  });
});
