// Memory benchmark: the resident set size of one worker process (`worker/index.ts`) holding N runs in
// flight — submitted to a RunPod sandbox whose queue is stuck, so every run stays in the engine's
// watch loop (lease heartbeat + status poll) — sampled from /proc for a while, beside the idle RSS.
//
//   npm run -s bench:memory -- [--json] [--runs 1000] [--sample-s 20] [--poll-ms 1000]
//   full size: --runs 5000
import "./lib/common";
import {
  benchDeployment, endpointFor, importBenchWorkflow, note, num, parseFlags, pool, report, round, sleep,
  spawnWorker, startBenchDb, startRecordingSandbox, waitAllTerminal, type Target,
} from "./lib/common";
import pg from "pg";

const flags = parseFlags();
const RUNS = num(flags, "runs", 1000);
const SAMPLE_S = num(flags, "sample-s", 20);
const POLL_MS = num(flags, "poll-ms", 1000);
const LIMIT_MB = 300;

const db = await startBenchDb("memory");
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const { systemCtx } = await import("../lib/context");
  const { createRun } = await import("../lib/runs/create-run");
  const { closeDb } = await import("../lib/db");
  cleanups.push(closeDb);
  const q = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanups.push(() => q.end());

  const sb = await startRecordingSandbox("memory-runpod", "runpod", { execMs: 200, workers: 4 } as Record<string, unknown>, 31);
  cleanups.push(() => sb.close());
  const ep = await endpointFor(sb);
  const versionId = await importBenchWorkflow();
  const dep = await benchDeployment(`bench-memory-${process.pid}`, versionId, [ep.id], { timeoutSeconds: 3600, maxAttempts: 3 });

  // Queue slots only hand runs over; the worker drives up to FLOWGATE_WORKER_MAX_RUNS in the background.
  const worker = spawnWorker({ FLOWGATE_WORKER_MAX_RUNS: String(RUNS + 50), FLOWGATE_POLL_MS: String(POLL_MS), FLOWGATE_SWEEP_MS: "5000" }, "worker");
  cleanups.push(() => worker.stop());
  const warm = [];
  for (let i = 0; i < 4; i++) warm.push((await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `warm ${i}` } } } })).runId);
  if ((await waitAllTerminal(q, warm, 120_000)) > 0) throw new Error("warm-up runs did not finish");
  await sleep(2000);
  const idle: number[] = [];
  for (let i = 0; i < 5; i++) {
    idle.push(worker.rssMb() ?? 0);
    await sleep(400);
  }
  const idleMb = Math.max(...idle);

  sb.setFaults({ stuck: true });
  note(`creating ${RUNS} runs (the provider queue is stuck, so they stay in flight)`);
  const ids: string[] = [];
  await pool(Array.from({ length: RUNS }), 8, async (_, i) => void ids.push((await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `memory ${i}` } } } })).runId));
  const inFlight = async () => (await q.query(`SELECT count(*)::int n FROM "Run" WHERE id = ANY($1) AND status IN ('submitted','running')`, [ids])).rows[0].n as number;
  const rampStart = Date.now();
  const until = Date.now() + Math.max(120_000, RUNS * 100);
  let n = 0;
  let peakDuringRamp = 0;
  while (Date.now() < until) {
    n = await inFlight();
    peakDuringRamp = Math.max(peakDuringRamp, worker.rssMb() ?? 0);
    if (n >= RUNS) break;
    await sleep(1000);
  }
  const rampS = (Date.now() - rampStart) / 1000;
  note(`${n}/${RUNS} runs submitted and in flight after ${rampS.toFixed(0)} s; sampling worker RSS for ${SAMPLE_S} s`);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLE_S; i++) {
    samples.push(worker.rssMb() ?? 0);
    await sleep(1000);
  }
  const byStatus = Object.fromEntries(
    (await q.query(`SELECT status::text, count(*)::int n FROM "Run" WHERE id = ANY($1) GROUP BY 1`, [ids])).rows.map((r) => [r.status, r.n]),
  );
  const held = (await q.query(`SELECT count(*)::int n FROM "Run" WHERE id = ANY($1) AND "leaseOwner" IS NOT NULL AND "leaseExpiresAt" > now()`, [ids])).rows[0].n as number;
  const maxMb = Math.max(peakDuringRamp, ...samples);
  const avgMb = samples.reduce((s, x) => s + x, 0) / samples.length;
  const targets: Target[] = [
    { name: `worker RSS with ${RUNS} runs in flight`, target: `< ${LIMIT_MB} MB`, measured: round(maxMb, 0), pass: n >= RUNS && maxMb < LIMIT_MB },
  ];
  report("memory", flags, {
    params: { runs: RUNS, pollMs: POLL_MS, workerMaxRuns: RUNS + 50, provider: "runpod sandbox, queue stuck", db: db.kind },
    inFlight: n,
    byStatus,
    rampS: round(rampS, 0),
    leasesHeld: held,
    idleRssMb: round(idleMb, 0),
    peakRssMb: round(maxMb, 0),
    avgRssMbWhileInFlight: round(avgMb, 0),
    perRunKb: round(((avgMb - idleMb) * 1024) / Math.max(1, n), 1),
    targets,
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db.stop();
}
process.exit(0);
