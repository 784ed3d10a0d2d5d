// Chaos benchmark: N runs across three look-alike endpoints (two ComfyUI sandboxes + one RunPod
// sandbox with 4 workers), first fault-free, then with faults on every endpoint: 10 % HTTP 5xx,
// 5 % crashes mid-run, ComfyUI restarts on a timer, a stalled WebSocket, and one endpoint stuck
// (nothing leaves its queue) for a window. One worker process (`worker/index.ts`) drives the runs.
//
//   npm run -s bench:chaos -- [--json] [--runs 200] [--rate 4] [--exec-ms 300] [--max-attempts 3]
//                             [--stuck-ms 15000 | --stuck-forever] [--timeout-s 120] [--stuck-after-s 1]
//                             [--cpu-hog N]   (N busy processes beside it, both phases: a starved machine)
//   full size: --runs 2000 (about 2 × runs/rate seconds)
import "./lib/common";
import {
  benchDeployment, endpointFor, importBenchWorkflow, note, num, parseFlags, pct, report, round, sleep, sortNum,
  spawnWorker, startBenchDb, startRecordingSandbox, waitAllTerminal, type BenchSandbox, type Target,
} from "./lib/common";
import pg from "pg";
import { isTerminal } from "../lib/runs/status";

const flags = parseFlags();
const RUNS = num(flags, "runs", 200);
const RATE = num(flags, "rate", 4);
const EXEC_MS = num(flags, "exec-ms", 300);
const MAX_ATTEMPTS = num(flags, "max-attempts", 3);
const TIMEOUT_S = num(flags, "timeout-s", 120);
const STUCK_FOREVER = !!flags["stuck-forever"];
const STUCK_MS = num(flags, "stuck-ms", 15_000);
const RESTART_EVERY_MS = num(flags, "restart-every-ms", 8000);
const POLL_MS = num(flags, "poll-ms", 250);
// The deployments' stuck threshold: an attempt with no sign of life this long is hedged.
const STUCK_AFTER_S = num(flags, "stuck-after-s", 1);
const CPU_HOGS = num(flags, "cpu-hog", 0);

const CHAOS = { httpErrorRate: 0.1, crashRate: 0.05 };
const CALM = { httpErrorRate: 0, crashRate: 0, wsStall: false, stuck: false };

