// Runs board benchmark: the list query the board pages with (listRuns, the verb GET /api/v1/runs
// calls, serialization included) over N seeded runs (SQL, one attempt each): p50 / p95 of the first
// page and of deep keyset (cursor) pages, unfiltered and with each filter, and the search by
// provider job id.
//
//   npm run -s bench:runs-board -- [--json] [--runs 100000] [--iterations 30]
import "./lib/common";
import { note, num, parseFlags, pct, report, round, sortNum, startBenchDb, type Target } from "./lib/common";
import pg from "pg";

const flags = parseFlags();
const RUNS = num(flags, "runs", 100_000);
const ITER = num(flags, "iterations", 30);
const PAGE = 50;
const P95_TARGET_MS = 50;

const db = await startBenchDb("runs-board");
try {
  const { systemCtx } = await import("../lib/context");
  const { listRuns } = await import("../lib/runs/list-runs");
  const { closeDb } = await import("../lib/db");
  const q = new pg.Client({ connectionString: db.url });
  await q.connect();

  note(`seeding ${RUNS} runs …`);
  const t0 = Date.now();
  await q.query(`INSERT INTO "Workflow" (id, name, "createdAt") VALUES ('wf_bench', 'bench', now())`);
  await q.query(
    `INSERT INTO "WorkflowVersion" (id, "workflowId", number, hash, format, source, original, prompt, analysis, "nodeCount", "createdAt")
     VALUES ('wfv_bench', 'wf_bench', 1, 'h', 'api', 'upload', '{}', '{}', '{}', 1, now())`,
  );
  for (let e = 0; e < 3; e++) {
    await q.query(`INSERT INTO "Endpoint" (id, name, provider, config, "createdAt", "updatedAt") VALUES ($1, $2, 'comfyui', '{}', now(), now())`, [`ep_bench_${e}`, `bench-${e}`]);
  }
  for (let d = 0; d < 5; d++) {
    await q.query(
      `INSERT INTO "Deployment" (id, name, slug, "workflowId", "workflowVersionId", "createdAt", "updatedAt") VALUES ($1, $2, $2, 'wf_bench', 'wfv_bench', now(), now())`,
      [`dep_bench_${d}`, `bench-${d}`],
    );
  }
  // Time-ordered ids like newId()'s (zero-padded counter), one run every 3 s back from now.
  await q.query(
    `INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs, "costUsd", "createdAt", "startedAt", "finishedAt")
     SELECT 'run_' || lpad(i::text, 10, '0') || substr(md5(i::text), 1, 14),
            'dep_bench_' || (i % 5),
            'wfv_bench',
            (CASE WHEN i % 100 < 85 THEN 'succeeded' WHEN i % 100 < 93 THEN 'failed' WHEN i % 100 < 96 THEN 'canceled' WHEN i % 100 < 98 THEN 'timed_out' WHEN i % 2 = 0 THEN 'queued' ELSE 'running' END)::"RunStatus",
            jsonb_build_object('prompt', 'bench ' || i),
            0.0123,
            now() - ((${RUNS} - i) * interval '3 seconds'),
            now() - ((${RUNS} - i) * interval '3 seconds') + interval '1 second',
            CASE WHEN i % 100 < 98 THEN now() - ((${RUNS} - i) * interval '3 seconds') + interval '5 seconds' END
     FROM generate_series(1, ${RUNS}) i`,
  );
  await q.query(
    `INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, "providerJobId", status, "createdAt", "submittedAt", "startedAt", "finishedAt", "queueMs", "executionMs")
     SELECT 'att_' || lpad(i::text, 10, '0'), 'run_' || lpad(i::text, 10, '0') || substr(md5(i::text), 1, 14), 1,
            'ep_bench_' || (i % 3), 'comfyui', md5('job' || i),
            (CASE WHEN i % 100 < 85 THEN 'succeeded' WHEN i % 100 < 98 THEN 'failed' ELSE 'running' END)::"AttemptStatus",
            now() - ((${RUNS} - i) * interval '3 seconds'), now() - ((${RUNS} - i) * interval '3 seconds'),
            now() - ((${RUNS} - i) * interval '3 seconds') + interval '1 second',
            CASE WHEN i % 100 < 98 THEN now() - ((${RUNS} - i) * interval '3 seconds') + interval '5 seconds' END, 1000, 4000
     FROM generate_series(1, ${RUNS}) i`,
  );
  await q.query(`ANALYZE`);
  const seedMs = Date.now() - t0;
  note(`seeded in ${(seedMs / 1000).toFixed(1)} s`);

  const ctx = systemCtx();
  const idAt = async (offset: number, where = "true") => (await q.query(`SELECT id FROM "Run" WHERE ${where} ORDER BY id DESC OFFSET $1 LIMIT 1`, [offset])).rows[0]?.id as string;
  const deepOffset = Math.floor(RUNS * 0.9);
  const job = (await q.query(`SELECT "providerJobId" FROM "RunAttempt" ORDER BY id OFFSET $1 LIMIT 1`, [Math.floor(RUNS / 3)])).rows[0].providerJobId as string;
  const cases: { name: string; input: Record<string, unknown> }[] = [
    { name: "first page", input: {} },
    { name: "page at 50%", input: { cursor: await idAt(Math.floor(RUNS / 2)) } },
    { name: "page at 90%", input: { cursor: await idAt(deepOffset) } },
    { name: "status=failed, first", input: { status: "failed" } },
    { name: "status=failed, deep", input: { status: "failed", cursor: await idAt(Math.floor(RUNS * 0.08 * 0.9), `status = 'failed'`) } },
    { name: "deployment, first", input: { deployment: "bench-2" } },
    { name: "deployment, deep", input: { deployment: "bench-2", cursor: await idAt(Math.floor(RUNS * 0.2 * 0.9), `"deploymentId" = 'dep_bench_2'`) } },
    { name: "endpoint, first", input: { endpoint: "ep_bench_1" } },
    { name: "live only", input: { live: true } },
    { name: "last hour", input: { since: new Date(Date.now() - 3600_000) } },
    { name: "search provider job id", input: { q: job } },
  ];
  const results: Record<string, { p50: number | null; p95: number | null; items: number }> = {};
  for (const c of cases) {
    let items = 0;
    await listRuns({ ctx, input: { limit: PAGE, ...c.input } }); // warm
    const times: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const s = performance.now();
      const r = await listRuns({ ctx, input: { limit: PAGE, ...c.input } });
      times.push(performance.now() - s);
      items = r.items.length;
    }
    const sorted = sortNum(times);
    results[c.name] = { p50: round(pct(sorted, 50), 1), p95: round(pct(sorted, 95), 1), items };
    note(`${c.name.padEnd(26)} p50 ${results[c.name].p50} ms  p95 ${results[c.name].p95} ms  (${items} items)`);
  }
  await q.end();
  await closeDb();
  const targets: Target[] = Object.entries(results).map(([name, r]) => ({
    name: `${name} p95`,
    target: `< ${P95_TARGET_MS} ms`,
    measured: r.p95,
    pass: r.p95 !== null && r.p95 < P95_TARGET_MS && (name.startsWith("search") ? r.items === 1 : r.items > 0),
  }));
  report("runs-board", flags, { runs: RUNS, pageSize: PAGE, iterations: ITER, seedSeconds: round(seedMs / 1000, 1), results, targets });
} finally {
  await db.stop();
}
