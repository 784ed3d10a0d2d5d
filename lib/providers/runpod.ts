// RunPod Serverless adapter for endpoints running worker-comfyui: /v2/{endpointId}/run|status|
// cancel|health|purge-queue with a Bearer key. Input {workflow, images[base64]}; both output
// shapes (5.x images[] base64 / s3_url, legacy `message`); failures classified from the worker's text.
import { z } from "zod";
import { httpRequest, isObject, parseJson, statusError, excerpt } from "./http";
import { describeFile, sanitizeFilename, uniqueNames } from "./outputs";
import {
  ProviderError,
  type BillingBucket,
  type BillingBucketSize,
  type Capabilities,
  type EndpointTarget,
  type HealthReport,
  type Provider,
  type ProviderOutput,
  type ProviderStatus,
  type SubmitJob,
} from "./types";

/** RunPod refuses /run bodies above ~10 MB. */
export const RUNPOD_RUN_LIMIT_BYTES = 10 * 1024 * 1024;

interface RunpodConfig {
  base: string;
  endpointId: string;
  key: string;
  timeoutMs: number;
  maxPayloadBytes: number;
  maxOutputBytes: number;
  /** Management API (REST) for "restart": set workersMax to 0 then back. Only when configured. */
  managementUrl?: string;
  executionTimeoutMs?: number;
}

function runpodConfig(ep: EndpointTarget): RunpodConfig {
  const c = ep.config ?? {};
  const endpointId = typeof c.endpointId === "string" ? c.endpointId.trim() : "";
  if (!endpointId || !/^[A-Za-z0-9_-]+$/.test(endpointId)) {
    throw new ProviderError("final", "bad_config", `endpoint ${ep.id}: config.endpointId must be a RunPod endpoint id, got ${JSON.stringify(c.endpointId ?? null)}`);
  }
  if (!ep.secret) throw new ProviderError("final", "bad_config", `endpoint ${ep.id}: a RunPod API key is required`);
  const baseUrl = (typeof c.baseUrl === "string" && c.baseUrl ? c.baseUrl : "https://api.runpod.ai").replace(/\/+$/, "").replace(/\/v2$/, "");
  return {
    base: `${baseUrl}/v2/${endpointId}`,
    endpointId,
    key: ep.secret,
    timeoutMs: typeof c.timeoutMs === "number" && c.timeoutMs > 0 ? c.timeoutMs : 15_000,
    maxPayloadBytes: typeof c.maxPayloadBytes === "number" && c.maxPayloadBytes > 0 ? c.maxPayloadBytes : RUNPOD_RUN_LIMIT_BYTES,
    maxOutputBytes: typeof c.maxOutputBytes === "number" && c.maxOutputBytes > 0 ? c.maxOutputBytes : 512 * 1024 * 1024,
    managementUrl: typeof c.managementUrl === "string" && c.managementUrl ? c.managementUrl.replace(/\/+$/, "") : undefined,
    executionTimeoutMs: typeof c.executionTimeoutMs === "number" ? c.executionTimeoutMs : undefined,
  };
}

/** RunPod's REST API root for an endpoint: config.managementUrl; else `<baseUrl>/v1` for a custom base (a proxy or the sandbox, which serves both); else rest.runpod.io/v1. */
export function runpodRestRoot(ep: EndpointTarget): string {
  const c = ep.config ?? {};
  if (typeof c.managementUrl === "string" && c.managementUrl) return c.managementUrl.replace(/\/+$/, "");
  if (typeof c.baseUrl === "string" && c.baseUrl) return `${c.baseUrl.replace(/\/+$/, "").replace(/\/v2$/, "")}/v1`;
  return "https://rest.runpod.io/v1";
}

