// Contract suite for the ComfyUI adapter: against the sandbox look-alike (real HTTP + WebSocket on a
// random port), or against a real server when COMFYUI_URL is set (fault rows skip there).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { startSandbox, type SandboxHandle } from "@/sandbox";
import { defaultFaults } from "@/sandbox/faults";
import { comfyuiProvider as provider } from "./comfyui";
import { progressHub, subscribeProgress, type ProgressEvent } from "./progress-hub";
import { getProvider, providerKinds } from "./registry";
import { emptyImagePrompt, pngSize, pollUntil, txt2imgPrompt } from "./testing";
import { ProviderError, type ApiPrompt, type EndpointTarget } from "./types";
import { sanitizeFilename } from "./outputs";

// The sandbox listens on 127.0.0.1: endpoints may be private here (lib/net refuses it otherwise).
process.env.FLOWGATE_ALLOW_PRIVATE_URLS ??= "endpoint";

const REAL = process.env.COMFYUI_URL;
const sandboxOnly = REAL ? it.skip : it;
const BASE_FAULTS = { ...defaultFaults, execMs: 60 };

let sb: SandboxHandle | null = null;
let ep: EndpointTarget;

const job = (prompt: ApiPrompt, extra: Partial<Parameters<typeof provider.submit>[1]> = {}) => ({
  runId: randomUUID(),
  attemptId: randomUUID(),
  prompt,
  images: [],
  ...extra,
});

