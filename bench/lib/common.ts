// Shared plumbing for the run-engine benchmarks (bench/load.ts, chaos.ts, kill.ts, memory.ts):
// flags, a fresh database (own embedded PostgreSQL under .data/bench-*, or a fresh database on
// DATABASE_URL's server), the world (endpoints, workflow, deployments via the domain verbs),
// sandboxes that record every prompt they accept, percentiles and the result output.
//
// Import this module FIRST: it sets the engine's env knobs before lib/runs/engine.ts reads them.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "../..");

// ---- env defaults (before any lib/ module that reads them at import time) -----------------------
process.env.FLOWGATE_ALLOW_PRIVATE_URLS ??= "endpoint";
process.env.FLOWGATE_SECRET_KEY ??= "bench-secret-key-not-for-production";
process.env.NEXTAUTH_SECRET ??= "bench-nextauth-secret";
process.env.FLOWGATE_LOG_LEVEL ??= "error";

// ---- flags --------------------------------------------------------------------------------------
export type Flags = Record<string, string | boolean>;
export function parseFlags(argv = process.argv.slice(2)): Flags {
  const out: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const [k, v] = a.slice(2).split("=", 2);
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) out[k] = argv[++i];
    else out[k] = true;
  }
  return out;
}
export function num(flags: Flags, name: string, def: number): number {
  const v = flags[name];
  if (v === undefined || v === true) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

/** Progress lines go to stderr so stdout stays one JSON object with --json. */
export function note(msg: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---- database -----------------------------------------------------------------------------------
export interface BenchDb {
  url: string;
  /** Embedded only: stop and start the cluster again on the same port and data (a PostgreSQL restart). */
  restart?: (downMs?: number) => Promise<void>;
  stop(): Promise<void>;
  /** Embedded only: the cluster's data directory (its postmaster.pid names the server process). */
  pgDir?: string;
  kind: "embedded" | "external";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, migrated database; sets DATABASE_URL, FLOWGATE_DATA_DIR and FLOWGATE_STORAGE_DIR for this process. */
export async function startBenchDb(name: string): Promise<BenchDb> {
  await buildBenchWorker();
  const dataDir = path.join(ROOT, ".data", `bench-${name}-${process.pid}`);
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.FLOWGATE_DATA_DIR = dataDir;
  process.env.FLOWGATE_STORAGE_DIR = path.join(dataDir, "storage");
  let db: BenchDb;
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const dbName = `flowgate_bench_${name}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    const adminUrl = process.env.DATABASE_URL;
    u.pathname = `/${dbName}`;
    db = {
      kind: "external",
      url: u.toString(),
      async stop() {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
        await c.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } else {
    const { startEmbeddedPostgres } = await import("../../lib/db/embedded");
    const port = await freePort();
    const pgDir = path.join(dataDir, "pg");
    let cluster = await startEmbeddedPostgres({ dir: pgDir, port, persistent: true });
    db = {
      kind: "embedded",
      url: cluster.url,
      pgDir,
      async restart(downMs = 0) {
        await cluster.stop();
        if (downMs) await new Promise((r) => setTimeout(r, downMs));
        cluster = await startEmbeddedPostgres({ dir: pgDir, port, persistent: true });
      },
      async stop() {
        await cluster.stop().catch(() => {});
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const { migrate } = await import("../../lib/db/migrate");
  const { installQueueSchema } = await import("../../lib/runs/worker");
  await migrate(db.url);
  await installQueueSchema(db.url);
  process.env.DATABASE_URL = db.url;
  return db;
}

// ---- sandboxes that record what they accept ------------------------------------------------------
export interface Accepted {
  sandbox: string;
  /** ComfyUI: the prompt_id (Flowgate sends the attempt id); RunPod: the job id. */
  jobId: string;
  attemptId?: string;
  runId?: string;
  /** The text of node 6 (the bench puts a unique tag per run there). */
  text?: string;
  at: number;
}

export interface BenchSandbox {
  name: string;
  url: string;
  provider: "comfyui" | "runpod";
  accepted: Accepted[];
  setFaults(f: Record<string, unknown>): void;
  /** ComfyUI only: restart the simulated process now (queue + history wiped). */
  restart?(): void;
  close(): Promise<void>;
}

function nodeText(prompt: unknown): string | undefined {
  const t = (prompt as Record<string, { inputs?: { text?: unknown } }> | undefined)?.["6"]?.inputs?.text;
  return typeof t === "string" ? t : undefined;
}

let runpodHooked: Map<object, BenchSandbox> | null = null;

export async function startRecordingSandbox(name: string, provider: "comfyui" | "runpod", faults: Record<string, unknown>, seed = 1): Promise<BenchSandbox> {
  const { pickFaults, loadObjectInfo, startSandbox } = await import("../../sandbox/index");
  if (provider === "comfyui") {
    const { ComfyServer } = await import("../../sandbox/comfy/server");
    const { seededRandom } = await import("../../sandbox/util");
    const server = new ComfyServer({ host: "127.0.0.1", objectInfo: await loadObjectInfo(), faults: pickFaults(faults), rng: seededRandom(seed) });
    const port = await server.listen(0);
    const sb: BenchSandbox = {
      name,
      url: `http://127.0.0.1:${port}`,
      provider,
      accepted: [],
      setFaults: (f) => server.setFaults(f),
      restart: () => server.goDown("restart"),
      close: () => server.close(),
    };
    const engine = server.engine;
    const orig = engine.submit.bind(engine);
    engine.submit = async (body: any) => {
      const r = await orig(body);
      if (r.status === 200) {
        const fg = body?.extra_data?.flowgate ?? {};
        sb.accepted.push({ sandbox: name, jobId: String(r.body.prompt_id), attemptId: fg.attemptId, runId: fg.runId, text: nodeText(body?.prompt), at: Date.now() });
      }
      return r;
    };
    return sb;
  }
  // RunPod: hook the serverless backend's submit (the job id is RunPod's; the run is known by its tag).
  if (!runpodHooked) {
    runpodHooked = new Map();
    const { ServerlessBackend } = await import("../../sandbox/serverless");
    const orig = ServerlessBackend.prototype.submit;
    const hooked = runpodHooked;
    ServerlessBackend.prototype.submit = function (this: object, input: any, meta?: any, t?: any) {
      const job = orig.call(this as any, input, meta, t);
      const owner = [...hooked.values()].at(-1);
      owner?.accepted.push({ sandbox: owner.name, jobId: job.id, text: nodeText(input?.workflow), at: Date.now() });
      return job;
    } as typeof orig;
  }
  const h = await startSandbox({ provider: "runpod", apiKey: "bench-key", seed, ...faults });
  const sb: BenchSandbox = { name, url: h.url, provider, accepted: [], setFaults: (f) => h.setFaults(f as any), close: () => h.close() };
  runpodHooked.set(sb, sb); // one RunPod sandbox per process in these benchmarks
  return sb;
}

// ---- the world: endpoints, a workflow version, deployments --------------------------------------
/**
 * The same recording sandbox in a child process (bench/lib/sandbox-child.ts): the process being
 * measured does not run it on its own event loop. `sync()` fetches what it accepted so far.
 */
export async function startSandboxProcess(name: string, provider: "comfyui" | "runpod", faults: Record<string, unknown>): Promise<BenchSandbox & { pid: number; sync(): Promise<void>; lag: { maxMs: number; p99Ms: number } | null }> {
  const { fork } = await import("node:child_process");
  const child = fork(path.join(ROOT, "bench", "lib", "sandbox-child.ts"), [name, provider, JSON.stringify(faults)], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`sandbox process ${name} exited with ${code}`)));
    child.on("message", (m: { type: string; url?: string }) => m.type === "ready" && resolve(m.url!));
  });
  let seq = 0;
  const sb = {
    name,
    url,
    provider,
    pid: child.pid!,
    accepted: [] as Accepted[],
    /** The sandbox's event-loop delay (max, p99 in ms) between the last two syncs. */
    lag: null as { maxMs: number; p99Ms: number } | null,
    setFaults: (f: Record<string, unknown>) => void child.send({ type: "setFaults", faults: f }),
    restart: () => void child.send({ type: "restart" }),
    sync: () =>
      new Promise<void>((resolve) => {
        const id = ++seq;
        const on = (m: { type: string; id?: number; accepted?: Accepted[]; lag?: { maxMs: number; p99Ms: number } }) => {
          if (m.type !== "accepted" || m.id !== id) return;
          child.off("message", on);
          sb.accepted = m.accepted!;
          sb.lag = m.lag ?? null;
          resolve();
        };
        child.on("message", on);
        child.send({ type: "accepted", id });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.send({ type: "close" });
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(t);
    },
  };
  return sb;
}

