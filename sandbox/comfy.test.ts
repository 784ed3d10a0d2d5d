// The sandbox ComfyUI speaks ComfyUI's protocol: raw HTTP + WebSocket checks, no adapter involved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { PNG } from "pngjs";
import { startSandbox, type SandboxHandle } from "./index";
import { defaultFaults, parseFaults } from "./faults";
import { renderGif, renderPng } from "./comfy/media";

let sb: SandboxHandle;
const prompt = (seed = 1, prefix = "ComfyUI") => ({
  "3": { class_type: "KSampler", inputs: { seed, steps: 4, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1, model: ["4", 0], positive: ["6", 0], negative: ["6", 0], latent_image: ["5", 0] } },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "any-model.safetensors" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 1024, height: 768, batch_size: 2 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "hello", clip: ["4", 1] } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: prefix, images: ["8", 0] } },
});
const post = (path: string, body: unknown) => fetch(`${sb.url}${path}`, { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  sb = await startSandbox({ execMs: 40, seed: 3 });
});
afterAll(() => sb.close());

describe("sandbox comfyui protocol", () => {
  it("streams the WebSocket event sequence to the submitting client, history holds the outputs", async () => {
    const ws = new WebSocket(`${sb.url.replace("http", "ws")}/ws?clientId=me`);
    const msgs: any[] = [];
    ws.on("message", (d) => msgs.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once("open", r));
    const res = await post("/prompt", { prompt: prompt(5), client_id: "me", prompt_id: "pid-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ prompt_id: "pid-1", node_errors: {} });
    for (let i = 0; i < 100 && !msgs.some((m) => m.type === "execution_success"); i++) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const types = msgs.map((m) => m.type);
    expect(types[0]).toBe("status");
    expect(msgs[0].data.sid).toBe("me");
    for (const t of ["execution_start", "execution_cached", "executing", "progress", "executed", "execution_success"]) expect(types).toContain(t);
    expect(msgs.filter((m) => m.type === "progress").map((m) => m.data.value)).toEqual([1, 2, 3, 4]);
    const hist = await (await fetch(`${sb.url}/api/history/pid-1`)).json();
    const imgs = hist["pid-1"].outputs["9"].images;
    expect(imgs).toHaveLength(2);
    expect(hist["pid-1"].status).toMatchObject({ status_str: "success", completed: true });
    const png = await fetch(`${sb.url}/view?filename=${imgs[0].filename}&subfolder=&type=output`);
    expect(png.headers.get("content-type")).toBe("image/png");
    const decoded = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    expect([decoded.width, decoded.height]).toEqual([512, 384]);
  });

  it("renders deterministic, visibly marked PNGs and decodable GIFs", () => {
    const a = renderPng({ width: 64, height: 64, seed: 1, text: "x" });
    expect(a.equals(renderPng({ width: 64, height: 64, seed: 1, text: "x" }))).toBe(true);
    expect(a.equals(renderPng({ width: 64, height: 64, seed: 2, text: "x" }))).toBe(false);
    const gif = renderGif({ width: 20, height: 10, seed: 1, text: "x", frames: 3 });
    expect(gif.subarray(0, 6).toString()).toBe("GIF89a");
    expect(gif[gif.length - 1]).toBe(0x3b);
  });

  it("GIF frames decode to exactly the quantised pixels (checked with libvips when available)", async () => {
    const sharp = await import("sharp").then((m) => m.default).catch(() => null);
    if (!sharp) return;
    const gif = renderGif({ width: 37, height: 23, seed: 11, text: "lzw", frames: 3 });
    const { data, info } = await sharp(gif, { animated: true }).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.pages]).toEqual([37, 69, 3]);
    const { PNG: P } = await import("pngjs");
    const ref = P.sync.read(renderPng({ width: 37, height: 23, seed: 11, text: "lzw" })).data;
    const q = (v: number) => Math.round(v / 51) * 51;
    for (let p = 0; p < 37 * 23; p++) {
      for (let c = 0; c < 3; c++) expect(data[p * info.channels + c]).toBe(q(ref[p * 4 + c]));
    }
  });

  it("answers ComfyUI's 400 vocabulary", async () => {
    const r1 = await post("/prompt", { prompt: { "1": { class_type: "Nope", inputs: {} } } });
    expect(r1.status).toBe(400);
    expect((await r1.json()).error.type).toBe("invalid_prompt");
    const r2 = await post("/prompt", {});
    expect((await r2.json()).error.type).toBe("no_prompt");
    const r3 = await post("/prompt", { prompt: { "1": { class_type: "EmptyLatentImage", inputs: { width: 512, height: 512, batch_size: 1 } } } });
    expect((await r3.json()).error.type).toBe("prompt_no_outputs");
    const r4 = await post("/prompt", { prompt: { "1": { class_type: "LoadImage", inputs: { image: "missing.png" } }, "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: "x" } } } });
    const b4 = await r4.json();
    expect(r4.status).toBe(400);
    expect(b4.node_errors["1"].errors[0]).toMatchObject({ type: "custom_validation_failed", details: "image - Invalid image file: missing.png" });
  });

  it("refuses traversal on upload and view, sanitises names, renames clashes", async () => {
    const up = async (name: string, data: string, extra: Record<string, string> = {}) => {
      const form = new FormData();
      form.append("image", new Blob([data]), name);
      for (const [k, v] of Object.entries(extra)) form.append(k, v);
      return fetch(`${sb.url}/upload/image`, { method: "POST", body: form });
    };
    expect(await (await up("../../etc/evil.png", "a")).json()).toEqual({ name: "evil.png", subfolder: "", type: "input" });
    expect(await (await up("evil.png", "b")).json()).toMatchObject({ name: "evil (1).png" });
    expect(await (await up("evil.png", "c", { overwrite: "true" })).json()).toMatchObject({ name: "evil.png" });
    expect((await up("x.png", "d", { subfolder: "../../outside" })).status).toBe(400);
    expect((await fetch(`${sb.url}/view?filename=../../etc/passwd&type=input`)).status).toBe(403);
    expect((await fetch(`${sb.url}/view?filename=x.png&subfolder=../..&type=input`)).status).toBe(403);
    expect(await (await fetch(`${sb.url}/view?filename=evil.png&type=input`)).text()).toBe("c");
  });

  it("reads and sets fault knobs at run time, and rejects unknown ones", async () => {
    const r = await post("/__sandbox/faults", { "exec-ms": 55, stuck: false });
    expect((await r.json()).execMs).toBe(55);
    expect((await post("/__sandbox/faults", { nope: 1 })).status).toBe(400);
    expect(() => parseFaults({ "fail-rate": "abc" })).toThrow();
    expect(parseFaults({ "ws-stall": "" })).toEqual({ wsStall: true });
    sb.setFaults({ execMs: 40 });
  });

  it("lists models per folder and serves object_info per class", async () => {
    const folders = await (await fetch(`${sb.url}/models`)).json();
    expect(folders).toContain("checkpoints");
    expect(Array.isArray(await (await fetch(`${sb.url}/models/checkpoints`)).json())).toBe(true);
    const one = await (await fetch(`${sb.url}/object_info/KSampler`)).json();
    expect(Object.keys(one)).toEqual(["KSampler"]);
  });

  it("slow boot answers 503 until ready", async () => {
    const slow = await startSandbox({ slowBootMs: 150 });
    try {
      expect((await fetch(`${slow.url}/system_stats`)).status).toBe(503);
      await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${slow.url}/system_stats`)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it("cold start delays only the first prompt", async () => {
    const cold = await startSandbox({ coldStartMs: 500, execMs: 10 });
    try {
      const timeIt = async (seed: number) => {
        const t0 = Date.now();
        const { prompt_id } = await (await fetch(`${cold.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: prompt(seed) }) })).json();
        for (;;) {
          const h = await (await fetch(`${cold.url}/history/${prompt_id}`)).json();
          if (h[prompt_id]) return Date.now() - t0;
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      const first = await timeIt(1);
      const second = await timeIt(2);
      expect(first).toBeGreaterThanOrEqual(490);
      expect(second).toBeLessThan(first - 250);
    } finally {
      await cold.close();
    }
  });

  it("defaults are documented in one place", () => {
    expect(defaultFaults.payloadLimitMb).toBe(100);
  });
});
