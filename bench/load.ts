// Load benchmark: runs accepted per second through createRun (the verb POST /api/v1/runs calls),
// beside the raw PostgreSQL floor for the same transaction measured in the same process; and
// API-to-provider-submit latency (Run.createdAt → RunAttempt.submittedAt) with a zero-latency
// sandbox ComfyUI and one worker process.
//
// The sandbox runs in its own process (`--sandbox-in-process` puts it back beside createRun); the
// burst and paced phases report the CPU share of each process (bench = the createRun callers).
//
//   npm run -s bench:load -- [--json] [--runs 300] [--concurrency 16] [--paced-runs 100] [--rate 10] [--sandbox-in-process]
//   full size: --runs 5000 --paced-runs 1000 --rate 100
import "./lib/common";
import {
  benchDeployment, endpointFor, importBenchWorkflow, note, num, parseFlags, pct, pool, report, round, sleep, sortNum,
  spawnWorker, startBenchDb, startRecordingSandbox, startSandboxProcess, waitAllTerminal, cpuMeter, type Target,
} from "./lib/common";
import pg from "pg";

const flags = parseFlags();
const RUNS = num(flags, "runs", 300);
const CONC = num(flags, "concurrency", 16);
const PACED_RUNS = num(flags, "paced-runs", 100);
const RATE = num(flags, "rate", 10);
const WORKER_CONC = num(flags, "worker-concurrency", 200);
// The API process's pools (Prisma + pg) are sized like the floor's so the comparison is fair.
process.env.FLOWGATE_DB_POOL ??= String(CONC);