// ---- CPU accounting -------------------------------------------------------------------------------
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** utime + stime (+ reaped children's, `withChildren`) of a process in ms, from /proc; null when gone. */
export function procCpuMs(pid: number, withChildren = false): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields after "(comm)": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

/** CPU ms used by the embedded PostgreSQL so far: the postmaster with its reaped backends, plus live ones. */
export function pgCpuMs(db: BenchDb): number | null {
  if (!db.pgDir) return null;
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(path.join(db.pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  }
  let total = procCpuMs(postmaster, true) ?? 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) * TICK_MS;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/**
 * CPU used by each process of a measurement, as a share of the machine (all cores) over the wall
 * time between `start()` and the returned function's call.
 */
export function cpuMeter(procs: () => Record<string, number | "self" | "pg">, db: BenchDb) {
  const read = () => {
    const out: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(procs())) {
      if (v === "self") {
        const u = process.cpuUsage();
        out[k] = (u.user + u.system) / 1000;
      } else if (v === "pg") out[k] = pgCpuMs(db);
      else out[k] = procCpuMs(v);
    }
    return out;
  };
  const t0 = performance.now();
  const c0 = read();
  return () => {
    const wallMs = performance.now() - t0;
    const c1 = read();
    const capacity = wallMs * os.cpus().length;
    const share: Record<string, number | null> = {};
    let busy = 0;
    for (const k of Object.keys(c1)) {
      const d = c0[k] !== null && c1[k] !== null ? c1[k]! - c0[k]! : null;
      share[k] = d === null ? null : round((100 * d) / capacity, 0);
      busy += d ?? 0;
    }
    return { wallMs: round(wallMs, 0), cpuSharePct: share, oursPct: round((100 * busy) / capacity, 0), loadavg: os.loadavg().map((x) => round(x, 2)) };
  };
}

export async function importBenchWorkflow() {
  const { systemCtx } = await import("../../lib/context");
  const { importWorkflow } = await import("../../lib/workflows/import-workflow");
  const wf = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/fixtures/workflows/comfyui-examples/api/lora__lora.json"), "utf8"));
  const r = await importWorkflow({ ctx: systemCtx(), input: { name: `bench-wf-${process.pid}`, workflow: wf } });
  return r.version.id as string;
}

export async function endpointFor(sb: BenchSandbox) {
  const { systemCtx } = await import("../../lib/context");
  const { createEndpoint } = await import("../../lib/endpoints/create-endpoint");
  if (sb.provider === "runpod") {
    return createEndpoint({ ctx: systemCtx(), input: { name: sb.name, provider: "runpod", config: { baseUrl: sb.url, endpointId: "bench" }, secret: "bench-key", pricePerHourUsd: 2 } });
  }
  return createEndpoint({ ctx: systemCtx(), input: { name: sb.name, provider: "comfyui", config: { baseUrl: sb.url }, pricePerHourUsd: 3.6 } });
}

export async function benchDeployment(slug: string, versionId: string, endpointIds: string[], opts: { timeoutSeconds?: number; maxAttempts?: number; stuckAfterSeconds?: number } = {}) {
  const { systemCtx } = await import("../../lib/context");
  const { createDeployment } = await import("../../lib/deployments/create-deployment");
  return createDeployment({ ctx: systemCtx(), input: {
    name: slug,
    slug,
    workflowVersionId: versionId,
    slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }],
    targets: endpointIds.map((endpointId, priority) => ({ endpointId, priority })),
    ...opts,
  } });
}