async function control(path: string, body?: unknown) {
  const res = await fetch(`${sb!.url}${path}`, { method: body === undefined ? "POST" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

beforeAll(async () => {
  if (!REAL) sb = await startSandbox({ execMs: 60, seed: 7, crashDownMs: 150 } as any);
  ep = { id: `ep-comfy-${randomUUID()}`, provider: "comfyui", config: { baseUrl: REAL ?? sb!.url, timeoutMs: 5000 } };
});
afterEach(() => sb?.setFaults(BASE_FAULTS));
afterAll(async () => {
  progressHub.closeAll();
  await sb?.close();
});

describe("comfyui adapter — happy path", () => {
  it("is registered", () => {
    expect(providerKinds).toContain("comfyui");
    expect(getProvider("comfyui")).toBe(provider);
    expect(() => getProvider("nope")).toThrow(/unknown provider/);
  });

  it("reports health and node definitions", async () => {
    const h = await provider.health(ep);
    expect(h.ok).toBe(true);
    expect(h.queueDepth).toBeGreaterThanOrEqual(0);
    const defs = await provider.nodeDefinitions!(ep);
    expect(Object.keys(defs).length).toBeGreaterThan(100);
    expect(defs).toHaveProperty("KSampler");
  });

  it("submits, reports progress over the WebSocket and delivers PNG outputs from history", async () => {
    const prompt = REAL ? emptyImagePrompt("happy", 96) : txt2imgPrompt({ width: 320, height: 240, steps: 6, seed: 5 });
    const j = job(prompt);
    const events: ProgressEvent[] = [];
    const unsub = subscribeProgress(ep.id, j.attemptId, (e) => events.push(e));
    const { providerJobId } = await provider.submit(ep, j);
    expect(providerJobId).toBe(j.attemptId);
    const { status, seen } = await pollUntil(provider, ep, providerJobId);
    unsub();
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    expect(status.outputs.length).toBe(1);
    const out = status.outputs[0];
    expect(out).toMatchObject({ nodeId: REAL ? "2" : "9", kind: "image", contentType: "image/png" });
    expect(pngSize(out.data!)).toEqual(REAL ? { width: 96, height: 96 } : { width: 320, height: 240 });
    if (!REAL) {
      expect(seen[0] === "queued" || seen[0] === "running").toBe(true);
      expect(events.some((e) => e.type === "progress" && e.max === 6)).toBe(true);
      expect(events.some((e) => e.type === "succeeded")).toBe(true);
      const last = events.filter((e) => e.type === "progress").pop()!;
      expect(last.fraction).toBe(1);
      expect(status.executionMs).toBeGreaterThan(0);
    }
  });

  sandboxOnly("same prompt twice: the cached resubmission still delivers its outputs", async () => {
    const prompt = txt2imgPrompt({ seed: 99, text: "cache me" });
    const a = await provider.submit(ep, job(prompt));
    const first = await pollUntil(provider, ep, a.providerJobId);
    const b = await provider.submit(ep, job(prompt));
    const second = await pollUntil(provider, ep, b.providerJobId);
    expect(first.status.state).toBe("succeeded");
    expect(second.status.state).toBe("succeeded");
    if (first.status.state !== "succeeded" || second.status.state !== "succeeded") return;
    expect(second.status.outputs).toHaveLength(1);
    expect(second.status.outputs[0].data!.equals(first.status.outputs[0].data!)).toBe(true);
    const hist = await (await fetch(`${sb!.url}/history/${b.providerJobId}`)).json();
    const cached = hist[b.providerJobId].status.messages.find((m: any) => m[0] === "execution_cached")[1];
    expect(cached.nodes).toContain("9");
  });

  sandboxOnly("resubmitting the same attempt is idempotent (no second queue entry)", async () => {
    sb!.setFaults({ stuck: true });
    const j = job(txt2imgPrompt({ seed: 1234 }));
    await provider.submit(ep, j);
    // The engine marks a submit that may already have reached the server (a retry, a resumed attempt).
    await provider.submit(ep, { ...j, resume: true });
    const q = await (await fetch(`${sb!.url}/queue`)).json();
    expect(q.queue_pending.filter((r: any[]) => r[1] === j.attemptId)).toHaveLength(1);
    await provider.cancel(ep, j.attemptId);
    expect((await provider.status(ep, j.attemptId)).state).toBe("canceled");
  });

  sandboxOnly("input images get per-run unique names; two runs with the same name keep their own bytes", async () => {
    const mk = (seed: number): ApiPrompt => ({
      "1": { class_type: "LoadImage", inputs: { image: "input.png" } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: `img${seed}` } },
    });
    const j1 = job(mk(1), { images: [{ name: "input.png", data: Buffer.from("first-image-bytes"), contentType: "image/png" }] });
    const j2 = job(mk(2), { images: [{ name: "input.png", data: Buffer.from("second-image-bytes"), contentType: "image/png" }] });
    await provider.submit(ep, j1);
    await provider.submit(ep, j2);
    const [r1, r2] = await Promise.all([pollUntil(provider, ep, j1.attemptId), pollUntil(provider, ep, j2.attemptId)]);
    expect(r1.status.state).toBe("succeeded");
    expect(r2.status.state).toBe("succeeded");
    const hist = await (await fetch(`${sb!.url}/history`)).json();
    const n1 = hist[j1.attemptId].prompt[2]["1"].inputs.image;
    const n2 = hist[j2.attemptId].prompt[2]["1"].inputs.image;
    expect(n1).not.toBe(n2);
    const b1 = Buffer.from(await (await fetch(`${sb!.url}/view?filename=${encodeURIComponent(n1)}&type=input`)).arrayBuffer());
    expect(b1.toString()).toBe("first-image-bytes");
  });

  sandboxOnly("video, audio, text and 3D outputs are collected; temp previews are ignored", async () => {
    const prompt: ApiPrompt = {
      "1": { class_type: "EmptyImage", inputs: { width: 64, height: 48, batch_size: 1, color: 0 } },
      "2": { class_type: "SaveAnimatedWEBP", inputs: { images: ["1", 0], filename_prefix: "anim", fps: 6, lossless: true, quality: 80, method: "default" } },
      "3": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
      "4": { class_type: "EmptyLatentAudio", inputs: { seconds: 2, batch_size: 1 } },
      "5": { class_type: "VAELoader", inputs: { vae_name: "ace_step_vae.safetensors" } },
      "6": { class_type: "VAEDecodeAudio", inputs: { samples: ["4", 0], vae: ["5", 0] } },
      "7": { class_type: "SaveAudio", inputs: { audio: ["6", 0], filename_prefix: "audio/ComfyUI" } },
      "8": { class_type: "PrimitiveString", inputs: { value: "hello from the sandbox" } },
      "9": { class_type: "PreviewAny", inputs: { source: ["8", 0] } },
    };
    const { providerJobId } = await provider.submit(ep, job(prompt));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    const byNode = Object.fromEntries(status.outputs.map((o) => [o.nodeId, o]));
    expect(Object.keys(byNode).sort()).toEqual(["2", "7", "9"]);
    expect(byNode["2"]).toMatchObject({ kind: "video", contentType: "image/gif" });
    expect(byNode["2"].data!.subarray(0, 6).toString()).toBe("GIF89a");
    expect(byNode["7"]).toMatchObject({ kind: "audio", contentType: "audio/wav" });
    expect(byNode["7"].data!.subarray(0, 4).toString()).toBe("RIFF");
    expect(byNode["9"]).toMatchObject({ kind: "text" });
    expect(byNode["9"].data!.toString()).toBe("hello from the sandbox");
  });

  sandboxOnly("hostile output names are sanitised", async () => {
    const prompt = txt2imgPrompt({ prefix: "evil <script>\u0007name", seed: 77 });
    const { providerJobId } = await provider.submit(ep, job(prompt));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("succeeded");
    if (status.state !== "succeeded") return;
    expect(status.outputs[0].filename).toBe("evil _script_name_00001_.png");
    expect(sanitizeFilename("../../etc/passwd", "x.bin")).toBe("passwd");
    expect(sanitizeFilename("..\\..\\boot.ini", "x.bin")).toBe("boot.ini");
    expect(sanitizeFilename("...", "x.bin")).toBe("x.bin");
    expect(sanitizeFilename("a".repeat(300) + ".png", "x.bin")).toMatch(/^a{116}\.png$/);
  });
});

describe("comfyui adapter — failures", () => {
  it("a 400 with node_errors is final and keeps node-level detail", async () => {
    const bad = REAL ? emptyImagePrompt() : txt2imgPrompt();
    const sizeNode = REAL ? "1" : "5";
    bad[sizeNode].inputs.width = -5;
    const err = await provider.submit(ep, job(bad)).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ errorClass: "final", code: "validation_failed", nodeId: sizeNode });
    expect(err.details.node_errors[sizeNode].errors[0].type).toBe("value_smaller_than_min");
    expect(err.message).toContain("width");
  });

  sandboxOnly("a missing model on a strict server names the node and the file", async () => {
    sb!.setFaults({ strictModels: true });
    const err = await provider.submit(ep, job(txt2imgPrompt({ ckpt: "flux1-dev.safetensors" }))).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "validation_failed", nodeId: "4" });
    expect(err.message).toContain("ckpt_name: 'flux1-dev.safetensors' not in");
    expect(err.details.node_errors["4"].errors[0].type).toBe("value_not_in_list");
  });

  sandboxOnly("an unknown node class is final with ComfyUI's message", async () => {
    const err = await provider.submit(ep, job({ "1": { class_type: "NoSuchNode", inputs: {} } })).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "validation_failed" });
    expect(err.message).toContain("Cannot execute because node NoSuchNode does not exist.");
  });

  sandboxOnly("partial node_errors (200) fail the attempt as final and leave nothing queued", async () => {
    sb!.setFaults({ partialErrors: true, stuck: true });
    const prompt = txt2imgPrompt({ seed: 4 });
    prompt["10"] = { class_type: "PreviewImage", inputs: { images: ["8", 0] } };
    const j = job(prompt);
    const err = await provider.submit(ep, j).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "partial_validation_failed" });
    expect(Object.keys(err.details.node_errors)).toEqual(["10"]);
    const q = await (await fetch(`${sb!.url}/queue`)).json();
    expect(q.queue_pending.some((r: any[]) => r[1] === j.attemptId)).toBe(false);
  });

  sandboxOnly("an execution error after acceptance is final with node id and exception message", async () => {
    sb!.setFaults({ failRate: 1 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 8 })));
    const { status } = await pollUntil(provider, ep, providerJobId);
    expect(status.state).toBe("failed");
    if (status.state !== "failed") return;
    expect(status.error).toMatchObject({ errorClass: "final", code: "execution_error" });
    expect(status.error.nodeId).toBeTruthy();
    expect(status.error.message).toContain("injected execution failure");
  });

  sandboxOnly("a crash mid-run ends as lost (retryable-class) within bounded time", async () => {
    sb!.setFaults({ crashRate: 1, crashDownMs: 200 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 9, steps: 10 })));
    const t0 = Date.now();
    const { status } = await pollUntil(provider, ep, providerJobId, { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(status.state).toBe("failed");
    if (status.state === "failed") expect(status.error.errorClass).toBe("lost");
    sb!.setFaults({ crashRate: 0 });
    await new Promise((r) => setTimeout(r, 250));
    expect((await provider.health(ep)).ok).toBe(true);
  });

  sandboxOnly("while the server is down, calls fail retryable with the address and errno", async () => {
    sb!.setFaults({ crashDownMs: 400 });
    await control("/__sandbox/crash");
    await new Promise((r) => setTimeout(r, 50));
    const err = await provider.status(ep, "whatever").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "retryable", code: "unreachable" });
    expect(err.message).toBe(`could not reach ${sb!.url} (ECONNREFUSED)`);
    await new Promise((r) => setTimeout(r, 500));
  });

  sandboxOnly("a restart between submit and poll makes the prompt lost", async () => {
    sb!.setFaults({ stuck: true, crashDownMs: 50 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 10 })));
    expect((await provider.status(ep, providerJobId)).state).toBe("queued");
    await control("/__sandbox/restart");
    const { status } = await pollUntil(provider, ep, providerJobId, { timeoutMs: 3000 });
    expect(status).toMatchObject({ state: "failed" });
    if (status.state === "failed") expect(status.error).toMatchObject({ errorClass: "lost", code: "prompt_lost" });
  });

  sandboxOnly("--restart-rate wipes accepted prompts the same way", async () => {
    sb!.setFaults({ restartRate: 1, stuck: true, crashDownMs: 50 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 11 })));
    sb!.setFaults({ restartRate: 0 });
    const { status } = await pollUntil(provider, ep, providerJobId, { timeoutMs: 3000 });
    expect(status.state === "failed" && status.error.errorClass === "lost").toBe(true);
  });

  for (const knob of ["wsStall", "wsDrop"] as const) {
    sandboxOnly(`${knob}: a silent or dropped socket never hangs the run (history is the truth)`, async () => {
      progressHub.closeAll();
      sb!.setFaults({ [knob]: true });
      const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: knob.length * 31 })));
      const { status } = await pollUntil(provider, ep, providerJobId, { timeoutMs: 5000 });
      expect(status.state === "failed" ? status.error.message : status.state).toBe("succeeded");
    });
  }

  sandboxOnly("stuck queue: the prompt stays queued with its position", async () => {
    sb!.setFaults({ stuck: true });
    const a = await provider.submit(ep, job(txt2imgPrompt({ seed: 20 })));
    const b = await provider.submit(ep, job(txt2imgPrompt({ seed: 21 })));
    const sa = await provider.status(ep, a.providerJobId);
    const sbb = await provider.status(ep, b.providerJobId);
    expect(sa).toMatchObject({ state: "queued" });
    expect(sbb).toMatchObject({ state: "queued" });
    expect((sbb as any).queuePosition).toBe((sa as any).queuePosition + 1);
    const purged = await provider.purgeQueue!(ep);
    expect(purged.removed).toBeGreaterThanOrEqual(2);
  });

  sandboxOnly("5xx answers are retryable", async () => {
    sb!.setFaults({ httpErrorRate: 1 });
    const err = await provider.status(ep, "x").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "retryable", code: "provider_unavailable" });
    const h = await provider.health(ep);
    expect(h.ok).toBe(false);
  });

  sandboxOnly("an oversized input is refused as final input_too_large", async () => {
    sb!.setFaults({ payloadLimitMb: 0.01 });
    const prompt: ApiPrompt = {
      "1": { class_type: "LoadImage", inputs: { image: "big.png" } },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "big" } },
    };
    const err = await provider.submit(ep, job(prompt, { images: [{ name: "big.png", data: Buffer.alloc(50_000, 1) }] })).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "input_too_large" });
  });

  sandboxOnly("outputs above the configured size limit are refused (final), not buffered", async () => {
    const small = { ...ep, config: { ...ep.config, maxOutputBytes: 1000 } };
    const { providerJobId } = await provider.submit(small, job(txt2imgPrompt({ seed: 31 })));
    await pollUntil(provider, ep, providerJobId);
    const err = await provider.status(small, providerJobId).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "output_too_large" });
  });

  sandboxOnly("results past the server's retention read as lost", async () => {
    sb!.setFaults({ resultTtlS: 0.05 });
    const { providerJobId } = await provider.submit(ep, job(txt2imgPrompt({ seed: 30 })));
    await pollUntil(provider, ep, providerJobId);
    await new Promise((r) => setTimeout(r, 120));
    // Within one poll: status reads share a /queue snapshot that may be a poll interval old.
    const { status: s, seen } = await pollUntil(provider, ep, providerJobId, { timeoutMs: 2000, intervalMs: 100, until: (x) => x.state === "failed" });
    expect(s.state === "failed" && s.error.errorClass === "lost").toBe(true);
    expect(seen.at(-1)).toBe("failed");
  });
});