const db = await startBenchDb("load");
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const { systemCtx } = await import("../lib/context");
  const { createRun } = await import("../lib/runs/create-run");
  const { dispatchJobSql } = await import("../lib/queue/add-job");
  const { RUN_CHANNEL } = await import("../lib/runs/events");
  const { closeDb } = await import("../lib/db");
  cleanups.push(closeDb);

  const inProcess = !!flags["sandbox-in-process"];
  const sb = inProcess ? await startRecordingSandbox("load-comfy", "comfyui", { execMs: 0 }) : await startSandboxProcess("load-comfy", "comfyui", { execMs: 0 });
  const sbPid = "pid" in sb ? (sb.pid as number) : null;
  cleanups.push(() => sb.close());
  const ep = await endpointFor(sb);
  const versionId = await importBenchWorkflow();
  const dep = await benchDeployment(`bench-load-${process.pid}`, versionId, [ep.id]);

  // ---- 1. the PostgreSQL floor: the same transaction with pg straight, no worker running ----------
  note(`floor: ${RUNS} raw transactions at concurrency ${CONC}`);
  const raw = new pg.Pool({ connectionString: db.url, max: CONC });
  cleanups.push(() => raw.end());
  await Promise.all(Array.from({ length: CONC }, () => raw.query("select 1")));
  const floorLat: number[] = [];
  const floorIds: string[] = [];
  const floorOne = async (_: unknown, i: number) => {
    const id = `run_floor_${process.pid}_${i}`;
    floorIds.push(id);
    const t0 = performance.now();
    const c = await raw.connect();
    try {
      await c.query("BEGIN");
      await c.query(
        `INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs) VALUES ($1, $2, $3, 'queued', $4::jsonb)`,
        [id, dep.id, versionId, JSON.stringify({ prompt: `floor ${i}` })],
      );
      await c.query(`INSERT INTO "RunEvent" ("runId", type, data) VALUES ($1, 'status', $2::jsonb)`, [id, JSON.stringify({ status: "queued" })]);
      // A task no worker serves, and removed below, so the floor's jobs never reach the engine.
      await c.query(`SELECT ${dispatchJobSql("'bench_floor'", "$1::text")}`, [id]);
      await c.query(`SELECT pg_notify('${RUN_CHANNEL}', $1)`, [id]);
      await c.query("COMMIT");
    } finally {
      c.release();
    }
    floorLat.push(performance.now() - t0);
  };
  const f0 = performance.now();
  await pool(Array.from({ length: RUNS }), CONC, floorOne);
  const floorSec = (performance.now() - f0) / 1000;
  const floorTps = RUNS / floorSec;
  await raw.query(`SELECT graphile_worker.remove_job(id) FROM "Run" WHERE id = ANY($1)`, [floorIds]);
  await raw.query(`UPDATE "Run" SET status = 'canceled' WHERE id = ANY($1)`, [floorIds]);
  const floorSorted = sortNum(floorLat);
  note(`floor: ${floorTps.toFixed(0)} tx/s, p50 ${floorSorted.length ? pct(floorSorted, 50)!.toFixed(1) : "?"} ms`);

  // ---- 1b. createRun alone, no worker running: the same conditions as the floor --------------------
  // (warmed with a few calls first; the runs it creates are dispatched once the worker starts)
  for (let i = 0; i < 20; i++) await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `warm alone ${i}` } } } });
  const aloneIds: string[] = [];
  const a0 = performance.now();
  await pool(Array.from({ length: RUNS }), CONC, async (_, i) => void aloneIds.push((await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `alone ${i}` } } } })).runId));
  const alonePerSec = RUNS / ((performance.now() - a0) / 1000);
  note(`createRun alone: ${alonePerSec.toFixed(0)} runs/s (${(alonePerSec / floorTps).toFixed(2)} x the floor)`);

  // ---- 2. a worker process, warmed up with a few runs ----------------------------------------------
  const worker = spawnWorker({ FLOWGATE_WORKER_CONCURRENCY: String(WORKER_CONC), FLOWGATE_POLL_MS: "250", FLOWGATE_DB_POOL: "20" }, "worker");
  cleanups.push(() => worker.stop());
  const warm: string[] = [];
  for (let i = 0; i < 10; i++) warm.push((await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `warm ${i}` } } } })).runId);
  if ((await waitAllTerminal(raw, warm, 60_000)) > 0) throw new Error("warm-up runs did not finish: is the worker starting?");
  await waitAllTerminal(raw, aloneIds, 120_000);
  // Warm the API side too (Prisma query compilation, pools).
  await pool(Array.from({ length: 50 }), CONC, async (_, i) => void (await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `warm api ${i}` } } } })));

  // ---- 3. burst: createRun as fast as CONC callers can go, worker running --------------------------
  note(`burst: ${RUNS} createRun calls at concurrency ${CONC}`);
  const acceptLat: number[] = [];
  const burstIds: string[] = [];
  const procs = () => ({ bench: "self" as const, worker: worker.pid, ...(sbPid ? { sandbox: sbPid } : {}), postgres: "pg" as const });
  const burstMeter = cpuMeter(procs, db);
  const b0 = performance.now();
  await pool(Array.from({ length: RUNS }), CONC, async (_, i) => {
    const t0 = performance.now();
    const r = await createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `burst ${i}` } } } });
    acceptLat.push(performance.now() - t0);
    burstIds.push(r.runId);
  });
  const burstSec = (performance.now() - b0) / 1000;
  const acceptedPerSec = RUNS / burstSec;
  note(`burst: ${acceptedPerSec.toFixed(0)} runs/s accepted; waiting for the worker to submit them all`);
  let lastLog = 0;
  const burstLeft = await waitAllTerminal(raw, burstIds, 600_000, (l) => {
    if (Date.now() - lastLog > 10_000) (lastLog = Date.now()), note(`  ${l} not terminal`);
  });
  const burstCpu = burstMeter();

  // ---- 4. paced: RATE runs/s (open loop), the latency a caller sees at a load the engine sustains --
  note(`paced: ${PACED_RUNS} runs at ${RATE}/s`);
  const pacedIds: string[] = [];
  const pacedMeter = cpuMeter(procs, db);
  const p0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < PACED_RUNS; i++) {
    const due = p0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(createRun({ ctx: systemCtx(), input: { slug: dep.slug, body: { inputs: { prompt: `paced ${i}` } } } }).then((r) => void pacedIds.push(r.runId)));
  }
  await Promise.all(inflight);
  const pacedLeft = await waitAllTerminal(raw, pacedIds, 300_000);
  const pacedCpu = pacedMeter();
  if ("sync" in sb) await (sb.sync as () => Promise<void>)();

  const lat = async (ids: string[]) => {
    const r = await raw.query(
      `SELECT EXTRACT(EPOCH FROM (a."submittedAt" - r."createdAt")) * 1000 AS ms,
              EXTRACT(EPOCH FROM (a."createdAt" - r."createdAt")) * 1000 AS pickup,
              EXTRACT(EPOCH FROM (a."submittedAt" - a."createdAt")) * 1000 AS submit, r.status
       FROM "Run" r JOIN "RunAttempt" a ON a."runId" = r.id AND a.number = 1 WHERE r.id = ANY($1)`,
      [ids],
    );
    const ms = sortNum(r.rows.filter((x) => x.ms !== null).map((x) => Number(x.ms)));
    const pickup = sortNum(r.rows.filter((x) => x.pickup !== null).map((x) => Number(x.pickup)));
    const submit = sortNum(r.rows.filter((x) => x.submit !== null).map((x) => Number(x.submit)));
    const ok = (await raw.query(`SELECT count(*)::int n FROM "Run" WHERE id = ANY($1) AND status = 'succeeded'`, [ids])).rows[0].n;
    // Submits per second of the worker: first attempts submitted over the span from the first to the last submit.
    const span = (
      await raw.query(
        `SELECT count(*)::int AS n, EXTRACT(EPOCH FROM (max(a."submittedAt") - min(a."submittedAt"))) AS s, EXTRACT(EPOCH FROM (max(a."submittedAt") - min(r."createdAt"))) AS total
         FROM "Run" r JOIN "RunAttempt" a ON a."runId" = r.id AND a.number = 1 WHERE r.id = ANY($1)`,
        [ids],
      )
    ).rows[0];
    const submitsPerSec = Number(span.s) > 0 ? round(span.n / Number(span.s), 0) : null;
    return { n: ms.length, succeeded: ok, p50: round(pct(ms, 50)), p90: round(pct(ms, 90)), p99: round(pct(ms, 99)), max: round(ms.at(-1) ?? null),
      // where the time goes: job pickup + lease + load (run created -> attempt row) and the submit itself
      submitsPerSec, firstCreateToLastSubmitMs: round(Number(span.total) * 1000, 0),
      pickupP50: round(pct(pickup, 50)), pickupP99: round(pct(pickup, 99)), submitP50: round(pct(submit, 50)), submitP99: round(pct(submit, 99)) };
  };
  const burstLat = await lat(burstIds);
  const pacedLat = await lat(pacedIds);
  const acceptSorted = sortNum(acceptLat);
  const dupAttempts = sb.accepted.length - new Set(sb.accepted.map((a) => a.jobId)).size;

  const ratio = acceptedPerSec / floorTps;
  const targets: Target[] = [
    { name: "runs accepted per second (createRun)", target: ">= 500/s", measured: round(acceptedPerSec, 0), pass: acceptedPerSec >= 500 },
    { name: "accepted / floor (no worker running)", target: ">= 0.7", measured: round(alonePerSec / floorTps, 2), pass: alonePerSec / floorTps >= 0.7 },
    { name: "accepted / floor (worker dispatching)", target: ">= 0.7", measured: round(ratio, 2), pass: ratio >= 0.7 },
    { name: "burst create->submit p50", target: "<= 1000 ms", measured: burstLat.p50, pass: burstLat.p50 !== null && burstLat.p50 <= 1000 },
    { name: "burst submits/s (one worker)", target: ">= 300/s", measured: burstLat.submitsPerSec, pass: (burstLat.submitsPerSec ?? 0) >= 300 },
    { name: "create->submit p50 (paced)", target: "<= 10 ms", measured: pacedLat.p50, pass: pacedLat.p50 !== null && pacedLat.p50 <= 10 },
    { name: "create->submit p99 (paced)", target: "<= 50 ms", measured: pacedLat.p99, pass: pacedLat.p99 !== null && pacedLat.p99 <= 50 },
    { name: "no run left behind", target: "0", measured: burstLeft + pacedLeft, pass: burstLeft + pacedLeft === 0 },
  ];
  report("load", flags, {
    params: { runs: RUNS, concurrency: CONC, pacedRuns: PACED_RUNS, rate: RATE, workerConcurrency: WORKER_CONC, workers: 1, sandbox: `comfyui execMs 0 (${inProcess ? "in the bench process" : "own process"})`, db: db.kind },
    floor: { txPerSec: round(floorTps, 0), p50Ms: round(pct(floorSorted, 50), 2), p99Ms: round(pct(floorSorted, 99), 2) },
    acceptAlone: { runsPerSec: round(alonePerSec, 0), ratioToFloor: round(alonePerSec / floorTps, 2) },
    accept: { runsPerSec: round(acceptedPerSec, 0), ratioToFloor: round(ratio, 2), p50Ms: round(pct(acceptSorted, 50), 2), p99Ms: round(pct(acceptSorted, 99), 2) },
    submitLatencyPaced: pacedLat,
    submitLatencyBurst: burstLat,
    cpu: { burst: burstCpu, paced: pacedCpu },
    duplicateSubmits: dupAttempts,
    notLeftTerminal: burstLeft + pacedLeft,
    targets,
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db.stop();
}
process.exit(0);
