// The serverless half shared by the RunPod and RunComfy personalities: a job queue served by
// simulated workers (cold start, stuck, crash, execution timeout) that each drive an in-process
// sandbox ComfyUI the way worker-comfyui drives ComfyUI (upload → /prompt → wait → /history → /view).
import { randomUUID } from "node:crypto";
import type { Faults } from "./faults";
import { ComfyEngine, type ApiPrompt } from "./comfy/engine";
import type { ObjectInfoMap } from "./comfy/validate";
import type http from "node:http";
import { parseFaults } from "./faults";
import { readJson, sendJson, sleep } from "./util";

export type JobState = "queued" | "running" | "completed" | "failed" | "cancelled" | "timed_out";

export interface OutputFile {
  nodeId: string;
  key: string;
  filename: string;
  subfolder: string;
  type: string;
  data: Buffer;
}

export interface ServerlessJob {
  id: string;
  state: JobState;
  input: { workflow?: unknown; images?: { name: string; image: string }[] };
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  workerId?: string;
  coldStartMs?: number;
  promptId?: string;
  outputs?: Record<string, Record<string, unknown>>;
  files?: OutputFile[];
  /** worker-comfyui's error text (validation / execution / crash). */
  error?: string;
  errorDetails?: string[];
  warnings?: string[];
  executionTimeoutMs?: number;
  retries: number;
  meta: Record<string, unknown>;
}

interface Worker {
  id: string;
  state: "cold" | "initializing" | "idle" | "running";
  engine: ComfyEngine;
  job?: ServerlessJob;
  /** The prompt this worker waits for (the job's own field may be reset by /retry meanwhile). */
  promptId?: string;
  waiter?: (r: { kind: "success" | "error" | "interrupted" | "crash"; data?: any }) => void;
}

export interface ServerlessOptions {
  objectInfo: ObjectInfoMap;
  faults: Faults;
  rng: () => number;
  workers?: number;
  onTerminal?: (job: ServerlessJob) => void;
  onProgress?: (job: ServerlessJob, msg: { type: string; data: any }) => void;
  /** RunComfy returns every output kind; worker-comfyui only images and audio. */
  anyOutput?: boolean;
}

const TERMINAL: JobState[] = ["completed", "failed", "cancelled", "timed_out"];

export class ServerlessBackend {
  jobs = new Map<string, ServerlessJob>();
  private queue: ServerlessJob[] = [];
  private workers: Worker[] = [];
  private stopped = false;
  private pumping = false;
  counters = { completed: 0, failed: 0, retried: 0 };
  /** RunPod's "Max Workers" (management API): 0 stops every worker; setting it back boots fresh ones. */
  workersMax: number;

  constructor(private opts: ServerlessOptions) {
    this.workersMax = Math.max(1, opts.workers ?? 1);
    for (let i = 0; i < Math.max(1, opts.workers ?? 1); i++) {
      const w: Worker = { id: `sandbox-worker-${i + 1}-${randomUUID().slice(0, 8)}`, state: "cold" } as Worker;
      w.engine = new ComfyEngine(opts.objectInfo, opts.faults, opts.rng, {
        send: (_client, msg) => this.onEngineMessage(w, msg),
        crash: () => this.onCrash(w),
        restart: () => this.onCrash(w),
        dropClient: () => {},
      });
      // worker-comfyui's ComfyUI has no cold start of its own here: the worker pays it.
      w.engine.faults = { ...opts.faults, coldStartMs: 0 };
      this.workers.push(w);
    }
  }

  get faults() {
    return this.opts.faults;
  }

  /** Keep the engines' copy of the knobs in sync (cold start is the worker's, not ComfyUI's). */
  syncFaults() {
    for (const w of this.workers) w.engine.faults = { ...this.opts.faults, coldStartMs: 0 };
    this.pump();
  }

  submit(input: ServerlessJob["input"], meta: Record<string, unknown> = {}, executionTimeoutMs?: number): ServerlessJob {
    const job: ServerlessJob = { id: `${randomUUID()}-u1`, state: "queued", input, createdAt: Date.now(), retries: 0, meta, executionTimeoutMs };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.pump();
    return job;
  }

  get(id: string): ServerlessJob | undefined {
    this.sweep();
    return this.jobs.get(id);
  }

  cancel(id: string): ServerlessJob | undefined {
    const job = this.get(id);
    if (!job || TERMINAL.includes(job.state)) return job;
    if (job.state === "queued") this.queue = this.queue.filter((j) => j !== job);
    else {
      const w = this.workers.find((x) => x.job === job);
      if (w && job.promptId) w.engine.interrupt(job.promptId);
    }
    this.finish(job, "cancelled");
    return job;
  }

  retry(id: string): ServerlessJob | undefined {
    const job = this.get(id);
    if (!job || !(job.state === "failed" || job.state === "timed_out")) return undefined;
    Object.assign(job, { state: "queued", startedAt: undefined, completedAt: undefined, outputs: undefined, files: undefined, error: undefined, errorDetails: undefined, promptId: undefined });
    job.retries++;
    this.counters.retried++;
    this.queue.push(job);
    this.pump();
    return job;
  }

