// Kill benchmark: two worker processes (`node --import tsx worker/index.ts`) drive a burst of runs on
// a ComfyUI sandbox and a RunPod sandbox; one worker is killed with SIGKILL while runs are in flight
// (a replacement starts a few seconds later), and PostgreSQL is restarted once mid-run (embedded:
// the cluster is stopped and started again on the same data). Every run must end terminal and
// recorded; prompts the providers accepted beyond the attempts Flowgate recorded are counted and
// explained from the attempts' own records.
//
//   npm run -s bench:kill -- [--json] [--runs 150] [--lease-ms 5000] [--pg-down-ms 1000]
//   full size: --runs 500
import "./lib/common";
import {
  benchDeployment, endpointFor, importBenchWorkflow, note, num, parseFlags, report, sleep,
  spawnWorker, startBenchDb, startRecordingSandbox, waitAllTerminal, type BenchSandbox, type Target, type WorkerProc,
} from "./lib/common";
import pg from "pg";
import { isTerminal } from "../lib/runs/status";

const flags = parseFlags();
const RUNS = num(flags, "runs", 150);
const LEASE_MS = num(flags, "lease-ms", 5000);
const PG_DOWN_MS = num(flags, "pg-down-ms", 1000);
const EXEC_MS = num(flags, "exec-ms", 1500);
const DRAIN_S = num(flags, "drain-s", 400);

