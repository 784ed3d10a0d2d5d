// RunComfy Serverless look-alike: /prod/v1|v2/deployments/{id}/inference with `overrides` (applied to
// the deployment's stored workflow) or a full `workflow_api_json`; /requests/{id}/status|result|cancel;
// outputs served as hosted URLs by this server; Bearer token; webhooks.
import http from "node:http";
import type { Socket } from "node:net";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import type { SandboxHandle, SandboxOptions } from "../types";
import type { Faults } from "../faults";
import type { ObjectInfoMap } from "../comfy/validate";
import { HttpError, contentTypeFor, readJson, sendJson, sleep } from "../util";
import { ServerlessBackend, handleFaultsRoute, type ServerlessJob } from "../serverless";

type Opts = SandboxOptions & { host: string; faults: Faults; rng: () => number; objectInfo: ObjectInfoMap };

const STATUS: Record<ServerlessJob["state"], string> = {
  queued: "in_queue",
  running: "in_progress",
  completed: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  timed_out: "failed",
};

/** The deployment's stored workflow when none is configured: a small txt2img graph. */
const DEFAULT_WORKFLOW = {
  "3": { class_type: "KSampler", inputs: { seed: 1, steps: 8, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1, model: ["4", 0], positive: ["6", 0], negative: ["7", 0], latent_image: ["5", 0] } },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "v1-5-pruned-emaonly.safetensors" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 512, height: 512, batch_size: 1 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "a lighthouse at dusk", clip: ["4", 1] } },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "ComfyUI", images: ["8", 0] } },
};

