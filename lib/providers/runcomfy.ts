// RunComfy Serverless adapter: /prod/v1/deployments/{deploymentId}/inference with the full
// `workflow_api_json` (default) or `overrides` when the deployment stores the workflow; then
// /requests/{id}/status|result|cancel with a Bearer token. Outputs are hosted URLs.
import { httpRequest, isObject, parseJson, statusError, excerpt } from "./http";
import { describeFile, sanitizeFilename, uniqueNames } from "./outputs";
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

interface RuncomfyConfig {
  base: string;
  origin: string;
  deploymentId: string;
  token: string;
  timeoutMs: number;
  /** The deployment stores its workflow: send only `overrides` (literal inputs by node id). */
  storedWorkflow: boolean;
  maxPayloadBytes: number;
}

function runcomfyConfig(ep: EndpointTarget): RuncomfyConfig {
  const c = ep.config ?? {};
  const deploymentId = typeof c.deploymentId === "string" ? c.deploymentId.trim() : "";
  if (!deploymentId || !/^[A-Za-z0-9_-]+$/.test(deploymentId)) {
    throw new ProviderError("final", "bad_config", `endpoint ${ep.id}: config.deploymentId must be a RunComfy deployment id, got ${JSON.stringify(c.deploymentId ?? null)}`);
  }
  if (!ep.secret) throw new ProviderError("final", "bad_config", `endpoint ${ep.id}: a RunComfy API token is required`);
  const baseUrl = (typeof c.baseUrl === "string" && c.baseUrl ? c.baseUrl : "https://api.runcomfy.net").replace(/\/+$/, "");
  return {
    base: `${baseUrl}/prod/v1/deployments/${deploymentId}`,
    origin: new URL(baseUrl).origin,
    deploymentId,
    token: ep.secret,
    timeoutMs: typeof c.timeoutMs === "number" && c.timeoutMs > 0 ? c.timeoutMs : 15_000,
    storedWorkflow: c.storedWorkflow === true || c.useOverrides === true,
    maxPayloadBytes: typeof c.maxPayloadBytes === "number" && c.maxPayloadBytes > 0 ? c.maxPayloadBytes : 50 * 1024 * 1024,
  };
}

const LINK = (v: unknown) => Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "number";

export class RuncomfyProvider implements Provider {
  readonly kind = "runcomfy";

  capabilities(): Capabilities {
    return { progress: false, cancel: true, restart: false, purgeQueue: false, objectInfo: false, idempotentSubmit: false };
  }