// ---- numbers ------------------------------------------------------------------------------------
export function pct(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
export const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const round = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Run fn over items with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await fn(items[i], i);
      }
    }),
  );
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    shared: true,
  };
}

export interface Target {
  name: string;
  target: string;
  measured: number | string | null;
  pass: boolean;
}

/** Print one JSON object (--json) or a human table; always write bench/results/<name>.json. */
export function report(name: string, flags: Flags, result: Record<string, unknown> & { targets: Target[] }) {
  const out = { bench: name, at: new Date().toISOString(), machine: machine(), ...result, pass: result.targets.every((t) => t.pass) };
  const dir = path.join(ROOT, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(out, null, 2) + "\n");
  if (flags.json) {
    process.stdout.write(JSON.stringify(out) + "\n");
    return out;
  }
  const lines: string[] = [`\n${name} benchmark`];
  for (const [k, v] of Object.entries(out)) {
    if (k === "targets" || k === "bench") continue;
    lines.push(`  ${k.padEnd(24)} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  }
  lines.push("", "  target".padEnd(40) + "goal".padEnd(18) + "measured".padEnd(14) + "result");
  for (const t of out.targets) lines.push(`  ${t.name.padEnd(38)}${t.target.padEnd(18)}${String(t.measured).padEnd(14)}${t.pass ? "PASS" : "FAIL"}`);
  lines.push(`\n  overall: ${out.pass ? "PASS" : "FAIL"}\n`);
  process.stdout.write(lines.join("\n") + "\n");
  return out;
}

/** Poll until every run in ids is terminal or the deadline passes; returns the non-terminal count left. */
export async function waitAllTerminal(client: { query: (q: string, p?: unknown[]) => Promise<{ rows: any[] }> }, ids: string[], timeoutMs: number, onTick?: (left: number) => void): Promise<number> {
  const until = Date.now() + timeoutMs;
  let left = ids.length;
  while (Date.now() < until) {
    const r = await client
      .query(`SELECT count(*)::int AS n FROM "Run" WHERE id = ANY($1) AND status NOT IN ('succeeded','failed','canceled','timed_out')`, [ids])
      .catch(() => null);
    if (r) {
      left = r.rows[0].n;
      onTick?.(left);
      if (left === 0) return 0;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  return left;
}

// ---- worker processes ---------------------------------------------------------------------------
import { spawn, type ChildProcess } from "node:child_process";

export interface WorkerProc {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** Resident set size in MB from /proc (null when the process is gone). */
  rssMb(): number | null;
  /** The last few KB the process wrote to stderr. */
  errTail(): string;
  stop(): Promise<void>;
}

/** `node --import tsx worker/index.ts` against the bench database (the production worker entry point). */
/** Bundle the worker the way `npm run worker` does; every bench calls this once before spawnWorker. */
let workerNodeArgs: string[] = [];
export async function buildBenchWorker() {
  // @ts-expect-error plain ESM script without types
  const { buildWorker, WORKER_NODE_ARGS } = await import("../../scripts/build-worker.mjs");
  await buildWorker();
  workerNodeArgs = WORKER_NODE_ARGS;
}

export function spawnWorker(env: Record<string, string> = {}, label = "worker"): WorkerProc {
  // BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  // The production entry point: the esbuild bundle `npm run worker` runs (built by spawnWorker's caller).
  if (!fs.existsSync(path.join(ROOT, "dist", "worker.mjs"))) throw new Error("dist/worker.mjs is missing: call buildBenchWorker() first");
  const child = spawn(process.execPath, [...nodeArgs, ...workerNodeArgs, "dist/worker.mjs"], {
    cwd: ROOT,
    env: {
      ...process.env,
      FLOWGATE_HEALTH_MS: "0",
      FLOWGATE_LOG_LEVEL: process.env.FLOWGATE_LOG_LEVEL ?? "error",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errTail = "";
  // BENCH_WORKER_LOG_DIR=/tmp/x keeps each worker's whole stderr (with FLOWGATE_LOG_LEVEL=info: a line per submit).
  const logFile = process.env.BENCH_WORKER_LOG_DIR ? fs.createWriteStream(path.join(process.env.BENCH_WORKER_LOG_DIR, `worker-${child.pid}.log`)) : null;
  child.stderr?.on("data", (d: Buffer) => {
    errTail = (errTail + d.toString()).slice(-4000);
    logFile?.write(d);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, sig) => {
      if (code && code !== 0 && sig !== "SIGKILL") note(`${label} ${child.pid} exited with ${code}: ${errTail.trim().split("\n").slice(-5).join(" | ")}`);
      resolve(code);
    }),
  );
  return {
    child,
    pid: child.pid!,
    exited,
    errTail: () => errTail,
    rssMb() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : null;
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}
