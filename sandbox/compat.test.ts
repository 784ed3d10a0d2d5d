// Third-party clients work against the look-alikes unchanged: RunPod's own JS SDK (runpod-sdk)
// against the RunPod personality, and a popular ComfyUI client (@saintno/comfyui-sdk) against
// the sandbox ComfyUI.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import runpodSdk from "runpod-sdk";
import { CallWrapper, ComfyApi, PromptBuilder } from "@saintno/comfyui-sdk";
import { startSandbox, type SandboxHandle } from "./index";

const txt2img = {
  "3": { class_type: "KSampler", inputs: { seed: 1, steps: 4, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1, model: ["4", 0], positive: ["6", 0], negative: ["7", 0], latent_image: ["5", 0] } },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "v1-5-pruned-emaonly.safetensors" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 128, height: 128, batch_size: 1 } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "a red fox", clip: ["4", 1] } },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "sdk", images: ["8", 0] } },
};

describe("runpod-sdk against the RunPod look-alike", () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ provider: "runpod", apiKey: "sdk-key", execMs: 30 });
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await sb.close();
  });

  it("run → status polling → COMPLETED with worker-comfyui images; health; purge; cancel", async () => {
    const endpoint = runpodSdk("sdk-key", { baseUrl: `${sb.url}/v2` }).endpoint("my-endpoint")!;
    const run = (await endpoint.run({ input: { workflow: txt2img } })) as any;
    expect(run).toMatchObject({ status: "IN_QUEUE" });
    let st: any;
    for (let i = 0; i < 200; i++) {
      st = await endpoint.status(run.id);
      if (st.completed) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(st).toMatchObject({ status: "COMPLETED", completed: true, succeeded: true });
    expect(st.output.images[0]).toMatchObject({ type: "base64", filename: "sdk_00001_.png" });
    expect(typeof st.delayTime).toBe("number");
    expect(typeof st.executionTime).toBe("number");

    const health = (await endpoint.health()) as any;
    expect(health.jobs.completed).toBeGreaterThanOrEqual(1);
    expect(health.workers).toHaveProperty("idle");

    sb.setFaults({ stuck: true });
    const queued = (await endpoint.run({ input: { workflow: txt2img } })) as any;
    const queued2 = (await endpoint.run({ input: { workflow: txt2img } })) as any;
    const cancelled = (await endpoint.cancel(queued.id)) as any;
    expect(cancelled).toMatchObject({ id: queued.id, status: "CANCELLED" });
    const purged = (await endpoint.purgeQueue()) as any;
    expect(purged.removed).toBe(1);
    expect(((await endpoint.status(queued2.id)) as any).status).toBe("CANCELLED");
    sb.setFaults({ stuck: false });
  });

  it("runSync returns the finished job", async () => {
    const endpoint = runpodSdk("sdk-key", { baseUrl: `${sb.url}/v2` }).endpoint("my-endpoint")!;
    const res = (await endpoint.runSync({ input: { workflow: txt2img } }, 10_000)) as any;
    expect(res).toMatchObject({ status: "COMPLETED", succeeded: true });
    expect(res.output.images).toHaveLength(1);
  });

  it("a wrong key is refused the way the SDK expects (non-200 status)", async () => {
    const endpoint = runpodSdk("wrong", { baseUrl: `${sb.url}/v2` }).endpoint("my-endpoint")!;
    const res = (await endpoint.health().catch((e: any) => e?.response ?? e)) as any;
    expect(res.status).toBe(401);
  });
});

describe("@saintno/comfyui-sdk against the sandbox ComfyUI", () => {
  let sb: SandboxHandle;
  let api: ComfyApi;
  beforeAll(async () => {
    sb = await startSandbox({ execMs: 40 });
    api = new ComfyApi(sb.url, "sdk-compat-client");
    api.init(10, 100);
    for (let i = 0; i < 100 && !api.isReady; i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    api?.destroy();
    await sb.close();
  });

  it("queues a prompt through PromptBuilder/CallWrapper, gets progress and the output images", async () => {
    expect(api.isReady).toBe(true);
    const workflow = new PromptBuilder(txt2img as any, ["positive", "seed", "width"], ["images"])
      .setInputNode("positive", "6.inputs.text")
      .setInputNode("seed", "3.inputs.seed")
      .setInputNode("width", "5.inputs.width")
      .setOutputNode("images", "9")
      .input("positive", "a lighthouse")
      .input("seed", 1234)
      .input("width", 192);
    const progress: number[] = [];
    const result: any = await new Promise((resolve, reject) => {
      new CallWrapper(api, workflow)
        .onProgress((p: any) => progress.push(p.value))
        .onFinished((data: any) => resolve(data))
        .onFailed((err: any) => reject(err))
        .run();
    });
    expect(progress.length).toBeGreaterThan(0);
    const images = result.images.images;
    expect(images[0]).toMatchObject({ type: "output", subfolder: "" });
    const url = api.getPathImage(images[0]);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
  });

  it("reads system stats, queue, history and node definitions", async () => {
    expect(((await api.getSystemStats()).system as any).comfyui_version).toContain("sandbox");
    const q = await api.getQueue();
    expect(q).toHaveProperty("queue_pending");
    const hist = await api.getHistories(5);
    expect(Object.keys(hist).length).toBeGreaterThanOrEqual(1);
    const defs = await api.getNodeDefs("KSampler");
    expect(defs).toHaveProperty("KSampler");
  });
});
