// Scale benchmark: 1, 2 and 4 worker processes against ONE database. For each size a burst of
// runs is queued at once (one SQL statement: runs, events and dispatch jobs, so the API's accept
// rate is not what is measured) and the workers dispatch them to a zero-latency sandbox ComfyUI.
// Reports dispatch throughput (first attempts submitted per second, first to last) per size and
// double dispatches: runs with more than one attempt, or a prompt the sandbox accepted twice.
//
// The sandbox runs in its own process (`--sandbox-in-process` puts it back in the bench process);
// each size reports the CPU share of every process during its burst (workers, sandbox, PostgreSQL,
// the bench itself) and the load average.
//
//   npm run -s bench:scale -- [--json] [--runs 600] [--workers 1,2,4] [--warm 5 (runs per worker)] [--sandbox-in-process]
import "./lib/common";
import {
  benchDeployment, endpointFor, importBenchWorkflow, note, num, parseFlags, pct, report, round, sortNum,
  spawnWorker, startBenchDb, startRecordingSandbox, startSandboxProcess, waitAllTerminal, cpuMeter, type Target,
} from "./lib/common";
import pg from "pg";

const flags = parseFlags();
const RUNS = num(flags, "runs", 600);
const WARM = num(flags, "warm", 5);
const SIZES = String(flags.workers ?? "1,2,4").split(",").map(Number).filter((n) => n > 0);