  private async call(cfg: RuncomfyConfig, path: string, init: { method?: string; body?: string; timeoutMs?: number; signal?: AbortSignal } = {}) {
    const method = init.method ?? (init.body !== undefined ? "POST" : "GET");
    return httpRequest(`${cfg.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${cfg.token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: init.body,
      timeoutMs: init.timeoutMs ?? cfg.timeoutMs,
      signal: init.signal,
      what: `${method} ${path.replace(/\/requests\/[^/]+/, "/requests/{id}") || "/"}`,
    });
  }

  async submit(ep: EndpointTarget, job: SubmitJob, opts: { signal?: AbortSignal } = {}): Promise<{ providerJobId: string }> {
    const cfg = runcomfyConfig(ep);
    // Media inputs travel inline as data URIs in the node input that referenced the file name.
    const byName = new Map(job.images.map((i) => [i.name, `data:${i.contentType ?? "image/png"};base64,${i.data.toString("base64")}`]));
    const prompt: ApiPrompt = structuredClone(job.prompt);
    for (const node of Object.values(prompt)) for (const [k, v] of Object.entries(node.inputs ?? {})) if (typeof v === "string" && byName.has(v)) node.inputs[k] = byName.get(v);
    const body = cfg.storedWorkflow
      ? {
          overrides: Object.fromEntries(
            Object.entries(prompt).map(([id, n]) => [id, { inputs: Object.fromEntries(Object.entries(n.inputs ?? {}).filter(([, v]) => !LINK(v))) }]),
          ),
        }
      : { workflow_api_json: prompt };
    const text = JSON.stringify(body);
    if (Buffer.byteLength(text) > cfg.maxPayloadBytes) {
      throw new ProviderError("final", "input_too_large", `the request is ${Buffer.byteLength(text)} bytes, above the ${cfg.maxPayloadBytes}-byte limit configured for RunComfy (inline media inputs count)`);
    }
    const q = job.webhookUrl ? `?webhook=${encodeURIComponent(job.webhookUrl)}` : "";
    const res = await this.call(cfg, `/inference${q}`, { body: text, signal: opts.signal, timeoutMs: Math.max(cfg.timeoutMs, 60_000) });
    if (res.status === 400 || res.status === 422) {
      const data = safeJson(res.body);
      throw new ProviderError("final", "validation_failed", `RunComfy refused the request: ${errorText(data) || excerpt(res.body)}`, { details: { status: res.status, body: data } });
    }
    if (res.status !== 200 && res.status !== 201 && res.status !== 202) throw statusError(res, "POST /inference");
    const data = parseJson(res, "POST /inference");
    if (!isObject(data) || typeof data.request_id !== "string") {
      throw new ProviderError("retryable", "unexpected_response", `POST /inference: expected {request_id}, got ${excerpt(JSON.stringify(data))}`);
    }
    return { providerJobId: data.request_id };
  }

  async status(ep: EndpointTarget, providerJobId: string, opts: { signal?: AbortSignal } = {}): Promise<ProviderStatus> {
    const cfg = runcomfyConfig(ep);
    const id = encodeURIComponent(providerJobId);
    const res = await this.call(cfg, `/requests/${id}/status`, { signal: opts.signal });
    if (res.status === 404) {
      return { state: "failed", error: new ProviderError("lost", "request_lost", `RunComfy no longer knows request ${providerJobId} (results are deleted after 7 days)`) };
    }
    if (res.status !== 200) throw statusError(res, "GET /status");
    const data = parseJson(res, "GET /status");
    if (!isObject(data) || typeof data.status !== "string") {
      throw new ProviderError("retryable", "unexpected_response", `GET /status: expected {status}, got ${excerpt(JSON.stringify(data))}`);
    }
    switch (data.status.toLowerCase()) {
      case "in_queue":
      case "queued":
        return { state: "queued", queuePosition: typeof data.queue_position === "number" ? data.queue_position : null };
      case "in_progress":
      case "running":
        return { state: "running" };
      case "cancelled":
      case "canceled":
        return { state: "canceled" };
      case "succeeded":
      case "completed":
      case "failed": {
        const r = await this.call(cfg, `/requests/${id}/result`, { signal: opts.signal, timeoutMs: Math.max(cfg.timeoutMs, 30_000) });
        if (r.status === 404) return { state: "failed", error: new ProviderError("lost", "request_lost", `RunComfy has no result for request ${providerJobId}`) };
        if (r.status !== 200) throw statusError(r, "GET /result");
        const result = parseJson(r, "GET /result");
        if (!isObject(result)) throw new ProviderError("retryable", "unexpected_response", `GET /result: expected an object, got ${excerpt(JSON.stringify(result))}`);
        if (data.status.toLowerCase() === "failed" || result.status === "failed") return { state: "failed", error: classifyFailure(result) };
        const outputs = this.collectOutputs(cfg, result.outputs);
        const started = Date.parse(String(result.created_at ?? ""));
        const finished = Date.parse(String(result.finished_at ?? ""));
        return { state: "succeeded", outputs, executionMs: Number.isFinite(started) && Number.isFinite(finished) ? finished - started : undefined };
      }
      default:
        throw new ProviderError("retryable", "unexpected_response", `GET /status: unknown RunComfy status ${JSON.stringify(data.status)}`);
    }
  }

  private collectOutputs(cfg: RuncomfyConfig, outputs: unknown): ProviderOutput[] {
    const result: ProviderOutput[] = [];
    if (!isObject(outputs)) return result;
    for (const [nodeId, out] of Object.entries(outputs)) {
      if (!isObject(out)) continue;
      const animated = Array.isArray(out.animated) && out.animated.some(Boolean);
      for (const [key, items] of Object.entries(out)) {
        if (!Array.isArray(items) || key === "animated") continue;
        items.forEach((item, i) => {
          if (typeof item === "string") {
            if (/^https?:\/\//.test(item)) {
              const name = sanitizeFilename(decodeURIComponent(new URL(item).pathname.split("/").pop() ?? ""), `${nodeId}-${key}-${i + 1}.bin`);
              result.push({ nodeId, filename: name, ...describeFile(name, { key, animated }), url: item, ...this.auth(cfg, item) });
            } else if (/text|string/i.test(key)) {
              result.push({ nodeId, filename: `${nodeId}-${key}-${i + 1}.txt`, contentType: "text/plain; charset=utf-8", kind: "text", data: Buffer.from(item, "utf8") });
            }
            return;
          }
          if (!isObject(item) || item.type === "temp") return;
          const url = typeof item.url === "string" ? item.url : undefined;
          if (!url || !/^https?:\/\//.test(url)) return;
          const name = sanitizeFilename(item.filename ?? decodeURIComponent(new URL(url).pathname.split("/").pop() ?? ""), `${nodeId}-${key}-${i + 1}.bin`);
          result.push({ nodeId, filename: name, ...describeFile(name, { key, animated }), url, ...this.auth(cfg, url) });
        });
      }
    }
    return uniqueNames(result);
  }

  /** Our token goes only to RunComfy's own origin, never to a third-party storage host. */
  private auth(cfg: RuncomfyConfig, url: string): { headers?: Record<string, string> } {
    try {
      return new URL(url).origin === cfg.origin ? { headers: { Authorization: `Bearer ${cfg.token}` } } : {};
    } catch {
      return {};
    }
  }

  async cancel(ep: EndpointTarget, providerJobId: string): Promise<void> {
    const cfg = runcomfyConfig(ep);
    const res = await this.call(cfg, `/requests/${encodeURIComponent(providerJobId)}/cancel`, { body: "{}" });
    if (res.status === 404) return;
    if (res.status >= 300) throw statusError(res, "POST /cancel");
  }

  async health(ep: EndpointTarget, opts: { timeoutMs?: number } = {}): Promise<HealthReport> {
    const started = Date.now();
    try {
      const cfg = runcomfyConfig(ep);
      const res = await this.call(cfg, "", { timeoutMs: opts.timeoutMs ?? Math.min(cfg.timeoutMs, 10_000) });
      const latencyMs = Date.now() - started;
      if (res.status === 404 || res.status === 405) {
        // No deployment read on this API: a status probe tells reachability and whether the token is accepted.
        const probe = await this.call(cfg, "/requests/flowgate-health-probe/status", { timeoutMs: opts.timeoutMs ?? Math.min(cfg.timeoutMs, 10_000) });
        if (probe.status === 401 || probe.status === 403) return { ok: false, latencyMs, message: statusError(probe, "GET /status").message };
        if (probe.status >= 500) return { ok: false, latencyMs, message: statusError(probe, "GET /status").message };
        return { ok: true, latencyMs, message: `RunComfy answered and accepted the token (no deployment health call available)` };
      }
      if (res.status !== 200) {
        const err = statusError(res, "GET deployment");
        return { ok: false, latencyMs, message: err.message, details: { code: err.code } };
      }
      const data = parseJson(res, "GET deployment");
      const d = isObject(data) ? data : {};
      const queue = typeof d.queue_size === "number" ? d.queue_size : undefined;
      return { ok: d.status === undefined || /ready|active|running|healthy/i.test(String(d.status)), latencyMs, queueDepth: queue, details: { status: d.status, hardware: d.hardware, minInstances: d.min_instances, maxInstances: d.max_instances } };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, message: (e as Error).message, details: e instanceof ProviderError ? { code: e.code } : undefined };
    }
  }
}

function safeJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    return b.toString("utf8");
  }
}

function errorText(data: unknown): string {
  if (typeof data === "string") return data;
  if (!isObject(data)) return "";
  const e = data.error;
  if (typeof e === "string") return e;
  if (isObject(e)) return [e.message, e.details].filter(Boolean).join(": ");
  return typeof data.message === "string" ? data.message : "";
}

function classifyFailure(result: Record<string, any>): ProviderError {
  const text = errorText(result) || "RunComfy reported the request as failed without a message";
  const code = isObject(result.error) ? result.error.code : undefined;
  const details = { error: result.error };
  const exec = /Node Type: ([^,]*), Node ID: ([^,]*), Message: ([\s\S]*)/.exec(text);
  if (exec) return new ProviderError("final", "execution_error", `${exec[1]} (node ${exec[2]}): ${exec[3].trim()}`, { nodeId: exec[2], details });
  if (/validation|not in list|not in \[|Cannot execute because/i.test(text) || code === 10400) {
    return new ProviderError("final", "validation_failed", text, { nodeId: /Node (\S+?) \(/.exec(text)?.[1], details });
  }
  if (/timed out/i.test(text)) return new ProviderError("retryable", "timed_out", text, { details });
  return new ProviderError("retryable", "inference_failed", `RunComfy inference failed: ${text}`, { details });
}

export const runcomfyProvider = new RuncomfyProvider();
