// Contract suite for the RunComfy adapter against the RunComfy look-alike, or against the real
// service when RUNCOMFY_TOKEN + RUNCOMFY_DEPLOYMENT_ID are set.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { startSandbox, type SandboxHandle } from "@/sandbox";
import { defaultFaults } from "@/sandbox/faults";
import { runcomfyProvider as provider } from "./runcomfy";
import { getProvider, providerKinds } from "./registry";
import { emptyImagePrompt, pngSize, pollUntil, txt2imgPrompt } from "./testing";
import { ProviderError, type ApiPrompt, type EndpointTarget, type ProviderOutput } from "./types";

// The sandbox listens on 127.0.0.1: endpoints may be private here (lib/net refuses it otherwise).
process.env.FLOWGATE_ALLOW_PRIVATE_URLS ??= "endpoint";

const REAL = process.env.RUNCOMFY_TOKEN && process.env.RUNCOMFY_DEPLOYMENT_ID ? { token: process.env.RUNCOMFY_TOKEN, id: process.env.RUNCOMFY_DEPLOYMENT_ID } : null;
const sandboxOnly = REAL ? it.skip : it;
const TOKEN = "rc_test_token";
const BASE = { ...defaultFaults, execMs: 40, resultTtlS: 7 * 24 * 3600 };

let sb: SandboxHandle | null = null;
let ep: EndpointTarget;
const job = (prompt: ApiPrompt, extra: Record<string, unknown> = {}) => ({ runId: randomUUID(), attemptId: randomUUID(), prompt, images: [], ...extra });

async function fetchOutput(o: ProviderOutput): Promise<Buffer> {
  if (o.data) return o.data;
  const res = await fetch(o.url!, { headers: o.headers });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  if (!REAL) sb = await startSandbox({ provider: "runcomfy", apiKey: TOKEN, execMs: 40, seed: 5 });
  ep = { id: "ep-runcomfy", provider: "runcomfy", config: { deploymentId: REAL?.id ?? "dep-sandbox", baseUrl: REAL ? undefined : sb!.url }, secret: REAL?.token ?? TOKEN };
});
afterEach(() => sb?.setFaults(BASE));
afterAll(() => sb?.close());

describe("runcomfy adapter", () => {
  it("is registered", () => {
    expect(providerKinds).toEqual(["comfyui", "runpod", "runcomfy"]);
    expect(getProvider("runcomfy")).toBe(provider);
  });

  sandboxOnly("runs a full workflow_api_json and returns hosted output URLs", async () => {
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ width: 96, height: 64 })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    expect(status.outputs).toHaveLength(1);
    expect(status.outputs[0].url).toMatch(new RegExp(`^${sb!.url}/files/`));
    expect(pngSize(await fetchOutput(status.outputs[0]))).toEqual({ width: 96, height: 64 });
  });

  sandboxOnly("overrides mode applies literal inputs to the stored workflow; images go inline as data URIs", async () => {
    const oep = { ...ep, config: { ...ep.config, storedWorkflow: true } };
    const prompt = txt2imgPrompt({ width: 80, height: 48, seed: 9 });
    const { providerJobId } = await provider.submit(oep, job(prompt));
    const { status } = await pollUntil(provider, oep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state === "succeeded") expect(pngSize(await fetchOutput(status.outputs[0]))).toEqual({ width: 80, height: 48 });
    const img: ApiPrompt = {
      "1": { class_type: "LoadImage", inputs: { image: "in.png" } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "inline" } },
    };
    const r = await provider.submit(ep, job(img, { images: [{ name: "in.png", data: Buffer.from("png-bytes"), contentType: "image/png" }] }));
    expect((await pollUntil(provider, ep, r.providerJobId)).status.state).toBe("succeeded");
  });

  sandboxOnly("text outputs are delivered, previews are not", async () => {
    const prompt: ApiPrompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 32, height: 32, batch_size: 1, color: 0 } },
      "2": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
      "3": { class_type: "PrimitiveString", inputs: { value: "caption" } },
      "4": { class_type: "PreviewAny", inputs: { source: ["3", 0] } },
    };
    const { providerJobId } = await provider.submit(ep, job(prompt));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state === "succeeded") {
      expect(status.outputs.map((o) => [o.nodeId, o.kind])).toEqual([["4", "text"]]);
      expect(status.outputs[0].data!.toString()).toBe("caption");
    }
  });

  sandboxOnly("validation failure is final with the node named", async () => {
    sb!.setFaults({ strictModels: true });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ ckpt: "missing.safetensors" })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state === "failed" && status.error).toMatchObject({ errorClass: "final", code: "validation_failed", nodeId: "4" });
    if (status.state === "failed") expect(status.error.message).toContain("'missing.safetensors' not in");
  });

  sandboxOnly("execution error is final; a crash is retryable", async () => {
    sb!.setFaults({ failRate: 1 });
    const a = await provider.submit(ep, job(txt2imgPrompt({ seed: 1 })));
    const ra = await pollUntil(provider, ep, a.providerJobId);
    expect(ra.status.state === "failed" && ra.status.error).toMatchObject({ errorClass: "final", code: "execution_error" });
    sb!.setFaults({ failRate: 0, crashRate: 1 });
    const b = await provider.submit(ep, job(txt2imgPrompt({ seed: 2 })));
    const rb = await pollUntil(provider, ep, b.providerJobId);
    expect(rb.status.state === "failed" && rb.status.error.errorClass).toBe("retryable");
  });

  sandboxOnly("queue position while stuck, then cancel", async () => {
    sb!.setFaults({ stuck: true });
    const a = await provider.submit(ep, job(txt2imgPrompt({ seed: 3 })));
    const b = await provider.submit(ep, job(txt2imgPrompt({ seed: 4 })));
    expect(await provider.status(ep, b.providerJobId)).toEqual({ state: "queued", queuePosition: 1 });
    await provider.cancel(ep, a.providerJobId);
    await provider.cancel(ep, b.providerJobId);
    expect((await provider.status(ep, a.providerJobId)).state).toBe("canceled");
    expect((await provider.health(ep)).ok).toBe(false);
  });

  it("wrong token: 'the provider rejected the key'; unknown request: lost", async () => {
    const err = await provider.submit({ ...ep, secret: "bad" }, job(emptyImagePrompt())).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/^the provider rejected the key/);
    const s = await provider.status(ep, "00000000-0000-0000-0000-000000000000");
    expect(s.state === "failed" && s.error.errorClass).toBe("lost");
  });

  it("health of the deployment", async () => {
    const h = await provider.health(ep);
    expect(h.ok).toBe(true);
  });

  sandboxOnly("webhook is passed as a query parameter and called with the result", async () => {
    const got: any[] = [];
    const hook = http.createServer((req, res) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => {
        got.push({ url: req.url, body: JSON.parse(b) });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as any).port}/cb?t=1`;
      const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 12 }), { webhookUrl: url }));
      await pollUntil(provider, ep, providerJobId);
      for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(got[0].url).toBe("/cb?t=1");
      expect(got[0].body).toMatchObject({ request_id: providerJobId, status: "succeeded" });
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });
});