  purgeQueue(): number {
    const n = this.queue.length;
    for (const j of this.queue) this.finish(j, "cancelled");
    this.queue = [];
    return n;
  }

  /**
   * Scale the workers (RunPod's management API, PATCH workersMax). Going to 0 terminates every
   * worker: a running job goes back to the queue and the `stuck` fault (wedged / throttled workers)
   * is cleared, since the workers that come back are fresh, cold ones.
   */
  setWorkersMax(n: number) {
    this.workersMax = Math.max(0, Math.min(n, this.workers.length));
    if (this.workersMax === 0) {
      this.opts.faults.stuck = false;
      for (const w of this.workers) {
        const job = w.job;
        if (job && job.state === "running") {
          if (job.promptId) w.engine.interrupt(job.promptId);
          Object.assign(job, { state: "queued", startedAt: undefined, promptId: undefined, workerId: undefined });
          this.queue.unshift(job);
        }
        w.state = "cold";
      }
    }
    this.syncFaults();
  }

  queuePosition(job: ServerlessJob): number | null {
    const i = this.queue.indexOf(job);
    return i < 0 ? null : i;
  }

  health() {
    const by = (s: Worker["state"]) => this.workers.filter((w) => w.state === s).length;
    const stuck = this.opts.faults.stuck;
    return {
      jobs: {
        completed: this.counters.completed,
        failed: this.counters.failed,
        inProgress: [...this.jobs.values()].filter((j) => j.state === "running").length,
        inQueue: this.queue.length,
        retried: this.counters.retried,
      },
      workers: {
        idle: stuck ? 0 : by("idle") + by("cold"),
        initializing: by("initializing"),
        ready: stuck ? 0 : by("idle"),
        running: by("running"),
        throttled: stuck ? this.workers.length : 0,
        unhealthy: 0,
      },
    };
  }

  stop() {
    this.stopped = true;
    for (const w of this.workers) w.engine.stop();
  }

