// Analytics at scale (`npm run bench:analytics`): a fresh embedded PostgreSQL seeded with SQL
// (generate_series) with N runs (default 1,000,000) over 30 days, their attempts (5 % retried),
// the hourly rollup built from them with the production histogram function and the same shard
// layout the triggers write, and a health check every 5 minutes per endpoint. Then the compaction
// pass the worker runs (lib/analytics/compact-rollups.ts, timed), and each analytics query the page,
// the forecast and the budget check make, through the verbs, p50/p95 over repeated calls, with
// EXPLAIN ANALYZE of the rollup statements. Target: < 300 ms each.
// Run under the shared lock: flock /work/wt/heavy.lock npm run bench:analytics
import "./lib/common";
import { note, num, parseFlags, pct, report, round, sortNum, freePort, ROOT } from "./lib/common";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const flags = parseFlags();
const RUNS = num(flags, "runs", 1_000_000);
const ITER = num(flags, "iterations", 15);
const DAYS = 30;

async function main() {
  const dataDir = path.join(ROOT, ".data", `bench-analytics-${process.pid}`);
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.FLOWGATE_DATA_DIR = dataDir;
  const { startEmbeddedPostgres } = await import("../lib/db/embedded");
  // Never a port the tests' clusters use (55000 + pid % 5000, tests/setup/global.ts).
  let port = await freePort();
  while (port >= 55000 && port < 60000) port = await freePort();
  // The server's log, kept when the run fails (e.g. who shut the cluster down, and how).
  const pgLog = path.join(ROOT, ".data", `bench-analytics-${process.pid}.pg.log`);
  const cluster = await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), port, persistent: true, onLog: (m) => fs.appendFileSync(pgLog, m) });
  note(`embedded PostgreSQL on port ${port}, data ${dataDir}, log ${pgLog}`);
  let ok = false;
  try {
    const { migrate } = await import("../lib/db/migrate");
    await migrate(cluster.url);
    process.env.DATABASE_URL = cluster.url;
    const c = new pg.Client({ connectionString: cluster.url });
    // Without a listener, the server's goodbye when the cluster stops after a failed statement
    // (57P01) is thrown as an unhandled 'error' event and hides the statement's own error.
    c.on("error", (err) => note(`seed connection: ${err.message}`));
    await c.connect();
    const t0 = Date.now();
    note(`seeding ${RUNS.toLocaleString()} runs over ${DAYS} days`);
    // Run numbers are bigint: the seed's arithmetic (g * 7919) leaves int4 past ~271,000 runs.
    await c.query(`
      INSERT INTO "Workflow" (id, name) VALUES ('wf_b', 'bench');
      INSERT INTO "WorkflowVersion" (id, "workflowId", number, hash, format, source, original, prompt, analysis, "nodeCount") VALUES ('wfv_b', 'wf_b', 1, 'h', 'api', 'bench', '{}', '{}', '{}', 1);
      INSERT INTO "Endpoint" (id, name, provider, config, gpu, "pricePerHourUsd", "createdAt")
        SELECT 'ep_b' || g, 'endpoint ' || g, (ARRAY['runpod','runpod','runcomfy','comfyui','runpod','runcomfy'])[g + 1], '{}', (ARRAY['RTX 4090','A100','A100','L40S','H100','H100'])[g + 1],
               (ARRAY[1.116, 2.736, 4.99, 0.86, 4.176, 7.49])[g + 1], now() - interval '40 days' FROM generate_series(0, 5) g;
      INSERT INTO "Deployment" (id, name, slug, "workflowId", "workflowVersionId", "monthlyBudgetUsd") SELECT 'dep_b' || g, 'deployment ' || g, 'd' || g, 'wf_b', 'wfv_b', CASE WHEN g < 5 THEN 100 END FROM generate_series(0, 9) g;
      INSERT INTO "DeploymentTarget" (id, "deploymentId", "endpointId", priority)
        SELECT 'dt_b' || g || '_' || k, 'dep_b' || g, 'ep_b' || ((g + k * 3) % 6), k FROM generate_series(0, 9) g, generate_series(0, 1) k;
      SET session_replication_role = replica; -- the seed builds the rollup in bulk below instead of row by row
    `);
    await c.query(`
      INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs, "createdAt", "startedAt", "finishedAt", "costUsd", "costColdStartUsd", "costExecutionUsd")
      SELECT 'run_b' || g, 'dep_b' || (g % 10),'wfv_b',
             (CASE WHEN g % 23 = 0 THEN 'failed' WHEN g % 101 = 0 THEN 'canceled' ELSE 'succeeded' END)::"RunStatus", '{}',
             t, t, t + ((2000 + (g * 7919) % 30000) * interval '1 millisecond'), 0, 0, 0
        FROM (SELECT g, now() - ((g::bigint * 2592000000 / $1) * interval '1 millisecond') AS t FROM generate_series(1::bigint, $1) g) s`,
      [RUNS],
    );
    note(`runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // One attempt per run (a second for 5 %: the first failed), on one of the deployment's two endpoints.
    await c.query(`
      INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, status, "createdAt", "startedAt", "finishedAt", "queueMs", "coldStartMs", "executionMs", "billedMs", "pricePerHourUsd", "costUsd", "costColdStartUsd", "costExecutionUsd")
      SELECT 'att_b' || g || '_' || k, r.id, k, e.id, e.provider,
             (CASE WHEN k = 1 AND g % 20 = 0 THEN 'failed' WHEN r.status = 'succeeded' THEN 'succeeded' WHEN r.status = 'canceled' THEN 'canceled' ELSE 'failed' END)::"AttemptStatus",
             r."createdAt", r."createdAt", r."finishedAt", 200 + (g * 31) % 5000, CASE WHEN e.provider = 'comfyui' THEN NULL ELSE (g * 131) % 20000 END, 1500 + (g * 7919) % 20000,
             b.billed, e."pricePerHourUsd", round(b.billed * e."pricePerHourUsd" / 3600000.0, 6),
             CASE WHEN e.provider = 'comfyui' THEN 0 ELSE round(((g * 131) % 20000) * e."pricePerHourUsd" / 3600000.0, 6) END,
             round(b.billed * e."pricePerHourUsd" / 3600000.0, 6) - CASE WHEN e.provider = 'comfyui' THEN 0 ELSE round(((g * 131) % 20000) * e."pricePerHourUsd" / 3600000.0, 6) END
        FROM generate_series(1::bigint, $1) g
        JOIN "Run" r ON r.id = 'run_b' || g
        CROSS JOIN LATERAL generate_series(1, CASE WHEN g % 20 = 0 THEN 2 ELSE 1 END) k
        JOIN "Endpoint" e ON e.id = 'ep_b' || (((g % 10) + ((g / 10 + k) % 2) * 3) % 6)
        CROSS JOIN LATERAL (SELECT CASE WHEN e.provider = 'comfyui' THEN 1500 + (g * 7919) % 20000 ELSE ceil((((g * 131) % 20000) + 1500 + (g * 7919) % 20000) / 1000.0) * 1000 END::int AS billed) b`,
      [RUNS],
    );
    await c.query(`UPDATE "Run" r SET "costUsd" = a.c, "costColdStartUsd" = a.cc, "costExecutionUsd" = a.ce FROM (SELECT "runId", sum("costUsd") c, sum("costColdStartUsd") cc, sum("costExecutionUsd") ce FROM "RunAttempt" GROUP BY 1) a WHERE a."runId" = r.id`);
    note(`attempts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The rollup as the triggers would have left it: attempt costs under the attempt's endpoint,
    // run counts and histograms under the deciding (last) attempt's endpoint, 8 shards by run id.
    await c.query(`
      CREATE AGGREGATE bench_hist(BIGINT) (SFUNC = flowgate_hist_inc, STYPE = INTEGER[], INITCOND = '{}');
      INSERT INTO "AnalyticsHourly" AS t (hour, "deploymentId", "endpointId", provider, shard, attempts, retries, failovers, "costUsd", "costColdStartUsd", "costExecutionUsd", "wastedCostUsd", "retryCostUsd", "failoverCostUsd", "billedMs", "busyMs")
      SELECT date_trunc('hour', r."createdAt"), r."deploymentId", a."endpointId", a.provider, abs(hashtext(r.id)) % 8, count(*), 0, count(*) FILTER (WHERE a.number > 1),
             sum(a."costUsd"), sum(a."costColdStartUsd"), sum(a."costExecutionUsd"), coalesce(sum(a."costUsd") FILTER (WHERE a.status <> 'succeeded'), 0), 0,
             coalesce(sum(a."costUsd") FILTER (WHERE a.number > 1), 0), sum(a."billedMs"), sum(a."executionMs")
        FROM "RunAttempt" a JOIN "Run" r ON r.id = a."runId" GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO "AnalyticsHourly" AS t (hour, "deploymentId", "endpointId", provider, shard, runs, succeeded, failed, canceled, "e2eMsSum", "e2eHist", "queueHist", "coldHist", "execHist")
      SELECT date_trunc('hour', r."createdAt"), r."deploymentId", a."endpointId", a.provider, abs(hashtext(r.id)) % 8, count(*),
             count(*) FILTER (WHERE r.status = 'succeeded'), count(*) FILTER (WHERE r.status IN ('failed','timed_out')), count(*) FILTER (WHERE r.status = 'canceled'),
             coalesce(sum((extract(epoch FROM r."finishedAt" - r."createdAt") * 1000)::bigint) FILTER (WHERE r.status = 'succeeded'), 0),
             bench_hist(CASE WHEN r.status = 'succeeded' THEN (extract(epoch FROM r."finishedAt" - r."createdAt") * 1000)::bigint END),
             bench_hist(CASE WHEN r.status = 'succeeded' THEN a."queueMs" END), bench_hist(CASE WHEN r.status = 'succeeded' THEN a."coldStartMs" END), bench_hist(CASE WHEN r.status = 'succeeded' THEN a."executionMs" END)
        FROM "Run" r JOIN LATERAL (SELECT * FROM "RunAttempt" x WHERE x."runId" = r.id ORDER BY number DESC LIMIT 1) a ON true
       GROUP BY 1, 2, 3, 4, 5
      ON CONFLICT (hour, "deploymentId", "endpointId", provider, shard) DO UPDATE SET runs = EXCLUDED.runs, succeeded = EXCLUDED.succeeded, failed = EXCLUDED.failed, canceled = EXCLUDED.canceled,
        "e2eMsSum" = EXCLUDED."e2eMsSum", "e2eHist" = EXCLUDED."e2eHist", "queueHist" = EXCLUDED."queueHist", "coldHist" = EXCLUDED."coldHist", "execHist" = EXCLUDED."execHist";
      INSERT INTO "EndpointHealth" (id, "endpointId", ok, "latencyMs", "checkedAt")
        SELECT 'eh_b' || e || '_' || g, 'ep_b' || e, (g * 37 + e) % 100 <> 0, 40, now() - g * interval '5 minutes' FROM generate_series(0, 5) e, generate_series(1, ${DAYS * 288}) g;
      SET session_replication_role = origin;
      ANALYZE;
    `);
    const seedSeconds = round((Date.now() - t0) / 1000, 1);
    const shardRows = Number((await c.query(`SELECT count(*)::int AS n FROM "AnalyticsHourly"`)).rows[0].n);
    note(`seeded in ${seedSeconds} s: ${shardRows.toLocaleString()} hourly shard rows`);

    // The worker's compaction pass, as it runs it (default cutoff: the current hour − 2 h).
    const { systemCtx } = await import("../lib/context");
    const { compactRollups } = await import("../lib/analytics/compact-rollups");
    const compaction = await compactRollups({ ctx: systemCtx(), input: {} });
    note(`compaction: ${JSON.stringify(compaction)}`);
    // A second pass with nothing to fold: what the worker's periodic pass costs in steady state.
    const idlePass = await compactRollups({ ctx: systemCtx(), input: {} });
    await c.query("ANALYZE");
    const counts = (
      await c.query(`SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "RunAttempt")::int AS attempts, (SELECT count(*) FROM "AnalyticsHourly")::int AS "hourlyShardRows",
        (SELECT count(*) FROM "AnalyticsHourlyCompacted")::int AS "hourlyCompactedRows", (SELECT count(*) FROM "AnalyticsDaily")::int AS "dailyRows", (SELECT count(*) FROM "EndpointHealth")::int AS health`)
    ).rows[0];
    note(`tables after compaction: ${JSON.stringify(counts)}`);
    await c.end();

    const { getSummary } = await import("../lib/analytics/get-summary");
    const { getMatrix } = await import("../lib/analytics/get-matrix");
    const { getForecast } = await import("../lib/analytics/get-forecast");
    const { listBudgetWarnings, assertWithinBudget } = await import("../lib/analytics/budgets");
    const { aggregateSql } = await import("../lib/analytics/rollups");
    const { closeDb, pool } = await import("../lib/db");
    const to = new Date();
    const d = (n: number) => new Date(to.getTime() - n * 86_400_000);
    const ctx = systemCtx();
    const queries: [string, () => Promise<unknown>][] = [
      ["summary by provider, 7 days", () => getSummary({ ctx, input: { from: d(7), to, groupBy: "provider" } })],
      ["summary by provider, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "provider" } })],
      ["spend per day × deployment, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "day", splitBy: "deployment" } })],
      ["runs per day, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "day" } })],
      ["deployment × endpoint, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "deployment", splitBy: "endpoint" } })],
      ["one deployment by day, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "day", deployment: "d3" } })],
      ["decision matrix, 30 days", () => getMatrix({ ctx, input: { from: d(30), to } })],
      ["decision matrix, one deployment, 30 days", () => getMatrix({ ctx, input: { from: d(30), to, deployment: "d3" } })],
      ["runs per hour, 48 hours", () => getSummary({ ctx, input: { from: d(2), to, groupBy: "hour" } })],
      ["runs per hour, 30 days", () => getSummary({ ctx, input: { from: d(30), to, groupBy: "hour" } })],
      ["forecast, all deployments", () => getForecast({ ctx, input: {} })],
      ["budget warnings", () => listBudgetWarnings({ ctx, input: {} })],
      ["budget check (createRun)", () => assertWithinBudget("dep_b1", ctx)],
    ];
    const load = { before: os.loadavg().map((x) => round(x, 2)) };
    const results: Record<string, { p50: number | null; p95: number | null }> = {};
    for (const [name, fn] of queries) {
      await fn(); // warm
      const ms: number[] = [];
      for (let i = 0; i < ITER; i++) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
      const sorted = sortNum(ms);
      results[name] = { p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)) };
      note(`${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms`);
    }
    // Where the time goes: the rollup statements of two 30-day queries, planned and run.
    const plans: Record<string, string> = {};
    for (const [name, dims] of [["spend per day × deployment, 30 days", ["day", "deployment"]], ["deployment × endpoint, 30 days", ["deployment", "endpoint"]]] as const) {
      const { sql, args } = aggregateSql({ from: d(30), to }, [...dims]);
      const plan = (await pool().query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, args)).rows.map((r) => r["QUERY PLAN"] as string);
      plans[name] = plan.join("\n");
      note(`EXPLAIN ANALYZE ${name}:\n${plan.filter((l) => /Scan|Execution Time|Planning Time|Append|Aggregate/.test(l)).join("\n")}`);
    }
    await closeDb();
    ok = true;
    report("analytics", flags, {
      runs: counts.runs,
      attempts: counts.attempts,
      shardRowsBeforeCompaction: shardRows,
      hourlyShardRows: counts.hourlyShardRows,
      hourlyCompactedRows: counts.hourlyCompactedRows,
      dailyRows: counts.dailyRows,
      healthChecks: counts.health,
      seedSeconds,
      compaction,
      idleCompactionMs: idlePass.ms,
      loadAverage: { ...load, after: os.loadavg().map((x) => round(x, 2)) },
      cores: os.cpus().length,
      plans,
      iterations: ITER,
      queries: results,
      targets: Object.entries(results).map(([name, r]) => ({ name, target: "p95 < 300 ms", measured: r.p95, pass: (r.p95 ?? Infinity) < 300 })),
    });
  } finally {
    await cluster.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (ok) fs.rmSync(pgLog, { force: true });
    else note(`the PostgreSQL log is kept: ${pgLog}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