/** Bounds on a billing answer: a hostile or broken backend cannot make us store or parse much. */
export const BILLING_MAX_BYTES = 2 * 1024 * 1024;
export const BILLING_MAX_RECORDS = 5000;
/** RunPod's billing record (GET /v1/billing/endpoints, grouping=endpointId); unknown fields are dropped. */
const BillingRecord = z.object({
  amount: z.number().finite().min(0).max(1e7),
  time: z.string().max(40).refine((t) => Number.isFinite(Date.parse(t)), "not a time"),
  endpointId: z.string().max(200).nullish(),
  timeBilledMs: z.number().finite().min(0).max(1e13).nullish(),
  diskSpaceBilledGB: z.number().finite().min(0).max(1e9).nullish(),
});
const BillingAnswer = z.array(BillingRecord).max(BILLING_MAX_RECORDS);
const BUCKET_MS: Record<BillingBucketSize, number> = { hour: 3_600_000, day: 86_400_000 };

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export class RunpodProvider implements Provider {
  readonly kind = "runpod";

  capabilities(ep: EndpointTarget): Capabilities {
    const managed = typeof ep.config?.managementUrl === "string" && !!ep.config.managementUrl;
    return { progress: false, cancel: true, restart: managed, purgeQueue: true, objectInfo: false, idempotentSubmit: false };
  }

  private async call(cfg: RunpodConfig, op: string, init: { method?: string; body?: string; timeoutMs?: number; signal?: AbortSignal; maxBytes?: number } = {}) {
    const method = init.method ?? (init.body !== undefined ? "POST" : "GET");
    const res = await httpRequest(`${cfg.base}/${op}`, {
      method,
      headers: { Authorization: `Bearer ${cfg.key}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: init.body,
      timeoutMs: init.timeoutMs ?? cfg.timeoutMs,
      signal: init.signal,
      maxBytes: init.maxBytes ?? cfg.maxOutputBytes * 2,
      what: `${method} /${op.split("/")[0]}`,
    });
    return res;
  }

  async submit(ep: EndpointTarget, job: SubmitJob, opts: { signal?: AbortSignal } = {}): Promise<{ providerJobId: string }> {
    const cfg = runpodConfig(ep);
    const input: Record<string, unknown> = { workflow: job.prompt };
    if (job.images.length) input.images = job.images.map((i) => ({ name: i.name, image: i.data.toString("base64") }));
    const body: Record<string, unknown> = { input };
    if (job.webhookUrl) body.webhook = job.webhookUrl;
    if (cfg.executionTimeoutMs) body.policy = { executionTimeout: cfg.executionTimeoutMs };
    const text = JSON.stringify(body);
    const size = Buffer.byteLength(text);
    if (size > cfg.maxPayloadBytes) {
      throw new ProviderError(
        "final",
        "input_too_large",
        `the request is ${mb(size)}, above RunPod's ${mb(cfg.maxPayloadBytes)} limit for /run (input images travel base64-encoded inside it); send smaller images`,
        { details: { bytes: size, limitBytes: cfg.maxPayloadBytes } },
      );
    }
    const res = await this.call(cfg, "run", { body: text, signal: opts.signal, timeoutMs: Math.max(cfg.timeoutMs, 60_000) });
    if (res.status !== 200) throw statusError(res, "POST /run");
    const data = parseJson(res, "POST /run");
    if (!isObject(data) || typeof data.id !== "string" || !data.id) {
      throw new ProviderError("retryable", "unexpected_response", `POST /run: expected {id, status}, got ${excerpt(JSON.stringify(data))}`);
    }
    return { providerJobId: data.id };
  }

  async status(ep: EndpointTarget, providerJobId: string, opts: { signal?: AbortSignal } = {}): Promise<ProviderStatus> {
    const cfg = runpodConfig(ep);
    const res = await this.call(cfg, `status/${encodeURIComponent(providerJobId)}`, { signal: opts.signal, timeoutMs: Math.max(cfg.timeoutMs, 60_000) });
    if (res.status === 404) {
      return {
        state: "failed",
        error: new ProviderError("lost", "job_lost", `RunPod no longer knows job ${providerJobId} (results are deleted 30 minutes after completion, or the job never reached the queue)`),
      };
    }
    if (res.status !== 200) throw statusError(res, "GET /status");
    const data = parseJson(res, "GET /status");
    if (!isObject(data) || typeof data.status !== "string") {
      throw new ProviderError("retryable", "unexpected_response", `GET /status: expected {id, status}, got ${excerpt(JSON.stringify(data))}`);
    }
    const queueMs = typeof data.delayTime === "number" ? data.delayTime : undefined;
    const executionMs = typeof data.executionTime === "number" ? data.executionTime : undefined;
    switch (data.status) {
      case "IN_QUEUE":
        return { state: "queued", queuePosition: null };
      case "IN_PROGRESS":
        return { state: "running" };
      case "CANCELLED":
        return { state: "canceled" };
      case "TIMED_OUT":
        return { state: "failed", error: new ProviderError("retryable", "timed_out", `RunPod timed out job ${providerJobId} (execution timeout reached)`) };
      case "FAILED":
        return { state: "failed", error: classifyFailure(data.error, data.output) };
      case "COMPLETED": {
        const out = data.output;
        const outputs = await this.collectOutputs(cfg, out);
        if (!outputs.length) {
          const err = isObject(out) && (out.error || out.errors) ? classifyFailure(out.error ?? "", out) : null;
          return {
            state: "failed",
            error: err ?? new ProviderError("final", "no_outputs", `RunPod job ${providerJobId} completed without any output files${isObject(out) && out.status ? ` (status ${out.status})` : ""}`),
          };
        }
        return { state: "succeeded", outputs, queueMs, executionMs };
      }
      default:
        throw new ProviderError("retryable", "unexpected_response", `GET /status: unknown RunPod status ${JSON.stringify(data.status)}`);
    }
  }

  private async collectOutputs(cfg: RunpodConfig, out: unknown): Promise<ProviderOutput[]> {
    if (!isObject(out)) return [];
    const result: ProviderOutput[] = [];
    const take = async (item: unknown, i: number, key: string) => {
      if (!isObject(item) || typeof item.data !== "string") return;
      const name = sanitizeFilename(item.filename, `output-${i + 1}.${key === "audio" ? "wav" : "png"}`);
      const { contentType, kind } = describeFile(name, { key });
      const o: ProviderOutput = { nodeId: typeof item.node_id === "string" ? item.node_id : "", filename: name, contentType, kind };
      if (item.type === "s3_url" || /^https?:\/\//.test(item.data)) o.url = item.data;
      else o.data = decodeBase64(item.data, cfg.maxOutputBytes, name);
      result.push(o);
    };
    let i = 0;
    for (const key of ["images", "audio", "videos", "gifs"]) {
      const list = out[key];
      if (Array.isArray(list)) for (const item of list) await take(item, i++, key);
    }
    // worker-comfyui before 5.0: {"message": "<base64 or URL>", "status": "success"}
    if (!result.length && typeof out.message === "string" && out.message) {
      const m = out.message;
      if (/^https?:\/\//.test(m)) {
        const name = sanitizeFilename(decodeURIComponent(new URL(m).pathname.split("/").pop() ?? ""), "output-1.png");
        result.push({ nodeId: "", filename: name, ...describeFile(name), url: m });
      } else {
        const data = decodeBase64(m, cfg.maxOutputBytes, "output-1.png");
        const name = sniffName(data, "output-1");
        result.push({ nodeId: "", filename: name, ...describeFile(name), data });
      }
    }
    return uniqueNames(result);
  }

  async cancel(ep: EndpointTarget, providerJobId: string): Promise<void> {
    const cfg = runpodConfig(ep);
    const res = await this.call(cfg, `cancel/${encodeURIComponent(providerJobId)}`, { body: "{}" });
    if (res.status === 404) return; // already gone
    if (res.status !== 200) throw statusError(res, "POST /cancel");
  }

  async health(ep: EndpointTarget, opts: { timeoutMs?: number } = {}): Promise<HealthReport> {
    const started = Date.now();
    try {
      const cfg = runpodConfig(ep);
      const res = await this.call(cfg, "health", { timeoutMs: opts.timeoutMs ?? Math.min(cfg.timeoutMs, 10_000) });
      const latencyMs = Date.now() - started;
      if (res.status !== 200) {
        const err = statusError(res, "GET /health");
        return { ok: false, latencyMs, message: err.message, details: { code: err.code } };
      }
      const data = parseJson(res, "GET /health");
      if (!isObject(data) || !isObject(data.workers) || !isObject(data.jobs)) {
        return { ok: false, latencyMs, message: `GET /health: not a RunPod answer: ${excerpt(JSON.stringify(data))}` };
      }
      const w = data.workers;
      const n = (v: unknown) => (typeof v === "number" ? v : 0);
      const workers = { idle: n(w.idle), running: n(w.running), initializing: n(w.initializing), unhealthy: n(w.unhealthy) };
      const inQueue = n(data.jobs.inQueue);
      const capacity = n(w.idle) + n(w.ready) + n(w.running) + n(w.initializing);
      const stuck = inQueue > 0 && capacity === 0;
      return {
        ok: !stuck,
        latencyMs,
        queueDepth: inQueue + n(data.jobs.inProgress),
        workers,
        message: stuck ? `${inQueue} job(s) queued but no worker can start (throttled: ${n(w.throttled)}, unhealthy: ${n(w.unhealthy)})` : undefined,
        details: { jobs: data.jobs, workers: data.workers },
      };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, message: (e as Error).message, details: e instanceof ProviderError ? { code: e.code } : undefined };
    }
  }

  async purgeQueue(ep: EndpointTarget): Promise<{ removed?: number; message: string }> {
    const cfg = runpodConfig(ep);
    const res = await this.call(cfg, "purge-queue", { body: "{}" });
    if (res.status !== 200) throw statusError(res, "POST /purge-queue");
    const data = parseJson(res, "POST /purge-queue");
    const removed = isObject(data) && typeof data.removed === "number" ? data.removed : undefined;
    return { removed, message: `purged ${removed ?? "the"} queued job(s) of RunPod endpoint ${cfg.endpointId}; running jobs continue` };
  }

  /**
   * GET {REST root}/billing/endpoints?endpointId=&bucketSize=&grouping=endpointId&startTime=&endTime=
   * (RunPod REST API v1 "Serverless billing history"): the amounts RunPod billed this endpoint per
   * bucket. The answer is validated (a JSON array of at most BILLING_MAX_RECORDS records, body at most
   * BILLING_MAX_BYTES); records of other endpoints are ignored; one bucket's records are summed.
   */
  async fetchBilling(ep: EndpointTarget, q: { from: Date; to: Date; bucketSize: BillingBucketSize }, opts: { signal?: AbortSignal } = {}): Promise<BillingBucket[]> {
    const cfg = runpodConfig(ep);
    const qs = new URLSearchParams({ endpointId: cfg.endpointId, bucketSize: q.bucketSize, grouping: "endpointId", startTime: q.from.toISOString(), endTime: q.to.toISOString() });
    const what = "GET /billing/endpoints";
    const res = await httpRequest(`${runpodRestRoot(ep)}/billing/endpoints?${qs}`, {
      headers: { Authorization: `Bearer ${cfg.key}` },
      timeoutMs: Math.max(cfg.timeoutMs, 30_000),
      signal: opts.signal,
      maxBytes: BILLING_MAX_BYTES,
      what,
    });
    if (res.status !== 200) throw statusError(res, what);
    const parsed = BillingAnswer.safeParse(parseJson(res, what));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProviderError("retryable", "billing_response_invalid", `${what}: not a RunPod billing answer (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"})`, {
        details: { issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message })) },
      });
    }
    const byStart = new Map<number, BillingBucket>();
    for (const r of parsed.data) {
      if (r.endpointId && r.endpointId !== cfg.endpointId) continue;
      const start = Date.parse(r.time);
      const b = byStart.get(start) ?? { bucketStart: new Date(start), bucketEnd: new Date(start + BUCKET_MS[q.bucketSize]), amountUsd: 0, raw: [] };
      b.amountUsd += r.amount;
      b.raw.push(r);
      byStart.set(start, b);
    }
    return [...byStart.values()].sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime());
  }

  async restart(ep: EndpointTarget): Promise<{ message: string }> {
    const cfg = runpodConfig(ep);
    if (!cfg.managementUrl) {
      throw new ProviderError(
        "final",
        "restart_unsupported",
        `RunPod has no restart call for a serverless endpoint. Purge the queue, then cycle the workers in the RunPod console (set Max Workers to 0, then back), or set config.managementUrl (e.g. https://rest.runpod.io/v1) so Flowgate can do it with this key`,
      );
    }
    const purged = await this.purgeQueue(ep);
    const url = `${cfg.managementUrl}/endpoints/${cfg.endpointId}`;
    const headers = { Authorization: `Bearer ${cfg.key}`, "content-type": "application/json" };
    const cur = await httpRequest(url, { headers, timeoutMs: 15_000, what: "GET management endpoint" });
    if (cur.status !== 200) throw statusError(cur, "GET management endpoint");
    const info = parseJson(cur, "GET management endpoint");
    const workersMax = isObject(info) && typeof info.workersMax === "number" ? info.workersMax : 1;
    for (const value of [0, workersMax]) {
      const r = await httpRequest(url, { method: "PATCH", headers, body: JSON.stringify({ workersMax: value }), timeoutMs: 15_000, what: "PATCH management endpoint" });
      if (r.status >= 300) throw statusError(r, "PATCH management endpoint");
    }
    return { message: `${purged.message}; cycled workers (max workers 0 → ${workersMax})` };
  }
}

