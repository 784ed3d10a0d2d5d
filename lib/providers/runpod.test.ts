// Contract suite for the RunPod adapter against the RunPod look-alike (worker-comfyui behind
// /v2/{id}/…), or against the real service when RUNPOD_API_KEY + RUNPOD_ENDPOINT_ID are set.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { startSandbox, type SandboxHandle } from "@/sandbox";
import { defaultFaults } from "@/sandbox/faults";
import { runpodProvider as provider, RUNPOD_RUN_LIMIT_BYTES } from "./runpod";
import { emptyImagePrompt, pngSize, pollUntil, txt2imgPrompt } from "./testing";
import { ProviderError, type ApiPrompt, type EndpointTarget } from "./types";

// The sandbox listens on 127.0.0.1: endpoints may be private here (lib/net refuses it otherwise).
process.env.FLOWGATE_ALLOW_PRIVATE_URLS ??= "endpoint";

const REAL = process.env.RUNPOD_API_KEY && process.env.RUNPOD_ENDPOINT_ID ? { key: process.env.RUNPOD_API_KEY, id: process.env.RUNPOD_ENDPOINT_ID } : null;
const sandboxOnly = REAL ? it.skip : it;
const KEY = "rp_test_key";

let sb: SandboxHandle | null = null;
let legacy: SandboxHandle | null = null;
let s3: SandboxHandle | null = null;
let ep: EndpointTarget;
const BASE = { ...defaultFaults, execMs: 40, resultTtlS: 1800 };

const job = (prompt: ApiPrompt, extra: Record<string, unknown> = {}) => ({ runId: randomUUID(), attemptId: randomUUID(), prompt, images: [], ...extra });

beforeAll(async () => {
  if (!REAL) {
    sb = await startSandbox({ provider: "runpod", apiKey: KEY, execMs: 40, seed: 3 });
    legacy = await startSandbox({ provider: "runpod", apiKey: KEY, execMs: 20, outputShape: "legacy" });
    s3 = await startSandbox({ provider: "runpod", apiKey: KEY, execMs: 20, outputShape: "s3" });
  }
  ep = { id: "ep-runpod", provider: "runpod", config: { endpointId: REAL?.id ?? "sandbox-endpoint", baseUrl: REAL ? undefined : sb!.url }, secret: REAL?.key ?? KEY };
});
afterEach(() => sb?.setFaults(BASE));
afterAll(async () => {
  await sb?.close();
  await legacy?.close();
  await s3?.close();
});