const db = await startBenchDb("kill");
const cleanups: (() => Promise<unknown>)[] = [];
const workers: WorkerProc[] = [];
try {
  const { systemCtx } = await import("../lib/context");
  const { createRun } = await import("../lib/runs/create-run");
  const { closeDb } = await import("../lib/db");
  const q = new pg.Pool({ connectionString: db.url, max: 3 });
  q.on("error", () => {}); // idle clients die with the PostgreSQL restart; the pool reconnects
  cleanups.push(() => q.end());

  const sbs: BenchSandbox[] = [
    await startRecordingSandbox("kill-runpod", "runpod", { execMs: EXEC_MS, workers: 24 } as Record<string, unknown>, 21),
    await startRecordingSandbox("kill-comfy", "comfyui", { execMs: 100 }, 22),
  ];
  for (const s of sbs) cleanups.push(() => s.close());
  const eps = [];
  for (const s of sbs) eps.push(await endpointFor(s));
  const versionId = await importBenchWorkflow();
  const deps = [
    await benchDeployment(`bench-kill-r-${process.pid}`, versionId, [eps[0].id, eps[1].id], { timeoutSeconds: 600, maxAttempts: 3 }),
    await benchDeployment(`bench-kill-c-${process.pid}`, versionId, [eps[1].id, eps[0].id], { timeoutSeconds: 600, maxAttempts: 3 }),
  ];

  const workerEnv = { FLOWGATE_LEASE_MS: String(LEASE_MS), FLOWGATE_POLL_MS: "500", FLOWGATE_SWEEP_MS: "2000", FLOWGATE_WORKER_CONCURRENCY: "300" };
  const start = (label: string) => {
    const w = spawnWorker(workerEnv, label);
    workers.push(w);
    return w;
  };
  const w1 = start("worker-1");
  start("worker-2");
  // A process manager (systemd, Kubernetes) restarts a worker that exits on its own; so does this one,
  // and counts it: such an exit is a bug the benchmark reports.
  const crashes: { label: string; pid: number; code: number | null; stderr: string }[] = [];
  let supervising = true;
  const supervise = (w: WorkerProc, label: string) =>
    void w.exited.then((code) => {
      if (!supervising || w === w1) return;
      const lines = w.errTail().trim().split("\n").filter((l) => !/nodedir|DeprecationWarning|trace-deprecation/.test(l));
      crashes.push({ label, pid: w.pid, code, stderr: lines.slice(-24).join("\n").slice(-3000) });
      note(`${label} (pid ${w.pid}) exited on its own (code ${code}); restarting it`);
      const again = start(`${label}-restarted`);
      supervise(again, `${label}-restarted`);
    });
  supervise(workers[1], "worker-2");
  cleanups.push(async () => {
    supervising = false;
    await Promise.all(workers.map((w) => w.stop()));
  });
  const warm = [];
  for (let i = 0; i < 4; i++) warm.push((await createRun({ ctx: systemCtx(), input: { slug: deps[i % 2].slug, body: { inputs: { prompt: `warm ${i}` } } } })).runId);
  if ((await waitAllTerminal(q, warm, 120_000)) > 0) throw new Error("warm-up runs did not finish");

  // ---- the burst --------------------------------------------------------------------------------
  note(`creating ${RUNS} runs`);
  const ids: string[] = [];
  const tags = new Map<string, string>();
  for (let i = 0; i < RUNS; i++) {
    const tag = `bench kill ${i}`;
    const r = await createRun({ ctx: systemCtx(), input: { slug: deps[i % 2].slug, body: { inputs: { prompt: tag } } } });
    ids.push(r.runId);
    tags.set(r.runId, tag);
  }
  // lib/db's pools are not needed any more here; close them so the PostgreSQL restart cannot hit them.
  await closeDb();

  const inflight = async () =>
    (await q.query(`SELECT count(*)::int n FROM "Run" WHERE id = ANY($1) AND status IN ('dispatching','submitted','running')`, [ids])).rows[0].n as number;
  const untilT = Date.now() + 60_000;
  let atKill = 0;
  while (Date.now() < untilT) {
    atKill = await inflight();
    if (atKill >= Math.min(RUNS * 0.6, 300)) break;
    await sleep(200);
  }
  // Which runs did the doomed worker hold?
  const held = (await q.query(`SELECT count(*)::int n FROM "Run" WHERE id = ANY($1) AND "leaseOwner" LIKE $2`, [ids, `%_${w1.pid}_%`])).rows[0].n as number;
  note(`kill -9 worker-1 (pid ${w1.pid}) with ${atKill} runs in flight, ${held} leased by it`);
  w1.child.kill("SIGKILL");
  await w1.exited;
  await sleep(3000);
  supervise(start("worker-3"), "worker-3");

  let pgRestart: Record<string, unknown> = { skipped: "DATABASE_URL is set: restart your PostgreSQL by hand to test this" };
  if (db.restart) {
    await sleep(2000);
    const before = await inflight();
    note(`restarting PostgreSQL (${before} runs in flight, down ${PG_DOWN_MS} ms)`);
    const t0 = Date.now();
    await db.restart(PG_DOWN_MS);
    pgRestart = { inFlightAtRestart: before, downMs: Date.now() - t0 };
  }
  const alive = () => workers.filter((w) => w.child.exitCode === null && !w.child.signalCode).length;
  note(`waiting for every run to end (workers alive: ${alive()})`);
  let lastLog = 0;
  const left = await waitAllTerminal(q, ids, DRAIN_S * 1000, (l) => {
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      note(`  ${l} not terminal; workers alive ${alive()}`);
    }
  });
  const workersDiedOnTheirOwn = crashes.length;

  // ---- accounting -------------------------------------------------------------------------------
  const runs = (
    await q.query(
      `SELECT r.id, r.status, r.error->>'code' AS code,
              (SELECT count(*)::int FROM "RunAttempt" a WHERE a."runId" = r.id) AS attempts,
              (SELECT count(*)::int FROM "RunAttempt" a WHERE a."runId" = r.id AND a.status = 'succeeded') AS ok_attempts,
              (SELECT count(*)::int FROM "RunOutput" o WHERE o."runId" = r.id) AS outputs,
              (SELECT json_agg(json_build_object('endpointId', a."endpointId", 'status', a.status, 'code', a.error->>'code', 'job', a."providerJobId") ORDER BY a.number)
                 FROM "RunAttempt" a WHERE a."runId" = r.id) AS detail
       FROM "Run" r WHERE r.id = ANY($1)`,
      [ids],
    )
  ).rows;
  const byStatus: Record<string, number> = {};
  for (const r of runs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const notTerminal = runs.filter((r) => !isTerminal(r.status)).length;
  const unrecordedRuns = runs.filter((r) => r.status === "succeeded" && (r.ok_attempts !== 1 || r.outputs < 1));
  const unrecorded = unrecordedRuns.length;
  const unrecordedDetail = unrecordedRuns.length
    ? (
        await q.query(
          `SELECT a."runId", a.number, a.status, a."providerJobId", a.error->>'code' AS code, (SELECT count(*)::int FROM "RunOutput" o WHERE o."attemptId" = a.id) AS outputs
           FROM "RunAttempt" a WHERE a."runId" = ANY($1) ORDER BY a."runId", a.number`,
          [unrecordedRuns.map((r) => r.id)],
        )
      ).rows
    : [];
  const tagToRun = new Map([...tags].map(([id, tag]) => [tag, id]));
  const accepted = new Map<string, { sandbox: string; jobId: string }[]>();
  for (const s of sbs) for (const a of s.accepted) {
    const runId = a.text ? tagToRun.get(a.text) : undefined;
    if (runId) accepted.set(runId, [...(accepted.get(runId) ?? []), { sandbox: s.name, jobId: a.jobId }]);
  }
  const duplicates: { runId: string; accepted: number; attempts: number; explanation: string }[] = [];
  let sameJobTwice = 0;
  for (const r of runs) {
    const acc = accepted.get(r.id) ?? [];
    const jobs = acc.map((a) => a.jobId);
    sameJobTwice += jobs.length - new Set(jobs).size;
    const recordedJobs = new Set((r.detail ?? []).map((d: { job: string | null }) => d.job).filter(Boolean));
    const unknownToFlowgate = acc.filter((a) => !recordedJobs.has(a.jobId)).length;
    if (unknownToFlowgate > 0) {
      const interrupted = (r.detail ?? []).filter((d: { code: string | null }) => d.code === "submit_interrupted").length;
      duplicates.push({
        runId: r.id,
        accepted: acc.length,
        attempts: r.attempts,
        explanation:
          interrupted >= unknownToFlowgate
            ? "worker killed between the provider accepting the job and Flowgate recording its id (attempt marked lost: submit_interrupted, possibleDuplicate); RunPod has no idempotent submit, so the next attempt ran it again"
            : "provider accepted a job Flowgate has no record of, and no interrupted submit explains it (investigate)",
      });
    }
  }
  const duplicateSubmits = duplicates.reduce((s, d) => s + (d.accepted - d.attempts > 0 ? d.accepted - d.attempts : 1), 0) + sameJobTwice;
  const unexplained = duplicates.filter((d) => d.explanation.includes("investigate")).length;
  const lost = notTerminal + unrecorded + (ids.length - runs.length);

  const targets: Target[] = [
    { name: "lost runs", target: "0", measured: lost, pass: lost === 0 },
    { name: "unexplained duplicate submits", target: "0", measured: unexplained, pass: unexplained === 0 },
    { name: "workers survive the PostgreSQL restart", target: "0 exits", measured: workersDiedOnTheirOwn, pass: workersDiedOnTheirOwn === 0 },
  ];
  report("kill", flags, {
    params: { runs: RUNS, leaseMs: LEASE_MS, execMs: EXEC_MS, workers: 2, replacementWorker: true, sandboxes: "runpod (24 workers) + comfyui", db: db.kind },
    inFlightAtKill: atKill,
    leasedByKilledWorker: held,
    pgRestart,
    runs: ids.length,
    lost,
    notTerminal,
    succeededWithoutRecord: unrecorded,
    succeededWithoutRecordDetail: unrecordedDetail,
    byStatus,
    errors: runs.reduce((m: Record<string, number>, r) => (r.code ? { ...m, [r.code]: (m[r.code] ?? 0) + 1 } : m), {}),
    attempts: runs.reduce((s, r) => s + r.attempts, 0),
    retriedRuns: runs.filter((r) => r.attempts > 1).length,
    duplicateSubmits,
    sameProviderJobAcceptedTwice: sameJobTwice,
    duplicates: duplicates.slice(0, 20),
    workersDiedOnTheirOwn,
    workerCrashes: crashes,
    targets,
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db.stop();
}
process.exit(0);
