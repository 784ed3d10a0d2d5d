// RunPod Serverless look-alike (queue endpoint running worker-comfyui): /v2/{endpointId}/run,
// /runsync, /status, /status-sync, /stream, /cancel, /retry, /purge-queue, /health, Bearer auth,
// webhooks on completion, result retention, worker-comfyui 5.x or legacy output shapes; REST v1
// templates/endpoints and the serverless billing history (`GET /v1/billing/endpoints`).
import http from "node:http";
import type { Socket } from "node:net";
import type { SandboxHandle, SandboxOptions } from "../types";
import type { Faults } from "../faults";
import type { ObjectInfoMap } from "../comfy/validate";
import { HttpError, contentTypeFor, readJson, sendJson, sleep } from "../util";
import { ServerlessBackend, handleFaultsRoute, type ServerlessJob } from "../serverless";

type Opts = SandboxOptions & { host: string; faults: Faults; rng: () => number; objectInfo: ObjectInfoMap };

const STATUS: Record<ServerlessJob["state"], string> = {
  queued: "IN_QUEUE",
  running: "IN_PROGRESS",
  completed: "COMPLETED",
  failed: "FAILED",
  cancelled: "CANCELLED",
  timed_out: "TIMED_OUT",
};

export async function startRunpodSandbox(opts: Opts): Promise<SandboxHandle> {
  // RunPod keeps async results 30 minutes unless told otherwise.
  if (!opts.resultTtlS) opts.faults.resultTtlS = 1800;
  const outputShape = opts.outputShape ?? "v5";
  let selfUrl = "";
  const backend = new ServerlessBackend({
    objectInfo: opts.objectInfo,
    faults: opts.faults,
    rng: opts.rng,
    workers: opts.workers ?? 1,
    onTerminal: (job) => {
      recordBill(job);
      void deliverWebhook(job);
    },
  });
  // What this look-alike bills: one line per job a worker ran (kept apart from the jobs, which are
  // deleted after the result TTL, like RunPod keeps billing after results are gone).
  const ledger: { endpointId: string; startMs: number; workerMs: number }[] = [];
  function recordBill(job: ServerlessJob) {
    if (!job.startedAt || !job.completedAt) return; // cancelled in the queue: no worker ran it
    const cold = job.coldStartMs ?? 0;
    const endpointId = typeof job.meta.endpointId === "string" ? job.meta.endpointId : "";
    // Worker time = cold start + execution (the /status executionTime) + the idle timeout after it.
    ledger.push({ endpointId, startMs: job.startedAt - cold, workerMs: cold + (job.completedAt - job.startedAt) + (opts.billingIdleTimeoutS ?? 0) * 1000 });
  }
  const bootUntil = Date.now() + opts.faults.slowBootMs;
  // RunPod REST API v1 look-alike (templates and endpoints); endpoints created here are "building" until readyAt.
  const templates = new Map<string, Record<string, unknown>>();
  const managed = new Map<string, Record<string, unknown> & { readyAt: number; failed: boolean }>();
  let managedSeq = 0;
  const ENDPOINT_FIELDS = ["name", "templateId", "gpuTypeIds", "gpuCount", "workersMin", "workersMax", "idleTimeout", "flashboot", "networkVolumeId", "executionTimeoutMs", "scalerType", "scalerValue", "dataCenterIds"];
  const publicEndpoint = (e: Record<string, unknown> & { readyAt: number; failed: boolean }) => {
    const { readyAt: _r, failed: _f, ...rest } = e;
    return { ...rest, template: templates.get(String(e.templateId)) ?? null };
  };
  const sockets = new Set<Socket>();

  function view(job: ServerlessJob) {
    const body: Record<string, unknown> = { id: job.id, status: STATUS[job.state] };
    if (job.startedAt) body.delayTime = job.startedAt - job.createdAt;
    if (job.startedAt && job.completedAt) body.executionTime = job.completedAt - job.startedAt;
    if (job.workerId && job.state !== "queued") body.workerId = job.workerId;
    if (job.state === "completed") body.output = output(job);
    if (job.state === "failed" || job.state === "timed_out") {
      body.error = job.error ?? "job failed";
      if (job.errorDetails) body.output = { details: job.errorDetails };
    }
    if (job.retries) body.retries = job.retries;
    return body;
  }

  function output(job: ServerlessJob) {
    const files = (job.files ?? []).filter((f) => f.type !== "temp" && (f.key === "images" || f.key === "audio"));
    if (outputShape === "legacy") {
      const first = files.find((f) => f.key === "images");
      return { message: first ? first.data.toString("base64") : "", status: "success" };
    }
    // With BUCKET_ENDPOINT_URL set, worker-comfyui uploads and returns URLs ("s3" shape); served here.
    const item = (f: (typeof files)[number]) =>
      outputShape === "s3"
        ? { filename: f.filename, type: "s3_url", data: opts.hostileOutputUrl ?? `${selfUrl}/__bucket/${job.id}/${(job.files ?? []).indexOf(f)}/${encodeURIComponent(f.filename)}` }
        : { filename: f.filename, type: "base64", data: f.data.toString("base64") };
    const images = files.filter((f) => f.key === "images").map(item);
    const audio = files.filter((f) => f.key === "audio").map(item);
    const out: Record<string, unknown> = {};
    if (images.length) out.images = images;
    if (audio.length) out.audio = audio;
    if (job.warnings?.length) out.errors = job.warnings;
    if (!images.length && !audio.length) out.status = "success_no_output";
    return out;
  }

  async function deliverWebhook(job: ServerlessJob) {
    const url = job.meta.webhook;
    if (typeof url !== "string" || !url) return;
    const body = JSON.stringify(view(job));
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
      } catch {
        /* retried below, like RunPod's webhook retries */
      }
      await sleep(200 * (attempt + 1));
    }
  }

  async function waitFor(job: ServerlessJob, ms: number) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && (job.state === "queued" || job.state === "running")) await sleep(10);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (e instanceof HttpError) sendJson(res, e.status, e.body);
      else sendJson(res, 500, { error: String((e as Error)?.message ?? e) });
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
      return sendJson(res, 503, { error: "service starting" });
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const bucket = /^\/__bucket\/([^/]+)\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if (bucket && method === "GET") {
      const f = backend.get(decodeURIComponent(bucket[1]))?.files?.[Number(bucket[2])];
      if (!f) return sendJson(res, 404, { error: "no such object" });
      if (opts.outputRedirect) {
        res.writeHead(302, { location: opts.outputRedirect });
        return res.end();
      }
      res.writeHead(200, { "content-type": contentTypeFor(f.filename), "content-length": f.data.length });
      return res.end(f.data);
    }
    // Management API (rest.runpod.io/v1 look-alike) for this sandbox's own endpoint (any id that is
    // not one created through POST /v1/endpoints): read and set its Max Workers (on-call's restart).
    const mgmt = /^\/v1\/endpoints\/([^/]+)\/?$/.exec(url.pathname);
    if (mgmt && !managed.has(decodeURIComponent(mgmt[1]!))) {
      const key = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (!key || (opts.apiKey && key !== opts.apiKey)) {
        req.resume();
        return sendJson(res, 401, { error: "Unauthorized" });
      }
      const info = () => ({ id: decodeURIComponent(mgmt[1]), name: "sandbox endpoint", workersMin: 0, workersMax: backend.workersMax });
      if (method === "GET") {
        req.resume();
        return sendJson(res, 200, info());
      }
      if (method === "PATCH") {
        const body = (await readJson(req, 1 << 20)) as { workersMax?: unknown };
        if (typeof body?.workersMax !== "number" || body.workersMax < 0) return sendJson(res, 400, { error: "workersMax must be a non-negative number" });
        backend.setWorkersMax(body.workersMax);
        return sendJson(res, 200, info());
      }
      req.resume();
      return sendJson(res, 405, { error: "method not allowed" });
    }
    if (url.pathname.replace(/\/+$/, "") === "/v1/billing/endpoints") return billing(req, res, url);
    const mg = /^\/v1\/(templates|endpoints)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (mg) return management(req, res, method, mg[1]!, mg[2] ? decodeURIComponent(mg[2]) : undefined);
    const m = /^\/v2\/([^/]+)\/(run|runsync|status|status-sync|stream|cancel|retry|purge-queue|health)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!m) {
      req.resume();
      return sendJson(res, 404, { error: "not found" });
    }
    const auth = req.headers.authorization ?? "";
    const key = auth.replace(/^Bearer\s+/i, "");
    if (!key || (opts.apiKey && key !== opts.apiKey)) {
      req.resume();
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8" });
      return res.end("Unauthorized");
    }
    if (faults.httpErrorRate > 0 && opts.rng() < faults.httpErrorRate) {
      req.resume();
      return sendJson(res, 502, { error: "bad gateway (sandbox --http-error-rate)" });
    }
    const [, endpointId, op, id] = m;
    const own = managed.get(endpointId!);
    if (own && (own.failed || Date.now() < own.readyAt)) {
      if (op === "health") return sendJson(res, 200, { jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 }, workers: { idle: 0, initializing: own.failed ? 0 : 1, ready: 0, running: 0, throttled: 0, unhealthy: own.failed ? 1 : 0 } });
      req.resume();
      return sendJson(res, own.failed ? 500 : 503, { error: own.failed ? "worker image failed to build or pull (sandbox buildFails)" : "workers are initializing: the image is still being pulled (sandbox buildMs)" });
    }
    if (op === "run" || op === "runsync") {
      if (method !== "POST") return sendJson(res, 405, { error: "method not allowed" });
      const limitMb = op === "run" ? Math.min(10, faults.payloadLimitMb) : Math.min(20, faults.payloadLimitMb);
      const body = (await readJson(req, limitMb * 1024 * 1024)) as any;
      if (!body || typeof body !== "object" || body.input === undefined) return sendJson(res, 400, { error: "missing 'input' in request body" });
      const timeoutMs = typeof body.policy?.executionTimeout === "number" ? body.policy.executionTimeout : undefined;
      const job = backend.submit(body.input, { webhook: body.webhook, sync: op === "runsync", endpointId }, timeoutMs);
      if (op === "run") return sendJson(res, 200, { id: job.id, status: "IN_QUEUE" });
      await waitFor(job, Math.min(Number(url.searchParams.get("wait") ?? 90_000) || 90_000, 90_000));
      return sendJson(res, 200, view(job));
    }
    if (op === "health") return sendJson(res, 200, backend.health());
    if (op === "purge-queue") {
      req.resume();
      return sendJson(res, 200, { removed: backend.purgeQueue(), status: "completed" });
    }
    if (!id) return sendJson(res, 400, { error: `missing job id for /${op}` });
    req.resume();
    const job = backend.get(decodeURIComponent(id));
    if (op === "status" || op === "status-sync" || op === "stream") {
      if (!job) return sendJson(res, 404, { error: "request does not exist" });
      if (op === "status-sync") await waitFor(job, Math.min(Number(url.searchParams.get("wait") ?? 90_000) || 90_000, 90_000));
      if (op === "stream") return sendJson(res, 200, { ...view(job), stream: job.state === "completed" ? [{ output: output(job) }] : [] });
      return sendJson(res, 200, view(job));
    }
    if (op === "cancel") {
      if (!job) return sendJson(res, 404, { error: "request does not exist" });
      backend.cancel(job.id);
      return sendJson(res, 200, { id: job.id, status: STATUS[job.state] });
    }
    if (op === "retry") {
      if (!job) return sendJson(res, 404, { error: "request does not exist" });
      const again = backend.retry(job.id);
      if (!again) return sendJson(res, 400, { error: `job ${job.id} is ${STATUS[job.state]}: only FAILED or TIMED_OUT jobs can be retried` });
      return sendJson(res, 200, { id: again.id, status: "IN_QUEUE" });
    }
    return sendJson(res, 404, { error: "not found" });
  }

  // GET /v1/billing/endpoints (rest.runpod.io/v1 "Serverless billing history", operationId
  // EndpointBilling): query bucketSize (hour|day|week|month|year, default day), startTime / endTime
  // (RFC 3339; default the last 30 days; the start is snapped down to its bucket, the end up, as
  // RunPod's v2 billing docs describe), endpointId (one endpoint), grouping (endpointId, the default;
  // this look-alike groups by nothing else). The answer is a JSON array of billing records
  // {amount (USD), endpointId, time (the bucket's start), timeBilledMs, diskSpaceBilledGB}, one per
  // endpoint per bucket with usage. Each job is billed its worker time rounded up to the second × the
  // endpoint's GPU price (sandbox option billingPricePerHourUsd). Sources: docs.runpod.io
  // api-reference/billing/GET/billing/endpoints and the runpod-sdk BillingRecord model (read 2026-12-01).
  function billing(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    req.resume();
    const key = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (!key || (opts.apiKey && key !== opts.apiKey)) return sendJson(res, 401, { error: "Unauthorized" });
    if ((req.method ?? "GET") !== "GET") return sendJson(res, 405, { error: "method not allowed" });
    const size = url.searchParams.get("bucketSize") ?? "day";
    if (!["hour", "day", "week", "month", "year"].includes(size)) return sendJson(res, 400, { error: `bucketSize must be one of hour, day, week, month, year; got ${JSON.stringify(size)}` });
    const grouping = url.searchParams.get("grouping") ?? "endpointId";
    if (grouping !== "endpointId") return sendJson(res, 400, { error: `this sandbox groups billing by endpointId only; got grouping=${JSON.stringify(grouping)}` });
    const time = (name: string, dflt: number) => {
      const v = url.searchParams.get(name);
      if (!v) return dflt;
      const t = Date.parse(v);
      return Number.isFinite(t) ? t : NaN;
    };
    const now = Date.now();
    const from = time("startTime", now - 30 * 86_400_000);
    const to = time("endTime", now);
    if (Number.isNaN(from) || Number.isNaN(to)) return sendJson(res, 400, { error: "startTime and endTime must be RFC 3339 times" });
    const start = (t: number) => {
      const d = new Date(t);
      if (size === "hour") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
      if (size === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      if (size === "week") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      if (size === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    };
    const lo = start(from);
    const hi = start(to) === to ? to : nextBucket(start(to));
    function nextBucket(b: number) {
      const d = new Date(b);
      if (size === "hour") return b + 3_600_000;
      if (size === "day") return b + 86_400_000;
      if (size === "week") return b + 7 * 86_400_000;
      if (size === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    }
    const only = url.searchParams.get("endpointId");
    const price = (ep: string) => {
      const p = opts.billingPricePerHourUsd;
      return typeof p === "number" ? p : (p?.[ep] ?? 0);
    };
    const rows = new Map<string, { amount: number; endpointId: string; time: string; timeBilledMs: number; diskSpaceBilledGB: number }>();
    for (const l of ledger) {
      if (l.startMs < lo || l.startMs >= hi || (only && l.endpointId !== only)) continue;
      const b = new Date(start(l.startMs)).toISOString();
      const k = `${l.endpointId}|${b}`;
      const row = rows.get(k) ?? { amount: 0, endpointId: l.endpointId, time: b, timeBilledMs: 0, diskSpaceBilledGB: 0 };
      const billedMs = Math.ceil(l.workerMs / 1000) * 1000;
      row.timeBilledMs += billedMs;
      row.amount += (billedMs / 3_600_000) * price(l.endpointId);
      rows.set(k, row);
    }
    const out = [...rows.values()].map((r) => ({ ...r, amount: Math.round(r.amount * 1e6) / 1e6 })).sort((a, b) => a.time.localeCompare(b.time) || a.endpointId.localeCompare(b.endpointId));
    return sendJson(res, 200, out);
  }

  async function management(req: http.IncomingMessage, res: http.ServerResponse, method: string, kind: string, id: string | undefined) {
    const key = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (!key || (opts.apiKey && key !== opts.apiKey)) {
      req.resume();
      return sendJson(res, 401, { error: "Unauthorized" });
    }
    const body = method === "POST" || method === "PATCH" ? ((await readJson(req, 1024 * 1024)) as Record<string, unknown>) : (req.resume(), undefined);
    if (kind === "templates") {
      if (method !== "POST" || id) return sendJson(res, 405, { error: "method not allowed" });
      if (!body || typeof body.name !== "string" || typeof body.imageName !== "string") return sendJson(res, 400, { error: "name and imageName are required" });
      const tid = `tpl${(++managedSeq).toString(36).padStart(6, "0")}`;
      const t = { id: tid, name: body.name, imageName: body.imageName, isServerless: body.isServerless === true, containerDiskInGb: body.containerDiskInGb ?? 10, env: body.env ?? {} };
      templates.set(tid, t);
      return sendJson(res, 200, t);
    }
    if (!id) {
      if (method === "GET") return sendJson(res, 200, [...managed.values()].map(publicEndpoint));
      if (method !== "POST") return sendJson(res, 405, { error: "method not allowed" });
      if (!body || typeof body.templateId !== "string" || !templates.has(body.templateId)) return sendJson(res, 400, { error: "templateId must name an existing template" });
      if (!Array.isArray(body.gpuTypeIds) || body.gpuTypeIds.length === 0) return sendJson(res, 400, { error: "gpuTypeIds must list at least one GPU type" });
      const eid = `ep${(++managedSeq).toString(36).padStart(10, "0")}`;
      const e: Record<string, unknown> & { readyAt: number; failed: boolean } = { id: eid, readyAt: Date.now() + (opts.buildMs ?? 0), failed: opts.buildFails === true };
      for (const f of ENDPOINT_FIELDS) if (body[f] !== undefined) e[f] = body[f];
      managed.set(eid, e);
      return sendJson(res, 200, publicEndpoint(e));
    }
    const e = managed.get(id);
    if (!e) return sendJson(res, 404, { error: `endpoint ${id} not found` });
    if (method === "GET") return sendJson(res, 200, publicEndpoint(e));
    if (method === "PATCH") {
      for (const f of ENDPOINT_FIELDS) if (body?.[f] !== undefined) e[f] = body[f];
      return sendJson(res, 200, publicEndpoint(e));
    }
    if (method === "DELETE") {
      managed.delete(id);
      return sendJson(res, 200, {});
    }
    return sendJson(res, 405, { error: "method not allowed" });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  selfUrl = `http://${opts.host}:${port}`;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    provider: "runpod",
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