function decodeBase64(s: string, max: number, name: string): Buffer {
  const b64 = s.includes(",") && s.startsWith("data:") ? s.slice(s.indexOf(",") + 1) : s;
  if (b64.length * 0.75 > max) throw new ProviderError("final", "output_too_large", `output ${name} is larger than the ${mb(max)} limit`);
  return Buffer.from(b64, "base64");
}

function sniffName(data: Buffer, stem: string): string {
  if (data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return `${stem}.png`;
  if (data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return `${stem}.jpg`;
  if (data.subarray(0, 4).toString("latin1") === "RIFF" && data.subarray(8, 12).toString("latin1") === "WEBP") return `${stem}.webp`;
  if (data.subarray(0, 3).toString("latin1") === "GIF") return `${stem}.gif`;
  return `${stem}.bin`;
}

/** worker-comfyui's error texts → class. Validation and workflow errors are final; the rest is the worker's trouble. */
function classifyFailure(error: unknown, output: unknown): ProviderError {
  let text = "";
  let extra: unknown;
  if (typeof error === "string") {
    text = error;
    if (/^\s*\{/.test(error)) {
      try {
        const parsed = JSON.parse(error);
        extra = parsed;
        text = String(parsed.error_message ?? parsed.error ?? parsed.message ?? error);
      } catch {
        /* plain text after all */
      }
    }
  } else if (isObject(error)) {
    extra = error;
    text = String(error.message ?? error.error_message ?? JSON.stringify(error));
  }
  const details: string[] = isObject(output) && Array.isArray(output.details) ? output.details.map(String) : [];
  if (isObject(output) && Array.isArray(output.errors)) details.push(...output.errors.map(String));
  if (isObject(output) && typeof output.details === "string") details.push(output.details);
  const full = [text, ...details].filter(Boolean).join("\n");
  const info = { error: extra ?? text, details };
  const exec = /Workflow execution error: Node Type: ([^,]*), Node ID: ([^,]*), Message: ([\s\S]*)/.exec(full);
  if (exec) {
    const [, nodeType, nodeId, msg] = exec;
    const oom = /out of memory/i.test(msg);
    return new ProviderError(oom ? "retryable" : "final", oom ? "out_of_memory" : "execution_error", `${nodeType} (node ${nodeId}): ${msg.trim()}`, { nodeId, details: info });
  }
  if (/validation failed|not in list|not in \[|Cannot execute because|Prompt has no outputs|Invalid .* file/i.test(full)) {
    const node = /Node (\S+?) \(/.exec(full)?.[1];
    return new ProviderError("final", "validation_failed", full, { nodeId: node, details: info });
  }
  if (/Missing 'workflow' parameter|Please provide input|'images' must be|Invalid JSON format in input|Error decoding base64/i.test(full)) {
    return new ProviderError("final", "bad_input", full, { details: info });
  }
  return new ProviderError("retryable", "worker_failed", full ? `the RunPod worker failed: ${full}` : "the RunPod worker failed without a message", { details: info });
}

export const runpodProvider = new RunpodProvider();