  private sweep() {
    const ttl = this.opts.faults.resultTtlS * 1000;
    if (ttl <= 0) return;
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.completedAt && now - j.completedAt > ttl) this.jobs.delete(id);
  }

  private finish(job: ServerlessJob, state: JobState) {
    if (TERMINAL.includes(job.state)) return;
    job.state = state;
    job.completedAt = Date.now();
    if (state === "completed") this.counters.completed++;
    if (state === "failed") this.counters.failed++;
    this.opts.onTerminal?.(job);
  }

  private pump() {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      while (!this.opts.faults.stuck && this.queue.length) {
        const w = this.workers.slice(0, this.workersMax).find((x) => x.state === "idle" || x.state === "cold");
        if (!w) break;
        const job = this.queue.shift()!;
        void this.runJob(w, job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async runJob(w: Worker, job: ServerlessJob) {
    w.job = job;
    job.workerId = w.id;
    if (w.state === "cold" && this.opts.faults.coldStartMs > 0) {
      w.state = "initializing";
      job.coldStartMs = this.opts.faults.coldStartMs;
      await sleep(this.opts.faults.coldStartMs);
      if (this.stopped) return;
    }
    w.state = "running";
    if (job.state !== "queued") return this.release(w); // cancelled while the worker booted
    job.state = "running";
    job.startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    if (job.executionTimeoutMs) {
      timer = setTimeout(() => {
        if (job.promptId) w.engine.interrupt(job.promptId);
        this.finish(job, "timed_out");
        job.error = `job exceeded its execution timeout of ${job.executionTimeoutMs} ms`;
      }, job.executionTimeoutMs);
    }
    try {
      await this.handler(w, job);
    } catch (e) {
      if (job.state === "running") {
        job.error = `An unexpected error occurred: ${(e as Error).message}`;
        this.finish(job, "failed");
      }
    } finally {
      clearTimeout(timer);
      this.release(w);
    }
  }

  private release(w: Worker) {
    w.job = undefined;
    w.promptId = undefined;
    w.waiter = undefined;
    if (w.state !== "cold") w.state = "idle";
    this.pump();
  }

  /** What worker-comfyui's handler does, against the in-process ComfyUI. */
  private async handler(w: Worker, job: ServerlessJob) {
    const input = job.input;
    if (!input || typeof input !== "object") return this.fail(job, "Please provide input");
    const workflow = input.workflow;
    if (!workflow || typeof workflow !== "object") return this.fail(job, "Missing 'workflow' parameter");
    const images = input.images;
    if (images !== undefined && (!Array.isArray(images) || !images.every((i) => i && typeof i.name === "string" && typeof i.image === "string"))) {
      return this.fail(job, "'images' must be a list of objects with 'name' and 'image' keys");
    }
    for (const img of images ?? []) {
      const b64 = img.image.includes(",") ? img.image.split(",", 2)[1] : img.image;
      w.engine.putInputFile("", img.name.replace(/\\/g, "/").split("/").pop()!, Buffer.from(b64, "base64"));
    }
    const clientId = randomUUID();
    const done = new Promise<{ kind: "success" | "error" | "interrupted" | "crash"; data?: any }>((resolve) => (w.waiter = resolve));
    job.promptId = w.promptId = randomUUID();
    const res = await w.engine.submit({ prompt: workflow as ApiPrompt, client_id: clientId, prompt_id: job.promptId });
    if (res.status !== 200) return this.fail(job, workerValidationMessage(res.body));
    const outcome = await done;
    if (job.state !== "running") return;
    if (outcome.kind === "crash") return this.fail(job, "WebSocket communication error: ComfyUI HTTP unreachable during websocket reconnect");
    const errors: string[] = [];
    if (outcome.kind === "error") {
      const d = outcome.data;
      errors.push(`Workflow execution error: Node Type: ${d.node_type}, Node ID: ${d.node_id}, Message: ${d.exception_message}`);
    }
    if (outcome.kind === "interrupted") errors.push("Workflow execution was interrupted");
    const hist = w.engine.history.get(w.promptId!);
    const outputs = hist?.outputs ?? {};
    const files: OutputFile[] = [];
    for (const [nodeId, out] of Object.entries(outputs)) {
      for (const [key, items] of Object.entries(out)) {
        if (!Array.isArray(items)) continue;
        for (const it of items as any[]) {
          if (!it || typeof it.filename !== "string") continue;
          const f = w.engine.getFile(it.type, it.subfolder ?? "", it.filename);
          if (f) files.push({ nodeId, key, filename: it.filename, subfolder: it.subfolder ?? "", type: it.type, data: f.data });
        }
      }
    }
    job.outputs = outputs;
    job.files = files;
    if (this.opts.anyOutput) {
      if (errors.length) {
        job.errorDetails = errors;
        return this.fail(job, "Job processing failed");
      }
      return this.finish(job, "completed");
    }
    const delivered = files.filter((f) => f.type !== "temp" && (f.key === "images" || f.key === "audio"));
    if (!delivered.length && !errors.length) errors.push(`No outputs found in history for prompt ${job.promptId}.`);
    if (errors.length && !delivered.length) {
      job.errorDetails = errors;
      return this.fail(job, "Job processing failed");
    }
    if (errors.length) job.warnings = errors;
    this.finish(job, "completed");
  }

  private fail(job: ServerlessJob, message: string) {
    if (job.state !== "running" && job.state !== "queued") return;
    job.error = message;
    this.finish(job, "failed");
  }

  private onEngineMessage(w: Worker, msg: { type: string; data: any }) {
    const job = w.job;
    if (!job || !w.promptId || msg.data?.prompt_id !== w.promptId) return;
    this.opts.onProgress?.(job, msg);
    if (msg.type === "execution_success") w.waiter?.({ kind: "success" });
    else if (msg.type === "execution_error") w.waiter?.({ kind: "error", data: msg.data });
    else if (msg.type === "execution_interrupted") w.waiter?.({ kind: "interrupted" });
  }

  private onCrash(w: Worker) {
    w.engine.wipe();
    w.state = "cold";
    w.waiter?.({ kind: "crash" });
  }
}

/** worker-comfyui's queue_workflow() turns ComfyUI's 400 into this text. */
export function workerValidationMessage(body: any): string {
  let message = "Workflow validation failed";
  const details: string[] = [];
  const err = body?.error;
  if (err && typeof err === "object") {
    message = err.message ?? message;
    if (err.type === "prompt_outputs_failed_validation") message = "Workflow validation failed";
  } else if (err) message = String(err);
  for (const [id, ne] of Object.entries<any>(body?.node_errors ?? {})) {
    if (ne && typeof ne === "object") for (const [k, v] of Object.entries(ne)) details.push(`Node ${id} (${k}): ${typeof v === "string" ? v : pyRepr(v)}`);
    else details.push(`Node ${id}: ${ne}`);
  }
  if (details.length) return `${message}:\n${details.map((d) => `• ${d}`).join("\n")}`;
  return `${message}. Raw response: ${JSON.stringify(body)}`;
}

/** Python repr, close enough for messages that mirror Python code. */
function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(", ")}}`;
}

/**
 * `GET/POST /__sandbox/faults` for the serverless personalities: read or change the fault knobs at
 * run time. Returns true when it answered the request.
 */
export async function handleFaultsRoute(
  url: URL,
  method: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  faults: Faults,
  backend: ServerlessBackend,
): Promise<boolean> {
  if (url.pathname !== "/__sandbox/faults") return false;
  if (method === "POST") {
    try {
      Object.assign(faults, parseFaults((await readJson(req, 1 << 20)) as Record<string, unknown>));
      backend.syncFaults();
    } catch (e) {
      sendJson(res, 400, { error: (e as Error).message });
      return true;
    }
  }
  sendJson(res, 200, faults);
  return true;
}