describe("comfyui adapter — cancel touches only our prompt", () => {
  sandboxOnly("cancelling our pending prompt leaves someone else's running prompt alone", async () => {
    sb!.setFaults({ execMs: 400 });
    const other = await (await fetch(`${sb!.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: txt2imgPrompt({ seed: 40 }), client_id: "someone-else" }) })).json();
    const ours = await provider.submit(ep, job(txt2imgPrompt({ seed: 41 })));
    await provider.cancel(ep, ours.providerJobId);
    expect((await provider.status(ep, ours.providerJobId)).state).toBe("canceled");
    const theirs = await pollUntil(provider, ep, other.prompt_id, { timeoutMs: 5000 });
    expect(theirs.status.state).toBe("succeeded");
  });

  sandboxOnly("cancelling our running prompt interrupts only it; the next one still runs", async () => {
    sb!.setFaults({ execMs: 400 });
    const ours = await provider.submit(ep, job(txt2imgPrompt({ seed: 50 })));
    const other = await (await fetch(`${sb!.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: txt2imgPrompt({ seed: 51 }), client_id: "someone-else" }) })).json();
    await pollUntil(provider, ep, ours.providerJobId, { until: (s) => s.state === "running" });
    await provider.cancel(ep, ours.providerJobId);
    const mine = await pollUntil(provider, ep, ours.providerJobId);
    expect(mine.status.state).toBe("canceled");
    const theirs = await pollUntil(provider, ep, other.prompt_id, { timeoutMs: 5000 });
    expect(theirs.status.state).toBe("succeeded");
  });

  sandboxOnly("a long node without sampler steps is still interrupted promptly", async () => {
    sb!.setFaults({ execMs: 5000 });
    const ours = await provider.submit(ep, job(emptyImagePrompt("long", 32)));
    await pollUntil(provider, ep, ours.providerJobId, { until: (s) => s.state === "running" });
    const t0 = Date.now();
    await provider.cancel(ep, ours.providerJobId);
    const { status } = await pollUntil(provider, ep, ours.providerJobId);
    expect(status.state).toBe("canceled");
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  sandboxOnly("cancel after completion is a no-op and does not interrupt the next prompt", async () => {
    sb!.setFaults({ execMs: 300 });
    const ours = await provider.submit(ep, job(txt2imgPrompt({ seed: 60 })));
    await pollUntil(provider, ep, ours.providerJobId);
    const other = await (await fetch(`${sb!.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: txt2imgPrompt({ seed: 61 }), client_id: "someone-else" }) })).json();
    await new Promise((r) => setTimeout(r, 50));
    await provider.cancel(ep, ours.providerJobId);
    const theirs = await pollUntil(provider, ep, other.prompt_id, { timeoutMs: 5000 });
    expect(theirs.status.state).toBe("succeeded");
  });

  sandboxOnly("restart interrupts, clears the queue and frees models", async () => {
    sb!.setFaults({ stuck: true });
    await provider.submit(ep, job(txt2imgPrompt({ seed: 70 })));
    const r = await provider.restart!(ep);
    expect(r.message).toMatch(/cleared the queue/);
    const q = await (await fetch(`${sb!.url}/queue`)).json();
    expect(q.queue_pending).toHaveLength(0);
  });
});

describe("comfyui adapter — bad endpoints", () => {
  let fake: http.Server;
  let fakeUrl: string;
  beforeAll(async () => {
    fake = http.createServer((req, res) => {
      if (req.headers.authorization !== "Bearer right") {
        res.writeHead(401, { "content-type": "text/plain" });
        return res.end("Unauthorized");
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>not comfy</html>");
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    fakeUrl = `http://127.0.0.1:${(fake.address() as any).port}`;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  it("unreachable URL: retryable, message names the address and errno", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as any).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const bad = { id: "ep-x", provider: "comfyui", config: { baseUrl: `http://127.0.0.1:${port}` } };
    const err = await provider.submit(bad, job(emptyImagePrompt())).catch((e) => e);
    expect(err).toMatchObject({ errorClass: "retryable", code: "unreachable" });
    expect(err.message).toBe(`could not reach http://127.0.0.1:${port} (ECONNREFUSED)`);
    const h = await provider.health(bad);
    expect(h).toMatchObject({ ok: false, message: `could not reach http://127.0.0.1:${port} (ECONNREFUSED)` });
  });

  it("wrong key: final, 'the provider rejected the key'", async () => {
    const bad = { id: "ep-y", provider: "comfyui", config: { baseUrl: fakeUrl }, secret: "wrong" };
    const err = await provider.status(bad, "x").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "auth_rejected" });
    expect(err.message).toMatch(/^the provider rejected the key/);
  });

  it("unexpected JSON / HTML: retryable unexpected_response with an excerpt", async () => {
    const odd = { id: "ep-z", provider: "comfyui", config: { baseUrl: fakeUrl, headers: { Authorization: "Bearer right" } } };
    const err = await provider.status(odd, "x").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "retryable", code: "unexpected_response" });
    expect(err.message).toContain("not comfy");
  });

  it("bad config is final", async () => {
    const err = await provider.status({ id: "e", provider: "comfyui", config: { baseUrl: "ftp://x" } }, "x").catch((e) => e);
    expect(err).toMatchObject({ errorClass: "final", code: "bad_config" });
  });
});