export async function startRuncomfySandbox(opts: Opts): Promise<SandboxHandle> {
  // RunComfy keeps results 7 days.
  if (!opts.resultTtlS) opts.faults.resultTtlS = 7 * 24 * 3600;
  const stored: Record<string, any> =
    typeof opts.deploymentWorkflow === "string" ? JSON.parse(fs.readFileSync(opts.deploymentWorkflow, "utf8")) : (opts.deploymentWorkflow as any) ?? DEFAULT_WORKFLOW;
  let selfUrl = "";
  const backend = new ServerlessBackend({
    objectInfo: opts.objectInfo,
    faults: opts.faults,
    rng: opts.rng,
    workers: opts.workers ?? 1,
    anyOutput: true,
    onTerminal: (job) => void deliverWebhook(job),
  });
  const bootUntil = Date.now() + opts.faults.slowBootMs;
  const sockets = new Set<Socket>();

  const base = (job: ServerlessJob) => `${selfUrl}/prod/v1/deployments/${job.meta.deploymentId}/requests/${job.id}`;

  function statusView(job: ServerlessJob) {
    const body: Record<string, unknown> = { request_id: job.id, status: STATUS[job.state] };
    if (job.state === "queued") body.queue_position = backend.queuePosition(job);
    if (job.workerId && job.state !== "queued") body.instance_id = job.workerId;
    body.status_url = `${base(job)}/status`;
    body.result_url = `${base(job)}/result`;
    return body;
  }

  function resultView(job: ServerlessJob) {
    const body: Record<string, unknown> = { request_id: job.id, status: STATUS[job.state], created_at: new Date(job.createdAt).toISOString() };
    if (job.completedAt) body.finished_at = new Date(job.completedAt).toISOString();
    if (job.state === "completed") {
      const outputs: Record<string, Record<string, unknown>> = {};
      for (const [nodeId, out] of Object.entries(job.outputs ?? {})) {
        const mapped: Record<string, unknown> = {};
        for (const [key, items] of Object.entries(out)) {
          if (!Array.isArray(items)) continue;
          mapped[key] = items.map((it: any) => {
            if (!it || typeof it.filename !== "string") return it;
            const idx = (job.files ?? []).findIndex((f) => f.nodeId === nodeId && f.filename === it.filename && f.subfolder === (it.subfolder ?? ""));
            return { ...it, url: opts.hostileOutputUrl ?? `${selfUrl}/files/${job.id}/${idx}/${encodeURIComponent(it.filename)}` };
          });
        }
        outputs[nodeId] = mapped;
      }
      body.outputs = outputs;
    }
    if (job.state === "failed" || job.state === "timed_out") {
      const details = [job.error, ...(job.errorDetails ?? [])].filter(Boolean).join("\n");
      const validation = /validation failed|Cannot execute because|Prompt has no outputs/i.test(details);
      body.error = {
        code: job.state === "timed_out" ? 10504 : validation ? 10400 : 10500,
        message: job.state === "timed_out" ? "Inference timed out" : validation ? "Workflow validation failed" : "Inference failed",
        details,
      };
    }
    return body;
  }

  async function deliverWebhook(job: ServerlessJob) {
    const url = job.meta.webhook;
    if (typeof url !== "string" || !url) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(resultView(job)), signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
      } catch {
        /* retried */
      }
      await sleep(200 * (attempt + 1));
    }
  }

  /** Media inputs arrive as data URIs (or URLs): store them as input files like RunComfy's runner does. */
  async function materialise(workflow: Record<string, any>, worker: ServerlessBackend) {
    const images: { name: string; image: string }[] = [];
    for (const node of Object.values(workflow)) {
      for (const [k, v] of Object.entries<any>(node?.inputs ?? {})) {
        if (typeof v !== "string") continue;
        const data = /^data:[^;,]+;base64,(.*)$/s.exec(v);
        let b64: string | null = data ? data[1] : null;
        if (!b64 && /^https?:\/\//.test(v) && /image|video|audio|file/.test(k)) {
          const res = await fetch(v, { signal: AbortSignal.timeout(30_000) });
          if (!res.ok) throw new HttpError(400, { error: { code: 10400, message: `could not download input ${k}: HTTP ${res.status}` } });
          b64 = Buffer.from(await res.arrayBuffer()).toString("base64");
        }
        if (!b64) continue;
        const name = `runcomfy_${randomUUID().slice(0, 8)}.png`;
        images.push({ name, image: b64 });
        node.inputs[k] = name;
      }
    }
    void worker;
    return images;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (e instanceof HttpError) sendJson(res, e.status, e.body);
      else sendJson(res, 500, { error: { code: 10500, message: String((e as Error)?.message ?? e) } });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const faults = opts.faults;
    if (await handleFaultsRoute(url, method, req, res, faults, backend)) return;
    if (Date.now() < bootUntil) {
      req.resume();
      return sendJson(res, 503, { error: { code: 10503, message: "service starting" } });
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const file = /^\/files\/([^/]+)\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if (file && method === "GET") {
      // Hosted output URLs are capability URLs, like signed storage links: no bearer needed.
      const job = backend.get(decodeURIComponent(file[1]));
      const f = job?.files?.[Number(file[2])];
      if (!f || f.filename !== decodeURIComponent(file[3])) return sendJson(res, 404, { error: { code: 10404, message: "file not found" } });
      if (opts.outputRedirect) {
        res.writeHead(302, { location: opts.outputRedirect });
        return res.end();
      }
      res.writeHead(200, { "content-type": contentTypeFor(f.filename), "content-length": f.data.length });
      return res.end(f.data);
    }
    const m = /^\/prod\/v[12]\/deployments\/([^/]+)(?:\/(inference|requests\/([^/]+)\/(status|result|cancel)))?\/?$/.exec(url.pathname);
    if (!m) {
      req.resume();
      return sendJson(res, 404, { error: { code: 10404, message: "not found" } });
    }
    const key = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (!key || (opts.apiKey && key !== opts.apiKey)) {
      req.resume();
      return sendJson(res, 401, { error: { code: 10401, message: "Unauthorized: invalid or missing API token" } });
    }
    if (faults.httpErrorRate > 0 && opts.rng() < faults.httpErrorRate) {
      req.resume();
      return sendJson(res, 503, { error: { code: 10503, message: "service unavailable (sandbox --http-error-rate)" } });
    }
    const [, deploymentId, action, requestId, op] = m;
    if (!action) {
      req.resume();
      if (method !== "GET") return sendJson(res, 405, { error: { code: 10405, message: "method not allowed" } });
      const h = backend.health();
      return sendJson(res, 200, {
        id: deploymentId,
        name: `sandbox deployment ${deploymentId}`,
        status: faults.stuck ? "degraded" : "ready",
        hardware: ["SANDBOX_GPU"],
        min_instances: 0,
        max_instances: h.workers.idle + h.workers.running + h.workers.initializing + h.workers.throttled,
        queue_size: h.jobs.inQueue,
        in_progress: h.jobs.inProgress,
      });
    }
    if (action === "inference") {
      if (method !== "POST") return sendJson(res, 405, { error: { code: 10405, message: "method not allowed" } });
      const body = (await readJson(req, faults.payloadLimitMb * 1024 * 1024)) as any;
      let workflow: Record<string, any>;
      if (body?.workflow_api_json && typeof body.workflow_api_json === "object") workflow = structuredClone(body.workflow_api_json);
      else {
        workflow = structuredClone(stored);
        for (const [nodeId, o] of Object.entries<any>(body?.overrides ?? {})) {
          if (!workflow[nodeId]) return sendJson(res, 400, { error: { code: 10400, message: `overrides: node ${nodeId} does not exist in the deployment's workflow` } });
          for (const [k, v] of Object.entries(o?.inputs ?? {})) {
            if (!(k in workflow[nodeId].inputs)) return sendJson(res, 400, { error: { code: 10400, message: `overrides: node ${nodeId} has no input "${k}"` } });
            workflow[nodeId].inputs[k] = v;
          }
        }
      }
      const images = await materialise(workflow, backend);
      const job = backend.submit({ workflow, images }, { deploymentId, webhook: url.searchParams.get("webhook") ?? body?.webhook });
      return sendJson(res, 200, {
        request_id: job.id,
        status_url: `${base(job)}/status`,
        result_url: `${base(job)}/result`,
        cancel_url: `${base(job)}/cancel`,
      });
    }
    req.resume();
    const job = backend.get(decodeURIComponent(requestId!));
    if (!job || job.meta.deploymentId !== deploymentId) return sendJson(res, 404, { error: { code: 10404, message: `request ${requestId} not found` } });
    if (op === "status" && method === "GET") return sendJson(res, 200, statusView(job));
    if (op === "result" && method === "GET") return sendJson(res, 200, resultView(job));
    if (op === "cancel" && method === "POST") {
      backend.cancel(job.id);
      return sendJson(res, 200, { request_id: job.id, status: STATUS[job.state] });
    }
    return sendJson(res, 405, { error: { code: 10405, message: "method not allowed" } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  selfUrl = `http://${opts.host}:${port}`;
  return {
    url: selfUrl,
    port,
    provider: "runcomfy",
    faults: opts.faults,
    setFaults(partial) {
      Object.assign(opts.faults, partial);
      backend.syncFaults();
    },
    async close() {
      backend.stop();
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