const db = await startBenchDb("scale");
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const { closeDb } = await import("../lib/db");
  const { DISPATCH_TASK } = await import("../lib/runs/create-run");
  cleanups.push(closeDb);
  const q = new pg.Pool({ connectionString: db.url, max: 4 });
  cleanups.push(() => q.end());
  const inProcess = !!flags["sandbox-in-process"];
  const sb = inProcess ? await startRecordingSandbox("scale-comfy", "comfyui", { execMs: 0 }) : await startSandboxProcess("scale-comfy", "comfyui", { execMs: 0 });
  const sbPid = "pid" in sb ? (sb.pid as number) : null;
  cleanups.push(() => sb.close());
  const ep = await endpointFor(sb);
  const versionId = await importBenchWorkflow();
  const dep = await benchDeployment(`bench-scale-${process.pid}`, versionId, [ep.id]);

  const results: Record<string, unknown>[] = [];
  for (const k of SIZES) {
    const workers = Array.from({ length: k }, (_, i) => spawnWorker({ FLOWGATE_WORKER_CONCURRENCY: "200", FLOWGATE_POLL_MS: "250", FLOWGATE_DB_POOL: "20" }, `worker ${i + 1}/${k}`));
    // Warm-up: every worker boots and drives a few runs.
    const warm = await queue(`warm${k}`, WARM * k);
    if ((await waitAllTerminal(q, warm, 120_000)) > 0) throw new Error("warm-up runs did not finish");
    note(`${k} worker(s): queueing ${RUNS} runs at once`);
    if ("sync" in sb) await (sb.sync as () => Promise<void>)(); // resets the sandbox's lag histogram
    const meter = cpuMeter(() => ({ bench: "self", ...(sbPid ? { sandbox: sbPid } : {}), postgres: "pg", ...Object.fromEntries(workers.map((w, i) => [`worker${i + 1}`, w.pid])) }), db);
    const ids = await queue(`w${k}`, RUNS);
    const left = await waitAllTerminal(q, ids, 300_000);
    const cpu = meter();
    if ("sync" in sb) await (sb.sync as () => Promise<void>)();
    const r = (
      await q.query(
        `SELECT count(*)::int AS n,
                EXTRACT(EPOCH FROM (max(a."submittedAt") - min(r."createdAt"))) AS total_s,
                EXTRACT(EPOCH FROM (max(a."submittedAt") - min(a."submittedAt"))) AS span_s,
                array_agg(EXTRACT(EPOCH FROM (a."submittedAt" - r."createdAt")) * 1000) AS lat,
                array_agg(EXTRACT(EPOCH FROM (a."createdAt" - r."createdAt")) * 1000) AS ins,
                count(DISTINCT r."leaseOwner") AS owners
         FROM "Run" r JOIN "RunAttempt" a ON a."runId" = r.id AND a.number = 1 WHERE r.id = ANY($1)`,
        [ids],
      )
    ).rows[0];
    const multi = (await q.query(`SELECT count(*)::int AS n FROM (SELECT "runId" FROM "RunAttempt" WHERE "runId" = ANY($1) GROUP BY 1 HAVING count(*) > 1) x`, [ids])).rows[0].n;
    const succeeded = (await q.query(`SELECT count(DISTINCT "runId")::int AS n FROM "RunEvent" WHERE "runId" = ANY($1) AND type = 'status' AND data->>'status' = 'succeeded'`, [ids])).rows[0].n;
    const tags = new Set<string>();
    let twice = 0;
    for (const a of sb.accepted) {
      if (!a.text?.startsWith(`scale w${k} `)) continue;
      if (tags.has(a.text)) twice++;
      tags.add(a.text);
    }
    const lat = sortNum((r.lat ?? []).map(Number));
    // The timeline: first attempts submitted in each second after the burst was queued.
    const bySecond: number[] = [];
    for (const ms of lat) bySecond[Math.floor(ms / 1000)] = (bySecond[Math.floor(ms / 1000)] ?? 0) + 1;
    // …and attempts recorded (lease taken, attempt row inserted) per second: a stall before or after the insert.
    const insBySecond: number[] = [];
    for (const ms of (r.ins ?? []).map(Number)) insBySecond[Math.floor(ms / 1000)] = (insBySecond[Math.floor(ms / 1000)] ?? 0) + 1;
    results.push({
      workers: k,
      runs: RUNS,
      submitted: r.n,
      succeeded,
      notTerminal: left,
      createToLastSubmitS: round(Number(r.total_s), 2),
      submitsPerSec: round(r.n / Number(r.total_s), 0),
      createToSubmitP50Ms: round(pct(lat, 50), 0),
      createToSubmitP99Ms: round(pct(lat, 99), 0),
      runsWithMoreThanOneAttempt: multi,
      promptsAcceptedTwice: twice,
      submitsBySecond: Array.from(bySecond, (x) => x ?? 0),
      attemptsRecordedBySecond: Array.from(insBySecond, (x) => x ?? 0),
      cpu,
      sandboxLag: "lag" in sb ? sb.lag : null,
    });
    note(`${k} worker(s): ${JSON.stringify(results.at(-1))}`);
    await Promise.all(workers.map((w) => w.stop()));
  }

  async function queue(tag: string, n: number): Promise<string[]> {
    const r = await q.query<{ id: string }>(
      `WITH ids AS (SELECT 'run_scale_' || $3 || '_' || $5 || '_' || g AS id, g FROM generate_series(1, $4::int) g),
            run AS (INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs)
                    SELECT id, $1, $2, 'queued', jsonb_build_object('prompt', 'scale ' || $3 || ' ' || g) FROM ids RETURNING id),
            ev AS (INSERT INTO "RunEvent" ("runId", type, data) SELECT id, 'status', '{"status":"queued"}'::jsonb FROM run RETURNING "runId")
       SELECT "runId" AS id, graphile_worker.add_job($6, json_build_object('runId', "runId"), job_key := "runId", max_attempts := 25) FROM ev`,
      [dep.id, versionId, tag, n, process.pid, DISPATCH_TASK],
    );
    return r.rows.map((x) => x.id);
  }

  const one = results.find((x) => x.workers === 1)?.submitsPerSec as number | undefined;
  const most = results.at(-1)?.submitsPerSec as number | undefined;
  const doubles = results.reduce((s, x) => s + (x.runsWithMoreThanOneAttempt as number) + (x.promptsAcceptedTwice as number), 0);
  const targets: Target[] = [
    { name: "double dispatches (all sizes)", target: "0", measured: doubles, pass: doubles === 0 },
    { name: `throughput ${SIZES.at(-1)} workers / 1 worker`, target: "> 1", measured: one && most ? round(most / one, 2) : null, pass: !!one && !!most && most > one },
    { name: "runs left behind", target: "0", measured: results.reduce((s, x) => s + (x.notTerminal as number), 0), pass: results.every((x) => x.notTerminal === 0) },
  ];
  report("scale", flags, { params: { runs: RUNS, workers: SIZES, sandbox: `comfyui execMs 0 (${inProcess ? "in the bench process" : "own process"})`, db: db.kind }, results, targets });
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await db.stop();
}
process.exit(0);
