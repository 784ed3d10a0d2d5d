// RunPod and RunComfy personalities at the protocol level (raw HTTP, no adapter).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "./index";

const wf = (seed = 1, steps = 4) => ({
  "3": { class_type: "KSampler", inputs: { seed, steps, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1, model: ["4", 0], positive: ["6", 0], negative: ["6", 0], latent_image: ["5", 0] } },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "m.safetensors" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "x", clip: ["4", 1] } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "p", images: ["8", 0] } },
});

describe("runpod personality", () => {
  let sb: SandboxHandle;
  const call = (path: string, body?: unknown, key = "k") =>
    fetch(`${sb.url}/v2/ep${path}`, { method: body === undefined ? "GET" : "POST", headers: { authorization: `Bearer ${key}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  beforeAll(async () => {
    sb = await startSandbox({ provider: "runpod", apiKey: "k", execMs: 30 });
  });
  afterAll(() => sb.close());

  it("requires the key", async () => {
    expect((await call("/health", undefined, "bad")).status).toBe(401);
    expect((await fetch(`${sb.url}/v2/ep/health`)).status).toBe(401);
  });

  it("times out a job past policy.executionTimeout, and /retry requeues it", async () => {
    sb.setFaults({ execMs: 400 });
    const { id } = await (await call("/run", { input: { workflow: wf(2, 20) }, policy: { executionTimeout: 60 } })).json();
    let st: any;
    for (let i = 0; i < 100; i++) {
      st = await (await call(`/status/${id}`)).json();
      if (st.status !== "IN_QUEUE" && st.status !== "IN_PROGRESS") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(st.status).toBe("TIMED_OUT");
    sb.setFaults({ execMs: 30 });
    expect(await (await call(`/retry/${id}`, {})).json()).toEqual({ id, status: "IN_QUEUE" });
    const again = await (await call(`/status-sync/${id}?wait=5000`)).json();
    expect(["COMPLETED", "TIMED_OUT"]).toContain(again.status);
    expect(again.retries).toBe(1);
  });

  it("runsync answers with the finished job; bad input fails with worker-comfyui's text", async () => {
    const done = await (await call("/runsync?wait=5000", { input: { workflow: wf(3) } })).json();
    expect(done).toMatchObject({ status: "COMPLETED" });
    expect(done.output.images[0].data.length).toBeGreaterThan(100);
    const bad = await (await call("/runsync", { input: { nope: 1 } })).json();
    expect(bad).toMatchObject({ status: "FAILED", error: "Missing 'workflow' parameter" });
  });

  it("refuses /run bodies above the payload limit with 413", async () => {
    sb.setFaults({ payloadLimitMb: 0.01 });
    const res = await call("/run", { input: { workflow: wf(), images: [{ name: "a.png", image: "A".repeat(20_000) }] } });
    expect(res.status).toBe(413);
    sb.setFaults({ payloadLimitMb: 100 });
  });

  it("cold start shows as delayTime", async () => {
    const cold = await startSandbox({ provider: "runpod", execMs: 10, coldStartMs: 200 });
    try {
      const r = await fetch(`${cold.url}/v2/x/runsync`, { method: "POST", headers: { authorization: "Bearer any" }, body: JSON.stringify({ input: { workflow: wf(9) } }) });
      const body = await r.json();
      expect(body.status).toBe("COMPLETED");
      expect(body.delayTime).toBeGreaterThanOrEqual(190);
    } finally {
      await cold.close();
    }
  });
});

describe("runcomfy personality", () => {
  let sb: SandboxHandle;
  const call = (path: string, body?: unknown) =>
    fetch(`${sb.url}/prod/v1/deployments/dep1${path}`, { method: body === undefined ? "GET" : "POST", headers: { authorization: "Bearer t" }, body: body === undefined ? undefined : JSON.stringify(body) });
  beforeAll(async () => {
    sb = await startSandbox({ provider: "runcomfy", execMs: 30, deploymentWorkflow: wf(5) });
  });
  afterAll(() => sb.close());

  it("overrides must name existing nodes and inputs", async () => {
    const r1 = await call("/inference", { overrides: { "77": { inputs: { seed: 1 } } } });
    expect(r1.status).toBe(400);
    const r2 = await call("/inference", { overrides: { "3": { inputs: { nope: 1 } } } });
    expect(r2.status).toBe(400);
  });

  it("submit → status → result with hosted URLs", async () => {
    const sub = await (await call("/inference", { overrides: { "5": { inputs: { width: 96 } } } })).json();
    expect(sub.status_url).toBe(`${sb.url}/prod/v1/deployments/dep1/requests/${sub.request_id}/status`);
    let st: any;
    for (let i = 0; i < 100; i++) {
      st = await (await fetch(sub.status_url, { headers: { authorization: "Bearer t" } })).json();
      if (st.status === "succeeded" || st.status === "failed") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(st.status).toBe("succeeded");
    const result = await (await fetch(sub.result_url, { headers: { authorization: "Bearer t" } })).json();
    const img = result.outputs["9"].images[0];
    const file = await fetch(img.url);
    expect(file.headers.get("content-type")).toBe("image/png");
    const buf = Buffer.from(await file.arrayBuffer());
    expect(buf.readUInt32BE(16)).toBe(96);
    expect((await call(`/requests/${sub.request_id}/status`.replace("dep1", "other"))).status).toBe(200);
    expect((await fetch(`${sb.url}/prod/v1/deployments/other/requests/${sub.request_id}/status`, { headers: { authorization: "Bearer t" } })).status).toBe(404);
  });
});
