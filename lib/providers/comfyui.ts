// ComfyUI server adapter ("pod"): /upload/image, /prompt with our own prompt_id (= attempt id),
// /history as the truth for status and outputs, /queue for position, one shared WebSocket per
// endpoint for live progress hints, /view downloads, prompt-scoped cancel.
import { httpRequest, isObject, parseJson, statusError, excerpt, type HttpResponse } from "./http";
import { describeFile, sanitizeFilename, uniqueNames } from "./outputs";
import { progressHub } from "./progress-hub";
import { mark as traceMark } from "@/lib/trace";
import {
  ProviderError,
  type ApiPrompt,
  type Capabilities,
  type EndpointTarget,
  type HealthReport,
  type Provider,
  type ProviderOutput,
  type ProviderStatus,
  type SubmitJob,
} from "./types";

export interface ComfyConfig {
  baseUrl: string;
  headers: Record<string, string>;
  restartUrl?: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

const DEFAULT_MAX_OUTPUT = 512 * 1024 * 1024;

export function comfyConfig(ep: EndpointTarget): ComfyConfig {
  const c = ep.config ?? {};
  const raw = typeof c.baseUrl === "string" ? c.baseUrl.trim() : "";
  let url: URL;
  try {
    url = new URL(raw);
    if (!/^https?:$/.test(url.protocol)) throw new Error("protocol");
  } catch {
    throw new ProviderError("final", "bad_config", `endpoint ${ep.id}: config.baseUrl must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  const headers: Record<string, string> = {};
  if (isObject(c.headers)) for (const [k, v] of Object.entries(c.headers)) if (typeof v === "string") headers[k] = v;
  const hasAuth = () => Object.keys(headers).some((k) => k.toLowerCase() === "authorization");
  // URL credentials are secrets: sent as Basic auth, kept out of the base URL (which error messages show).
  if (url.username || url.password) {
    if (!hasAuth()) headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  if (ep.secret && !hasAuth()) headers.Authorization = `Bearer ${ep.secret}`;
  return {
    baseUrl: url.toString().replace(/\/+$/, ""),
    headers,
    restartUrl: typeof c.restartUrl === "string" && c.restartUrl ? c.restartUrl : undefined,
    timeoutMs: typeof c.timeoutMs === "number" && c.timeoutMs > 0 ? c.timeoutMs : 15_000,
    maxOutputBytes: typeof c.maxOutputBytes === "number" && c.maxOutputBytes > 0 ? c.maxOutputBytes : DEFAULT_MAX_OUTPUT,
  };
}

const SAMPLER = (cls: string, inputs: Record<string, unknown>) =>
  (/sampler/i.test(cls) && !/select|scheduler/i.test(cls)) || (typeof inputs?.steps === "number" && !/scheduler/i.test(cls));

function samplerNodes(prompt: ApiPrompt): string[] {
  return Object.entries(prompt)
    .filter(([, n]) => n && SAMPLER(n.class_type, n.inputs ?? {}))
    .map(([id]) => id);
}

const QUEUE_SNAPSHOT_MS = Number(process.env.FLOWGATE_COMFY_QUEUE_SNAPSHOT_MS ?? 250);
const queueSnapshots = new Map<string, { at: number; value: Promise<unknown> }>();

/** Prompt ids we cancelled in this process: their interruption reads as "canceled", not a failure. */
const cancelledHere = new Set<string>();

export class ComfyUIProvider implements Provider {
  readonly kind = "comfyui";

  capabilities(): Capabilities {
    return { progress: true, cancel: true, restart: true, purgeQueue: true, objectInfo: true, idempotentSubmit: true };
  }

  private async call(cfg: ComfyConfig, path: string, init: { method?: string; body?: unknown; form?: FormData; timeoutMs?: number; signal?: AbortSignal; maxBytes?: number } = {}): Promise<HttpResponse> {
    const method = init.method ?? (init.body !== undefined || init.form ? "POST" : "GET");
    const headers = { ...cfg.headers };
    let body: string | FormData | undefined;
    if (init.form) body = init.form;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] = "application/json";
    }
    return httpRequest(cfg.baseUrl + path, {
      method,
      headers,
      body,
      timeoutMs: init.timeoutMs ?? cfg.timeoutMs,
      signal: init.signal,
      maxBytes: init.maxBytes,
      what: `${method} ${path.split("?")[0]}`,
    });
  }

  private async json(cfg: ComfyConfig, path: string, init: Parameters<ComfyUIProvider["call"]>[2] = {}): Promise<unknown> {
    const res = await this.call(cfg, path, init);
    const what = `${init.method ?? (init.body !== undefined ? "POST" : "GET")} ${path.split("?")[0]}`;
    if (res.status < 200 || res.status >= 300) throw statusError(res, what);
    return parseJson(res, what);
  }

  private async ok(cfg: ComfyConfig, path: string, body: unknown) {
    const res = await this.call(cfg, path, { body });
    if (res.status < 200 || res.status >= 300) throw statusError(res, `POST ${path}`);
  }

  async nodeDefinitions(ep: EndpointTarget, opts: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const cfg = comfyConfig(ep);
    const data = await this.json(cfg, "/object_info", { timeoutMs: Math.max(cfg.timeoutMs, 60_000), signal: opts.signal, maxBytes: 256 * 1024 * 1024 });
    if (!isObject(data)) throw new ProviderError("retryable", "unexpected_response", `GET /object_info: expected an object of node definitions, got ${excerpt(JSON.stringify(data))}`);
    return data;
  }

  /** Is this prompt id already known to the server (queued, running or in history)? */
  private async locate(cfg: ComfyConfig, promptId: string, signal?: AbortSignal, opts: { fresh?: boolean } = {}): Promise<{ history?: any; queue?: "running" | "pending"; position?: number; seenQueue: boolean }> {
    const readHistory = async () => {
      const hist = await this.json(cfg, `/history/${encodeURIComponent(promptId)}`, { signal });
      if (!isObject(hist)) throw new ProviderError("retryable", "unexpected_response", `GET /history: expected an object, got ${excerpt(JSON.stringify(hist))}`);
      return isObject(hist[promptId]) ? hist[promptId] : undefined;
    };
    const inQueue = (q: unknown) => {
      if (!isObject(q) || !Array.isArray(q.queue_running) || !Array.isArray(q.queue_pending)) {
        throw new ProviderError("retryable", "unexpected_response", `GET /queue: expected {queue_running, queue_pending}, got ${excerpt(JSON.stringify(q))}`);
      }
      if (q.queue_running.some((r: unknown[]) => Array.isArray(r) && r[1] === promptId)) return { queue: "running" as const, seenQueue: true };
      const pending = [...q.queue_pending].filter(Array.isArray).sort((a: any[], b: any[]) => Number(a[0]) - Number(b[0]));
      const idx = pending.findIndex((r: unknown[]) => r[1] === promptId);
      if (idx >= 0) return { queue: "pending" as const, position: idx + (q.queue_running.length ? 1 : 0), seenQueue: true };
      return null;
    };
    if (opts.fresh) {
      // Queue first, then history: ComfyUI writes the history entry before it drops the prompt from
      // the queue (both under one lock), so a prompt found in neither read is really gone.
      const queued = inQueue(await this.json(cfg, "/queue", { signal }));
      if (queued) return queued;
      const history = await readHistory();
      return history ? { history, seenQueue: true } : { seenQueue: true };
    }
    const history = await readHistory();
    if (history) return { history, seenQueue: false };
    return inQueue(await this.queueSnapshot(cfg, signal)) ?? { seenQueue: true };
  }

  async submit(ep: EndpointTarget, job: SubmitJob, opts: { signal?: AbortSignal } = {}): Promise<{ providerJobId: string }> {
    const cfg = comfyConfig(ep);
    const promptId = job.attemptId;
    // A resubmit after a crash of ours must not queue the same attempt twice. A fresh attempt id
    // cannot be known to the server yet, so a first submit skips the two reads.
    if (job.resume) {
      const known = await this.locate(cfg, promptId, opts.signal, { fresh: true });
      if (known.history || known.queue) {
        await progressHub.track(ep.id, cfg.baseUrl, cfg.headers, promptId, samplerNodes(job.prompt));
        return { providerJobId: promptId };
      }
    }

    let prompt = job.prompt;
    for (const img of job.images) {
      const form = new FormData();
      // Unique per attempt, so two runs that both send "input.png" never read each other's file.
      const uploadName = `fg-${promptId.replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}-${sanitizeFilename(img.name, "input.png")}`;
      form.append("image", new Blob([new Uint8Array(img.data)], { type: img.contentType ?? "application/octet-stream" }), uploadName);
      form.append("overwrite", "true");
      form.append("type", "input");
      const res = await this.call(cfg, "/upload/image", { form, timeoutMs: Math.max(cfg.timeoutMs, 120_000), signal: opts.signal });
      if (res.status !== 200) {
        const err = statusError(res, "POST /upload/image");
        if (res.status === 413) throw new ProviderError("final", "input_too_large", `input image ${img.name} (${img.data.length} bytes) is larger than the server accepts (HTTP 413)`, { details: err.details });
        throw err;
      }
      const up = parseJson(res, "POST /upload/image");
      const name = isObject(up) && typeof up.name === "string" ? (up.subfolder ? `${up.subfolder}/${up.name}` : up.name) : null;
      if (!name) throw new ProviderError("retryable", "unexpected_response", `POST /upload/image: expected {name}, got ${excerpt(JSON.stringify(up))}`);
      if (name !== img.name) prompt = renameInput(prompt, img.name, name);
    }

    const clientId = progressHub.clientId(ep.id, cfg.baseUrl, cfg.headers);
    await progressHub.track(ep.id, cfg.baseUrl, cfg.headers, promptId, samplerNodes(prompt), 2000);
    traceMark(job.attemptId, "wsReady");
    const res = await this.call(cfg, "/prompt", {
      body: { prompt, client_id: clientId, prompt_id: promptId, extra_data: { flowgate: { runId: job.runId, attemptId: job.attemptId } } },
      signal: opts.signal,
      timeoutMs: Math.max(cfg.timeoutMs, 60_000),
    });
    if (res.status === 400) {
      progressHub.untrack(ep.id, promptId);
      throw validationError(parseJson(res, "POST /prompt"));
    }
    if (res.status !== 200) {
      progressHub.untrack(ep.id, promptId);
      throw statusError(res, "POST /prompt");
    }
    const body = parseJson(res, "POST /prompt");
    if (!isObject(body) || typeof body.prompt_id !== "string") {
      throw new ProviderError("retryable", "unexpected_response", `POST /prompt: expected {prompt_id}, got ${excerpt(JSON.stringify(body))}`);
    }
    if (isObject(body.node_errors) && Object.keys(body.node_errors).length) {
      // ComfyUI queued only the outputs that validated; a run missing outputs breaks the deployment's contract.
      await this.cancel(ep, body.prompt_id).catch(() => {});
      throw validationError({ error: { type: "prompt_outputs_failed_validation", message: "Some outputs failed validation", details: "" }, node_errors: body.node_errors }, true);
    }
    if (body.prompt_id !== promptId) {
      // Older servers ignore a client prompt_id: follow theirs.
      progressHub.untrack(ep.id, promptId);
      await progressHub.track(ep.id, cfg.baseUrl, cfg.headers, body.prompt_id, samplerNodes(prompt));
    }
    return { providerJobId: body.prompt_id };
  }

  /**
   * GET /queue lists every queued prompt in full, so with n runs in flight a read per run per poll
   * costs O(n²). Status polls share one snapshot per server (at most QUEUE_SNAPSHOT_MS old, one
   * request in flight). A stale snapshot can only make a finished prompt look queued for one more
   * poll; "not found anywhere" is always re-checked with a fresh read before a prompt counts as lost.
   */
  private async queueSnapshot(cfg: ComfyConfig, signal?: AbortSignal): Promise<unknown> {
    const key = cfg.baseUrl;
    const hit = queueSnapshots.get(key);
    if (hit && Date.now() - hit.at < QUEUE_SNAPSHOT_MS) return hit.value;
    signal?.throwIfAborted();
    // A shared read is not tied to one caller's signal (its abort would fail the others).
    const value = this.json(cfg, "/queue");
    queueSnapshots.set(key, { at: Date.now(), value });
    value.catch(() => { if (queueSnapshots.get(key)?.value === value) queueSnapshots.delete(key); });
    return value;
  }

  async status(ep: EndpointTarget, providerJobId: string, opts: { signal?: AbortSignal } = {}): Promise<ProviderStatus> {
    const cfg = comfyConfig(ep);
    let where = await this.locate(cfg, providerJobId, opts.signal);
    if (!where.history && !where.queue) {
      // The shared snapshot may predate it, or it finished between the two reads: look again, in
      // the order that cannot miss it.
      where = await this.locate(cfg, providerJobId, opts.signal, { fresh: true });
    }
    if (where.history) {
      const st = await this.fromHistory(ep, cfg, providerJobId, where.history, opts.signal);
      if (st.state !== "running") progressHub.untrack(ep.id, providerJobId);
      return st;
    }
    if (where.queue === "running" || where.queue === "pending") {
      await progressHub.track(ep.id, cfg.baseUrl, cfg.headers, providerJobId);
      if (where.queue === "pending") return { state: "queued", queuePosition: where.position ?? null };
      const p = progressHub.latest(ep.id, providerJobId);
      return { state: "running", progress: p ? { value: p.value, max: p.max, nodeId: p.nodeId, fraction: p.fraction } : undefined };
    }
    progressHub.untrack(ep.id, providerJobId);
    if (cancelledHere.has(providerJobId)) return { state: "canceled" };
    return {
      state: "failed",
      error: new ProviderError("lost", "prompt_lost", `prompt ${providerJobId} is neither queued, running nor in the history of ${cfg.baseUrl}: the server restarted or dropped it`),
    };
  }

  private async fromHistory(ep: EndpointTarget, cfg: ComfyConfig, promptId: string, entry: any, signal?: AbortSignal): Promise<ProviderStatus> {
    const status = isObject(entry.status) ? entry.status : undefined;
    const messages: [string, any][] = Array.isArray(status?.messages) ? status!.messages.filter(Array.isArray) : [];
    const msg = (type: string) => messages.find((m) => m[0] === type)?.[1];
    const err = msg("execution_error");
    if (err) {
      const nodeId = err.node_id != null ? String(err.node_id) : undefined;
      const text = String(err.exception_message ?? "execution failed").trim();
      const oom = /out of memory|OutOfMemory/i.test(`${err.exception_type} ${text}`);
      return {
        state: "failed",
        error: new ProviderError(oom ? "retryable" : "final", oom ? "out_of_memory" : "execution_error", `${err.node_type ?? "node"} (node ${nodeId ?? "?"}): ${text}`, {
          nodeId,
          details: { nodeType: err.node_type, exceptionType: err.exception_type, exceptionMessage: text, traceback: err.traceback },
        }),
      };
    }
    if (msg("execution_interrupted")) {
      if (cancelledHere.has(promptId)) return { state: "canceled" };
      return { state: "failed", error: new ProviderError("retryable", "interrupted", `prompt ${promptId} was interrupted on ${cfg.baseUrl} (not by Flowgate)`) };
    }
    const success = status ? status.status_str === "success" || status.completed === true : isObject(entry.outputs);
    if (!success) {
      return { state: "failed", error: new ProviderError("retryable", "incomplete", `prompt ${promptId} ended with status ${JSON.stringify(status?.status_str ?? null)} and no error message`) };
    }
    const outputs = await this.collectOutputs(cfg, promptId, isObject(entry.outputs) ? entry.outputs : {}, signal);
    const start = msg("execution_start")?.timestamp;
    const end = msg("execution_success")?.timestamp;
    return { state: "succeeded", outputs, executionMs: typeof start === "number" && typeof end === "number" ? end - start : undefined };
  }

  /** Every output kind from history; `type: temp` previews are not results. */
  private async collectOutputs(cfg: ComfyConfig, promptId: string, outputs: Record<string, any>, signal?: AbortSignal): Promise<ProviderOutput[]> {
    const result: ProviderOutput[] = [];
    const downloads: (() => Promise<void>)[] = [];
    for (const [nodeId, out] of Object.entries(outputs)) {
      if (!isObject(out)) continue;
      const animated = Array.isArray(out.animated) && out.animated.some(Boolean);
      for (const [key, items] of Object.entries(out)) {
        if (!Array.isArray(items) || key === "animated") continue;
        items.forEach((item, i) => {
          if (typeof item === "string") {
            if (!/text|string/i.test(key)) return;
            result.push({ nodeId, filename: `${nodeId}-${key}-${i + 1}.txt`, contentType: "text/plain; charset=utf-8", kind: "text", data: Buffer.from(item, "utf8") });
            return;
          }
          if (!isObject(item) || typeof item.filename !== "string" || !item.filename) return;
          const type = typeof item.type === "string" ? item.type : "output";
          if (type === "temp") return;
          const subfolder = typeof item.subfolder === "string" ? item.subfolder : "";
          const safe = sanitizeFilename(item.filename, `${nodeId}-${key}-${i + 1}.bin`);
          const { contentType, kind } = describeFile(safe, { key, animated });
          const o: ProviderOutput = { nodeId, filename: safe, contentType, kind };
          result.push(o);
          const q = new URLSearchParams({ filename: item.filename, subfolder, type });
          downloads.push(
            async () => {
              const res = await this.call(cfg, `/view?${q}`, { timeoutMs: Math.max(cfg.timeoutMs, 120_000), signal, maxBytes: cfg.maxOutputBytes });
              if (res.status === 404) throw new ProviderError("lost", "output_missing", `output ${item.filename} of prompt ${promptId} is listed in history but /view answers 404`);
              if (res.status !== 200) throw statusError(res, "GET /view");
              o.data = res.body;
              const served = res.headers.get("content-type");
              if (served && o.contentType === "application/octet-stream") o.contentType = served;
            },
          );
        });
      }
    }
    // A few at a time: all-at-once would flood a small server with a big batch.
    const queue = [...downloads];
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    }));
    return uniqueNames(result);
  }

  async cancel(ep: EndpointTarget, providerJobId: string): Promise<void> {
    const cfg = comfyConfig(ep);
    cancelledHere.add(providerJobId);
    if (cancelledHere.size > 10_000) cancelledHere.delete(cancelledHere.values().next().value!);
    const where = await this.locate(cfg, providerJobId, undefined, { fresh: true });
    if (where.queue === "pending") {
      await this.ok(cfg, "/queue", { delete: [providerJobId] });
      // It may have started between the read and the delete.
      const again = await this.locate(cfg, providerJobId, undefined, { fresh: true });
      if (again.queue === "running") await this.ok(cfg, "/interrupt", { prompt_id: providerJobId });
    } else if (where.queue === "running") {
      // prompt_id-scoped interrupt: a server that honours it never stops someone else's prompt.
      await this.ok(cfg, "/interrupt", { prompt_id: providerJobId });
    }
    progressHub.untrack(ep.id, providerJobId);
  }

  async health(ep: EndpointTarget, opts: { timeoutMs?: number } = {}): Promise<HealthReport> {
    const started = Date.now();
    let cfg: ComfyConfig;
    try {
      cfg = comfyConfig(ep);
    } catch (e) {
      return { ok: false, latencyMs: 0, message: (e as Error).message };
    }
    try {
      const stats = await this.json(cfg, "/system_stats", { timeoutMs: opts.timeoutMs ?? Math.min(cfg.timeoutMs, 10_000) });
      const latencyMs = Date.now() - started;
      const q = await this.json(cfg, "/queue", { timeoutMs: opts.timeoutMs ?? Math.min(cfg.timeoutMs, 10_000) });
      if (!isObject(stats) || !isObject(stats.system)) {
        return { ok: false, latencyMs, message: `GET /system_stats: not a ComfyUI answer: ${excerpt(JSON.stringify(stats))}` };
      }
      const running = isObject(q) && Array.isArray(q.queue_running) ? q.queue_running.length : 0;
      const pending = isObject(q) && Array.isArray(q.queue_pending) ? q.queue_pending.length : 0;
      const devices = Array.isArray(stats.devices) ? stats.devices : [];
      return {
        ok: true,
        latencyMs,
        queueDepth: running + pending,
        workers: { idle: running ? 0 : 1, running: running ? 1 : 0, initializing: 0, unhealthy: 0 },
        details: {
          comfyuiVersion: stats.system.comfyui_version,
          devices: devices.map((d: any) => ({ name: d?.name, vramTotal: d?.vram_total, vramFree: d?.vram_free })),
          running,
          pending,
        },
      };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, message: (e as Error).message, details: e instanceof ProviderError ? { code: e.code } : undefined };
    }
  }

  async purgeQueue(ep: EndpointTarget): Promise<{ removed?: number; message: string }> {
    const cfg = comfyConfig(ep);
    const q = await this.json(cfg, "/queue");
    const removed = isObject(q) && Array.isArray(q.queue_pending) ? q.queue_pending.length : undefined;
    await this.ok(cfg, "/queue", { clear: true });
    return { removed, message: `cleared ${removed ?? "all"} pending prompt(s) on ${cfg.baseUrl}; the running prompt was left alone` };
  }

  async restart(ep: EndpointTarget): Promise<{ message: string }> {
    const cfg = comfyConfig(ep);
    await this.ok(cfg, "/interrupt", {});
    await this.ok(cfg, "/queue", { clear: true });
    await this.ok(cfg, "/free", { unload_models: true, free_memory: true });
    let extra = "";
    if (cfg.restartUrl) {
      const res = await httpRequest(cfg.restartUrl, { method: "POST", headers: cfg.headers, timeoutMs: 30_000, what: "POST restartUrl" });
      if (res.status >= 300) throw statusError(res, "POST restartUrl");
      extra = "; restart hook called";
    }
    return { message: `interrupted the running prompt, cleared the queue and freed models on ${cfg.baseUrl}${extra}` };
  }
}

/** A /prompt 400 (or partial node_errors) → final error keeping ComfyUI's node-level detail. */
function validationError(body: unknown, partial = false): ProviderError {
  const b = isObject(body) ? body : {};
  const top = isObject(b.error) ? b.error : { message: typeof b.error === "string" ? b.error : "Prompt validation failed" };
  const nodeErrors = isObject(b.node_errors) ? b.node_errors : {};
  const lines: string[] = [];
  let firstNode: string | undefined;
  for (const [id, ne] of Object.entries(nodeErrors)) {
    firstNode ??= id;
    for (const e of Array.isArray((ne as any)?.errors) ? (ne as any).errors : []) {
      lines.push(`${(ne as any).class_type ?? "node"} (node ${id}): ${e?.details ? `${e.details}` : e?.message}${e?.message && e?.details ? ` [${e.message}]` : ""}`);
    }
  }
  const head = String(top.message ?? "Prompt validation failed");
  const detail = lines.length ? lines.join("; ") : top.details ? String(top.details) : "";
  return new ProviderError("final", partial ? "partial_validation_failed" : "validation_failed", detail ? `${head}: ${detail}` : head, {
    nodeId: firstNode,
    details: { error: top, node_errors: nodeErrors },
  });
}

/** If the server stored an upload under another name, point the prompt at it. */
function renameInput(prompt: ApiPrompt, from: string, to: string): ApiPrompt {
  const copy = structuredClone(prompt);
  for (const node of Object.values(copy)) for (const [k, v] of Object.entries(node.inputs ?? {})) if (v === from) node.inputs[k] = to;
  return copy;
}

export const comfyuiProvider = new ComfyUIProvider();