describe("runpod adapter", () => {
  it("runs a workflow and returns the images (5.x output shape) with delay/execution times", async () => {
    const prompt = REAL ? emptyImagePrompt("rp", 64) : txt2imgPrompt({ width: 128, height: 96, seed: 1 });
    const { providerJobId } = await provider.submit(ep, job(prompt));
    const { status } = await pollUntil(provider, ep, providerJobId, { timeoutMs: REAL ? 300_000 : 10_000, intervalMs: REAL ? 2000 : 20 });
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    expect(status.outputs).toHaveLength(1);
    expect(status.outputs[0]).toMatchObject({ kind: "image", contentType: "image/png" });
    if (!REAL) {
      expect(pngSize(status.outputs[0].data!)).toEqual({ width: 128, height: 96 });
      expect(status.executionMs).toBeGreaterThan(0);
      expect(status.queueMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("health reports workers and queue", async () => {
    const h = await provider.health(ep);
    expect(h.ok).toBe(true);
    expect(h.workers).toBeDefined();
  });

  it("a wrong key: 'the provider rejected the key'", async () => {
    const bad = { ...ep, secret: "nope" };
    const err = await provider.submit(bad, job(emptyImagePrompt())).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ errorClass: "final", code: "auth_rejected" });
    expect(err.message).toMatch(/^the provider rejected the key/);
    expect((await provider.health(bad)).message).toMatch(/rejected the key/);
  });

  it("refuses an oversized payload before sending, naming the limit", async () => {
    const big = Buffer.alloc(Math.ceil(RUNPOD_RUN_LIMIT_BYTES * 0.8), 7);
    const err = await provider.submit(ep, job(emptyImagePrompt(), { images: [{ name: "big.png", data: big }] })).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "input_too_large" });
    expect(err.message).toContain("10 MB");
  });

  sandboxOnly("validation errors come back as worker-comfyui's text and are final", async () => {
    sb!.setFaults({ strictModels: true });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ ckpt: "flux1-dev.safetensors" })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("failed");
    if (status.state !== "failed") return;
    expect(status.error).toMatchObject({ errorClass: "final", code: "validation_failed", nodeId: "4" });
    expect(status.error.message).toContain("ckpt_name: 'flux1-dev.safetensors' not in");
  });

  sandboxOnly("an execution error is final with node id and message", async () => {
    sb!.setFaults({ failRate: 1 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 2 })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state === "failed" && status.error).toMatchObject({ errorClass: "final", code: "execution_error" });
    if (status.state === "failed") expect(status.error.message).toContain("injected execution failure");
  });

  sandboxOnly("a worker crash mid-run is retryable", async () => {
    sb!.setFaults({ crashRate: 1 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 3 })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state === "failed" && status.error).toMatchObject({ errorClass: "retryable", code: "worker_failed" });
  });

  sandboxOnly("stuck queue: stays queued, health turns unhealthy, purge removes it", async () => {
    sb!.setFaults({ stuck: true });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 4 })));
    expect((await provider.status(ep, providerJobId)).state).toBe("queued");
    const h = await provider.health(ep);
    expect(h.ok).toBe(false);
    expect(h.message).toMatch(/no worker can start/);
    const p = await provider.purgeQueue!(ep);
    expect(p.removed).toBe(1);
    expect((await provider.status(ep, providerJobId)).state).toBe("canceled");
  });

  sandboxOnly("cancel a queued job", async () => {
    sb!.setFaults({ coldStartMs: 300 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 5 })));
    await provider.cancel(ep, providerJobId);
    expect((await provider.status(ep, providerJobId)).state).toBe("canceled");
  });

  sandboxOnly("expired results read as lost", async () => {
    sb!.setFaults({ resultTtlS: 0.05 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 6 })));
    await pollUntil(provider, ep, providerJobId);
    await new Promise((r) => setTimeout(r, 100));
    const s = await provider.status(ep, providerJobId);
    expect(s.state === "failed" && s.error).toMatchObject({ errorClass: "lost", code: "job_lost" });
  });

  sandboxOnly("5xx is retryable; restart without management API explains itself", async () => {
    sb!.setFaults({ httpErrorRate: 1 });
    const err = await provider.status(ep, "x").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "retryable", code: "provider_unavailable" });
    sb!.setFaults({ httpErrorRate: 0 });
    const r = await provider.restart!(ep).catch((e) => e);
    expect(r).toMatchObject({ errorClass: "final", code: "restart_unsupported" });
    expect(r.message).toMatch(/Max Workers/);
    expect(provider.capabilities(ep).restart).toBe(false);
  });

  sandboxOnly("legacy output shape (message) is accepted", async () => {
    const lep = { ...ep, config: { endpointId: "legacy", baseUrl: legacy!.url } };
    const { providerJobId } = await provider.submit(lep, job(txt2imgPrompt({ width: 64, height: 64 })));
    const { status } = await pollUntil(provider, lep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state === "succeeded") {
      expect(status.outputs[0]).toMatchObject({ filename: "output-1.png", kind: "image" });
      expect(pngSize(status.outputs[0].data!)).toEqual({ width: 64, height: 64 });
    }
  });

  sandboxOnly("bucket output shape (s3_url) becomes URLs the engine downloads; hostile names are sanitised", async () => {
    const sep = { ...ep, config: { endpointId: "s3", baseUrl: s3!.url } };
    const { providerJobId } = await provider.submit(sep, job(txt2imgPrompt({ width: 64, height: 64, prefix: "sub/evil<x>" })));
    const { status } = await pollUntil(provider, sep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    const o = status.outputs[0];
    expect(o.data).toBeUndefined();
    expect(o.url).toMatch(/\/__bucket\//);
    expect(o.filename).toBe("evil_x__00001_.png");
    const res = await fetch(o.url!);
    expect(pngSize(Buffer.from(await res.arrayBuffer()))).toEqual({ width: 64, height: 64 });
  });

  sandboxOnly("posts the webhook on completion with the job's status body", async () => {
    const got: any[] = [];
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        got.push(JSON.parse(body));
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as any).port}/hook?token=abc`;
      const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 7 }), { webhookUrl: url }));
      await pollUntil(provider, ep, providerJobId);
      for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(got[0]).toMatchObject({ id: providerJobId, status: "COMPLETED" });
      expect(got[0].output.images[0].type).toBe("base64");
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  sandboxOnly("a COMPLETED job whose output carries only errors is a failure with the message", async () => {
    const prompt: ApiPrompt = {
      "1": { class_type: "PrimitiveString", inputs: { value: "only text" } },
      "2": { class_type: "PreviewAny", inputs: { source: ["1", 0] } },
    };
    const { providerJobId } = await provider.submit(ep, job(prompt));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("failed");
    if (status.state === "failed") expect(status.error.message).toMatch(/No outputs found in history/);
  });

  it("unexpected JSON is retryable", async () => {
    const odd = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ hello: "world" }));
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    try {
      const oep = { ...ep, config: { endpointId: "x", baseUrl: `http://127.0.0.1:${(odd.address() as any).port}` } };
      const err = await provider.status(oep, "abc").catch((e) => e);
      expect(err).toMatchObject({ errorClass: "retryable", code: "unexpected_response" });
      expect(err.message).toContain("hello");
    } finally {
      await new Promise<void>((r) => odd.close(() => r()));
    }
  });
});