const db = await startBenchDb("chaos");
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const { systemCtx } = await import("../lib/context");
  const { createRun } = await import("../lib/runs/create-run");
  const { closeDb } = await import("../lib/db");
  cleanups.push(closeDb);
  const q = new pg.Pool({ connectionString: db.url, max: 4 });
  cleanups.push(() => q.end());
  // CPU hogs: busy processes that compete with the worker, PostgreSQL and the sandboxes for the cores.
  const { spawn } = await import("node:child_process");
  for (let i = 0; i < CPU_HOGS; i++) {
    const hog = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
    cleanups.push(async () => void hog.kill("SIGKILL"));
  }
  if (CPU_HOGS) note(`${CPU_HOGS} CPU hog process(es) running`);

  const sbs: BenchSandbox[] = [
    await startRecordingSandbox("chaos-comfy-a", "comfyui", { execMs: EXEC_MS, crashDownMs: 500 }, 11),
    await startRecordingSandbox("chaos-comfy-b", "comfyui", { execMs: EXEC_MS, crashDownMs: 500 }, 12),
    await startRecordingSandbox("chaos-runpod-c", "runpod", { execMs: EXEC_MS, workers: 4 } as Record<string, unknown>, 13),
  ];
  for (const s of sbs) cleanups.push(() => s.close());
  const [A, B, C] = sbs;
  const eps = [];
  for (const s of sbs) eps.push(await endpointFor(s));
  const versionId = await importBenchWorkflow();
  // Three deployments, each with a different primary and the other two as failover targets, so the
  // load spreads over the three endpoints (the engine sends every first attempt to the top priority).
  const deps: Awaited<ReturnType<typeof benchDeployment>>[] = [];
  for (let i = 0; i < 3; i++) {
    const order = [eps[i], eps[(i + 1) % 3], eps[(i + 2) % 3]].map((e) => e.id);
    deps.push(await benchDeployment(`bench-chaos-${i}-${process.pid}`, versionId, order, { maxAttempts: MAX_ATTEMPTS, timeoutSeconds: TIMEOUT_S, stuckAfterSeconds: STUCK_AFTER_S }));
  }

  const worker = spawnWorker({ FLOWGATE_POLL_MS: String(POLL_MS), FLOWGATE_WORKER_CONCURRENCY: "200", FLOWGATE_SWEEP_MS: "2000" }, "worker");
  cleanups.push(() => worker.stop());

  // Warm-up: the worker process boots, every endpoint and deployment is used once.
  const warm: string[] = [];
  for (let i = 0; i < 6; i++) warm.push((await createRun({ ctx: systemCtx(), input: { slug: deps[i % 3].slug, body: { inputs: { prompt: `warm ${i}` } } } })).runId);
  if ((await waitAllTerminal(q, warm, 120_000)) > 0) throw new Error("warm-up runs did not finish");

  async function phase(name: string, onTick?: (elapsedMs: number) => void) {
    const ids: string[] = [];
    const tags = new Map<string, string>();
    const t0 = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const due = t0 + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      onTick?.(Date.now() - t0);
      const tag = `bench ${name} ${i}`;
      pending.push(
        createRun({ ctx: systemCtx(), input: { slug: deps[i % 3].slug, body: { inputs: { prompt: tag } } } }).then((r) => {
          ids.push(r.runId);
          tags.set(r.runId, tag);
        }),
      );
    }
    await Promise.all(pending);
    note(`${name}: ${RUNS} runs created in ${((Date.now() - t0) / 1000).toFixed(0)} s; waiting for terminal`);
    const drainMs = TIMEOUT_S * 1000 + 60_000;
    const left = await waitAllTerminal(q, ids, drainMs, (l) => {
      onTick?.(Date.now() - t0);
      if (Math.random() < 0.1) note(`  ${name}: ${l} not terminal`);
    });
    return { ids, tags, left, wallS: (Date.now() - t0) / 1000 };
  }

  async function summarize(p: Awaited<ReturnType<typeof phase>>) {
    const runs = (
      await q.query(
        `SELECT r.id, r.status, EXTRACT(EPOCH FROM (r."finishedAt" - r."createdAt")) * 1000 AS ms,
                (SELECT count(*)::int FROM "RunAttempt" a WHERE a."runId" = r.id) AS attempts,
                (SELECT count(*)::int FROM "RunAttempt" a WHERE a."runId" = r.id AND a.status = 'succeeded') AS ok_attempts,
                (SELECT count(*)::int FROM "RunOutput" o WHERE o."runId" = r.id) AS outputs,
                r.error->>'code' AS code
         FROM "Run" r WHERE r.id = ANY($1)`,
        [p.ids],
      )
    ).rows;
    const byStatus: Record<string, number> = {};
    const errors: Record<string, number> = {};
    for (const r of runs) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.code) errors[r.code] = (errors[r.code] ?? 0) + 1;
    }
    // Lost: never terminal, or "succeeded" without a succeeded attempt and stored outputs.
    const notTerminal = runs.filter((r) => !isTerminal(r.status)).length + (p.ids.length - runs.length);
    const unrecorded = runs.filter((r) => r.status === "succeeded" && (r.ok_attempts !== 1 || r.outputs < 1)).length;
    const succeeded = runs.filter((r) => r.status === "succeeded" && r.ok_attempts === 1 && r.outputs >= 1);
    const ms = sortNum(succeeded.map((r) => Number(r.ms)));
    // Provider-side accounting: every prompt a sandbox accepted, matched to its run by the tag in node 6.
    const tagToRun = new Map([...p.tags].map(([id, tag]) => [tag, id]));
    const acceptedByRun = new Map<string, number>();
    let sameAttemptTwice = 0;
    for (const s of sbs) {
      const seen = new Set<string>();
      for (const a of s.accepted) {
        const runId = a.text ? tagToRun.get(a.text) : undefined;
        if (!runId) continue;
        acceptedByRun.set(runId, (acceptedByRun.get(runId) ?? 0) + 1);
        if (seen.has(a.jobId)) sameAttemptTwice++;
        seen.add(a.jobId);
      }
    }
    let beyondAttempts = 0;
    let providerPrompts = 0;
    for (const r of runs) {
      const acc = acceptedByRun.get(r.id) ?? 0;
      providerPrompts += acc;
      beyondAttempts += Math.max(0, acc - r.attempts);
    }
    const attempts = runs.reduce((s, r) => s + r.attempts, 0);
    // What hedging cost: GPU time (executionMs) of attempts that lost a race, as a share of all.
    const gpu = (
      await q.query(
        `SELECT COALESCE(sum(a."executionMs"), 0)::float8 AS total,
                COALESCE(sum(a."executionMs") FILTER (WHERE a.error->>'code' = 'hedge_lost'), 0)::float8 AS wasted,
                count(*) FILTER (WHERE a.error->>'code' = 'hedge_lost')::int AS lost_races
         FROM "RunAttempt" a WHERE a."runId" = ANY($1)`,
        [p.ids],
      )
    ).rows[0];
    const hedges = (
      await q.query(
        `SELECT e.data->>'reason' AS reason, count(*)::int AS n FROM "RunEvent" e WHERE e."runId" = ANY($1) AND e.type = 'attempt' AND e.data ? 'hedgeOf' GROUP BY 1`,
        [p.ids],
      )
    ).rows;
    // Where the tail comes from: attempt outcomes of the slowest 10 % of runs.
    const slowIds = [...runs].filter((r) => r.ms !== null).sort((a, b) => Number(b.ms) - Number(a.ms)).slice(0, Math.ceil(runs.length / 10)).map((r) => r.id);
    const tail = (
      await q.query(
        `SELECT e.name AS endpoint, a.status, COALESCE(a.error->>'code', '') AS code, count(*)::int AS n
         FROM "RunAttempt" a JOIN "Endpoint" e ON e.id = a."endpointId" WHERE a."runId" = ANY($1)
         GROUP BY 1, 2, 3 ORDER BY n DESC`,
        [slowIds],
      )
    ).rows.map((r) => `${r.endpoint} ${r.status}${r.code ? ` ${r.code}` : ""}: ${r.n}`);
    // The five slowest runs' attempts, in order: endpoint, outcome, and when (s after the run's
    // creation) it was submitted / started / finished, e.g. "a lost prompt_lost 0.1/0.2/3.4".
    const timelines = (
      await q.query(
        `SELECT a."runId", string_agg(concat_ws(' ', e.name, a.status, a.error->>'code',
                  concat_ws('/', round(EXTRACT(EPOCH FROM (a."submittedAt" - r."createdAt"))::numeric, 1), round(EXTRACT(EPOCH FROM (a."startedAt" - r."createdAt"))::numeric, 1), round(EXTRACT(EPOCH FROM (a."finishedAt" - r."createdAt"))::numeric, 1))),
                  ' | ' ORDER BY a.number) AS attempts
         FROM "RunAttempt" a JOIN "Run" r ON r.id = a."runId" JOIN "Endpoint" e ON e.id = a."endpointId"
         WHERE a."runId" = ANY($1) GROUP BY 1`,
        [slowIds.slice(0, 5)],
      )
    ).rows.map((r) => `${round(Number(runs.find((x) => x.id === r.runId)?.ms) / 1000, 1)} s: ${r.attempts}`);
    return {
      runs: p.ids.length,
      lost: notTerminal + unrecorded,
      notTerminal,
      succeededWithoutRecord: unrecorded,
      succeeded: succeeded.length,
      successRate: round((100 * succeeded.length) / p.ids.length, 2),
      byStatus,
      errors,
      p50Ms: round(pct(ms, 50), 0),
      p95Ms: round(pct(ms, 95), 0),
      p99Ms: round(pct(ms, 99), 0),
      attempts,
      retriedRuns: runs.filter((r) => r.attempts > 1).length,
      hedgesByReason: Object.fromEntries(hedges.map((h) => [h.reason, h.n])),
      hedgeRacesLost: gpu.lost_races,
      gpuSeconds: round(gpu.total / 1000, 1),
      hedgeExtraGpuShare: gpu.total > 0 ? round((100 * gpu.wasted) / (gpu.total - gpu.wasted), 2) : 0,
      providerPrompts,
      duplicateSubmits: sameAttemptTwice + beyondAttempts,
      duplicateDetail: { sameAttemptAcceptedTwice: sameAttemptTwice, providerPromptsBeyondRecordedAttempts: beyondAttempts },
      slowestTenthAttempts: tail,
      slowestRuns: timelines.sort((a, b) => parseFloat(b) - parseFloat(a)),
      wallS: round(p.wallS, 0),
    };
  }

  // ---- fault-free ---------------------------------------------------------------------------------
  note(`fault-free: ${RUNS} runs at ${RATE}/s over 3 endpoints (execMs ${EXEC_MS})`);
  const calm = await summarize(await phase("calm"));
  note(`fault-free: ${calm.succeeded}/${calm.runs} succeeded, p95 ${calm.p95Ms} ms`);

  // ---- chaos --------------------------------------------------------------------------------------
  for (const s of sbs) s.setFaults(CHAOS);
  B.setFaults({ wsStall: true });
  const stuckFrom = 5_000;
  let stuckState: "before" | "stuck" | "over" = "before";
  let restarts = 0;
  let lastRestart = 0;
  const chaosTick = (elapsed: number) => {
    if (stuckState === "before" && elapsed >= stuckFrom) {
      C.setFaults({ stuck: true });
      stuckState = "stuck";
      note(`chaos: ${C.name} stuck${STUCK_FOREVER ? " for good" : ` for ${STUCK_MS} ms`}`);
    } else if (stuckState === "stuck" && !STUCK_FOREVER && elapsed >= stuckFrom + STUCK_MS) {
      C.setFaults({ stuck: false });
      stuckState = "over";
    }
    if (RESTART_EVERY_MS > 0 && elapsed - lastRestart >= RESTART_EVERY_MS && elapsed < (RUNS / RATE) * 1000) {
      lastRestart = elapsed;
      (restarts++ % 2 === 0 ? A : B).restart?.();
    }
  };
  const ticker = setInterval(() => chaosTick(Date.now() - chaosStart), 250);
  const chaosStart = Date.now();
  note(`chaos: ${RUNS} runs, faults ${JSON.stringify(CHAOS)}, ws stall on ${B.name}, restarts every ${RESTART_EVERY_MS} ms`);
  const chaosPhase = await phase("chaos", chaosTick);
  clearInterval(ticker);
  for (const s of sbs) s.setFaults(CALM);
  const chaos = await summarize(chaosPhase);
  note(`chaos: ${chaos.succeeded}/${chaos.runs} succeeded, p95 ${chaos.p95Ms} ms, lost ${chaos.lost}`);

  const ratio = chaos.p95Ms && calm.p95Ms ? chaos.p95Ms / calm.p95Ms : null;
  const targets: Target[] = [
    { name: "lost runs", target: "0", measured: chaos.lost, pass: chaos.lost === 0 },
    { name: "succeeded under chaos", target: ">= 99.5 %", measured: chaos.successRate, pass: (chaos.successRate ?? 0) >= 99.5 },
    { name: "p95 under chaos / fault-free", target: "<= 1.5", measured: round(ratio, 2), pass: ratio !== null && ratio <= 1.5 },
    { name: "hedge extra GPU-seconds (chaos)", target: "<= 10 %", measured: chaos.hedgeExtraGpuShare, pass: (chaos.hedgeExtraGpuShare ?? 0) <= 10 },
  ];
  report("chaos", flags, {
    params: {
      runs: RUNS, rate: RATE, execMs: EXEC_MS, maxAttempts: MAX_ATTEMPTS, timeoutS: TIMEOUT_S, pollMs: POLL_MS, stuckAfterS: STUCK_AFTER_S,
      endpoints: "2 comfyui sandboxes + 1 runpod sandbox (4 workers); 3 deployments, each with a different primary and the other two as failover",
      cpuHogs: CPU_HOGS,
      faults: { ...CHAOS, wsStall: B.name, restartsEveryMs: RESTART_EVERY_MS, restarts, stuck: C.name, stuckMs: STUCK_FOREVER ? "forever" : STUCK_MS },
      db: db.kind,
    },
    runs: chaos.runs,
    lost: chaos.lost,
    succeeded: chaos.succeeded,
    successRate: chaos.successRate,
    p95Ms: chaos.p95Ms,
    p95FaultFreeMs: calm.p95Ms,
    p95Ratio: round(ratio, 2),
    hedgeExtraGpuShare: chaos.hedgeExtraGpuShare,
    hedgeExtraGpuShareFaultFree: calm.hedgeExtraGpuShare,
    duplicateSubmits: chaos.duplicateSubmits,
    chaos,
    faultFree: calm,
    targets,
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db.stop();
}
process.exit(0);
