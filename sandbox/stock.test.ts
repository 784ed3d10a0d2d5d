// The sandbox's stock: derived from the example workflows (stock.json must match the fixtures),
// reported the way a ComfyUI holding those files reports them, in both combo formats.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "./index";
import { STOCK_FILE, generatedStock, stockText } from "./stock-gen";

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({});
});
afterAll(() => sb.close());
const info = async (cls: string) => (await (await fetch(`${sb.url}/object_info/${cls}`)).json())[cls].input.required;

describe("sandbox stock", () => {
  it("stock.json is what the example workflows need (npx tsx sandbox/stock-gen.ts rewrites it)", () => {
    expect(fs.readFileSync(STOCK_FILE, "utf8")).toBe(stockText(generatedStock()));
  });

  it("lists a folder's files in every loader reading it, legacy and COMBO formats alike", async () => {
    // legacy [[…], {…}] with built-ins that have no file extension
    const vae = (await info("VAELoader")).vae_name[0];
    expect(vae).toEqual(expect.arrayContaining(["taesd", "pixel_space", "ae.safetensors", "vae-ft-mse-840000-ema-pruned.safetensors"]));
    // newer ["COMBO", {"options": […]}]
    const up = (await info("UpscaleModelLoader")).model_name;
    expect(up[0]).toBe("COMBO");
    expect(up[1].options).toEqual(["RealESRGAN_x2.pth", "RealESRGAN_x4plus.pth"]);
    const quad = await info("QuadrupleCLIPLoader");
    expect(quad.clip_name1[1].options).toEqual(quad.clip_name4[1].options);
    expect(quad.clip_name1[1].options).toContain("llama_3.1_8b_instruct_fp8_scaled.safetensors");
    expect((await info("CLIPVisionLoader")).clip_name[0]).toContain("clip_vision_g.safetensors");
    // settings are not model lists
    expect((await info("KSampler")).sampler_name[0]).not.toContain("ae.safetensors");
    expect(await (await fetch(`${sb.url}/models/vae`)).json()).toContain("ae.safetensors");
  });

  it("holds the examples' input images and lists uploads in LoadImage", async () => {
    expect((await info("LoadImage")).image[0]).toEqual(expect.arrayContaining(["example.png", "yosemite_inpaint_example.png", "mountains.png"]));
    const img = await fetch(`${sb.url}/view?filename=mountains.png&type=input`);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    const form = new FormData();
    form.set("image", new File([new Uint8Array(await img.arrayBuffer())], "mine.png", { type: "image/png" }));
    expect((await fetch(`${sb.url}/upload/image`, { method: "POST", body: form })).status).toBe(200);
    expect((await info("LoadImage")).image[0]).toContain("mine.png");
  });

  it("--strict-models reports the real dump's lists, like a stock server", async () => {
    sb.setFaults({ strictModels: true });
    try {
      expect((await info("UpscaleModelLoader")).model_name[1].options).toEqual([]);
      expect((await info("VAELoader")).vae_name[0]).not.toContain("ae.safetensors");
    } finally {
      sb.setFaults({ strictModels: false });
    }
  });
});
