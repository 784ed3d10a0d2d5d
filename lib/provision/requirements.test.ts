// Requirements of every kind of workflow against ComfyUI-Manager's real index (read from ../shared,
// never copied here): packs per class with Manager's resolution order and the fewest-packs choice,
// models with their folders and sources, unknown classes, and never a failure for want of definitions.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { bundledObjectInfo, type ObjectInfo } from "@/lib/comfy-graph";
import { fixtureJson, FIXTURES } from "@/lib/comfy-graph/test-support/fixtures";
import { readManagerFile } from "../../tests/helpers/shared";
import { buildNodeIndex, type NodeIndex } from "./node-index";
import { collect, resolve, tokenFor, type Resolutions } from "./requirements";

const oi = bundledObjectInfo();
let cached: NodeIndex | undefined;
const index = () =>
  (cached ??= buildNodeIndex(
    { extensionNodeMap: readManagerFile("extension-node-map.json"), customNodeList: readManagerFile("custom-node-list.json"), githubStats: readManagerFile("github-stats.json"), modelList: readManagerFile("model-list.json") },
    { fetchedAt: "2026-08-19T00:00:00.000Z", source: "test" },
  ));
const none = (): Resolutions => ({ classes: new Map(), models: new Map() });
const req = (rel: string, opts: { objectInfo?: ObjectInfo; resolutions?: Resolutions; index?: NodeIndex | null } = {}) =>
  resolve(collect({ original: fixtureJson(rel) }, opts.objectInfo ?? oi), { objectInfo: opts.objectInfo ?? oi, index: opts.index === undefined ? index() : opts.index, resolutions: opts.resolutions ?? none() });
const packs = (r: ReturnType<typeof req>) => r.packs.map((p) => [p.repository, p.classes]);
const models = (r: ReturnType<typeof req>) => r.models.map((m) => `${m.folder}/${m.name} ${m.source ?? "-"}`);

describe("packs", () => {
  it("Z-Image Danrisi: RES4LYF for ClownsharKSampler_Beta and Sigmas Rescale; BetaSamplingScheduler is core", () => {
    const r = req("seed-scenarios/z-image-danrisi.api.json");
    expect(packs(r)).toEqual([["https://github.com/ClownsharkBatwing/RES4LYF", ["ClownsharKSampler_Beta", "Sigmas Rescale"]]]);
    expect(r.packs[0]).toMatchObject({ install: "res4lyf", source: "index" });
    expect(r.unknownClasses).toEqual([]);
  });

  it("PuLID: the one pack covering all five classes, not a fork that preempts four of them plus a second pack", () => {
    const r = req("seed-scenarios/z-image-pulid.api.json");
    expect(packs(r).filter(([repo]) => /PuLID/i.test(String(repo)))).toEqual([
      ["https://github.com/lldacing/ComfyUI_PuLID_Flux_ll", ["ApplyPulidFlux", "FixPulidFluxPatch", "PulidFluxEvaClipLoader", "PulidFluxInsightFaceLoader", "PulidFluxModelLoader"]],
    ]);
    expect(r.packs.find((p) => p.repository?.includes("lldacing"))!.alternatives).toContain("https://github.com/sipie800/ComfyUI-PuLID-Flux-Enhanced");
  });

  it("a class claimed by several packs goes to the most starred (ImageResize+ → ComfyUI_essentials, not a fork)", () => {
    const r = req("community/ipadapter-plus-style.json");
    expect(packs(r)).toEqual([
      ["https://github.com/cubiq/ComfyUI_essentials", ["ImageResize+"]],
      ["https://github.com/cubiq/ComfyUI_IPAdapter_plus", ["IPAdapterAdvanced", "IPAdapterModelLoader"]],
    ]);
  });

  it("a pack that preempts a class wins it over the pack listing it first", () => {
    const ix = index();
    const r = resolve(collect({ original: { 1: { class_type: "CannyEdgePreprocessor", inputs: {} }, 2: { class_type: "PreviewImage", inputs: { images: ["1", 0] } } } }, oi), { objectInfo: oi, index: ix, resolutions: none() });
    expect(packs(r)).toEqual([["https://github.com/Fannovel16/comfyui_controlnet_aux", ["CannyEdgePreprocessor"]]]);
  });

  it("a nodename_pattern claims classes no pack lists", () => {
    const r = resolve(collect({ original: { 1: { class_type: "DF_Made_Up_Node", inputs: {} } } }, oi), { objectInfo: oi, index: index(), resolutions: none() });
    expect(packs(r)).toEqual([["https://github.com/Derfuu/Derfuu_ComfyUI_ModdedNodes", ["DF_Made_Up_Node"]]]);
  });

  it("an endpoint's /object_info python_module names the pack before the index does", () => {
    const withDefs: ObjectInfo = Object.assign(Object.create(null), oi, {
      ClownsharKSampler_Beta: { input: { required: {} }, output: ["LATENT"], python_module: "custom_nodes.RES4LYF" },
      "Sigmas Rescale": { input: { required: {} }, output: ["SIGMAS"], python_module: "custom_nodes.RES4LYF" },
    });
    const r = req("seed-scenarios/z-image-danrisi.api.json", { objectInfo: withDefs });
    expect(r.packs).toEqual([expect.objectContaining({ repository: "https://github.com/ClownsharkBatwing/RES4LYF", source: "object_info", classes: ["ClownsharKSampler_Beta", "Sigmas Rescale"] })]);
  });

  it("lists unknown classes by node, and takes the user's git URL for one once given", () => {
    const r = req("community/unknown-classes.json");
    expect(r.packs).toEqual([]);
    expect(r.unknownClasses.map((u) => u.classType)).toEqual(["Acme Frobnicator", "Qux Secret Saver", "ZetaUpscaler_XL"]);
    const user = none();
    user.classes.set("Qux Secret Saver", "https://github.com/qux/comfyui-secret");
    const r2 = req("community/unknown-classes.json", { resolutions: user });
    expect(r2.packs).toEqual([expect.objectContaining({ repository: "https://github.com/qux/comfyui-secret", source: "user", classes: ["Qux Secret Saver"] })]);
  });

  it("without an index every custom class is unknown, and says why", () => {
    const r = req("seed-scenarios/z-image-danrisi.api.json", { index: null });
    expect(r.unknownClasses.map((u) => u.classType)).toEqual(["ClownsharKSampler_Beta", "Sigmas Rescale"]);
    expect(r.warnings.map((w) => w.code)).toContain("node_index_unavailable");
  });
});

describe("models", () => {
  it("Danrisi: the three models with their folders, no source known", () => {
    expect(models(req("seed-scenarios/z-image-danrisi.api.json"))).toEqual([
      "diffusion_models/z_image_turbo_bf16.safetensors -",
      "text_encoders/qwen_3_4b.safetensors -",
      "vae/z-image-turbo-vae.safetensors -",
    ]);
  });

  it("model files named only in widgets_values of nodes without definitions, folders from the model list", () => {
    const r = req("community/impact-face-detailer.json");
    expect(models(r)).toEqual(["checkpoints/sd_xl_base_1.0.safetensors index", "ultralytics/bbox/face_yolov8m.pt index", "sams/sam_vit_b_01ec64.pth index"]);
    expect(r.models[1]).toMatchObject({ input: "widgets_values[0]", url: "https://huggingface.co/Bingsu/adetailer/resolve/main/face_yolov8m.pt", size: "52.0MB" });
    expect(r.unnamedInputs.map((u) => u.classType)).toEqual(["UltralyticsDetectorProvider", "SAMLoader", "FaceDetailer"]);
  });

  it("the workflow's own properties.models URL first, then the model list; bypassed nodes need nothing", () => {
    expect(models(req("community/ipadapter-plus-style.json"))).toEqual([
      "checkpoints/v1-5-pruned-emaonly-fp16.safetensors workflow",
      "ipadapter/ip-adapter-plus_sd15.safetensors index",
      "clip_vision/CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors index",
    ]);
    const r = req("community/res4lyf-mikey-upscale.json");
    expect(models(r)).toEqual(["checkpoints/juggernautXL_v9.safetensors -", "upscale_models/4x-UltraSharp.pth index"]);
    expect(packs(r)).toEqual([
      ["https://github.com/bash-j/mikey_nodes", ["Mikey Sampler Base Only"]],
      ["https://github.com/ClownsharkBatwing/RES4LYF", ["ClownsharKSampler_Beta"]],
    ]);
  });

  it("a generic file name is not matched to some entry of the model list", () => {
    const r = req("seed-scenarios/z-image-instantid.api.json");
    expect(r.models.find((m) => m.name === "diffusion_pytorch_model.safetensors")).toMatchObject({ folder: "controlnet", url: null, source: null });
  });

  it("a user's URL for a file without a source, and the token gated downloads need", () => {
    const user = none();
    user.models.set("qwen_3_4b.safetensors", "https://huggingface.co/Comfy-Org/z_image_turbo/resolve/main/split_files/text_encoders/qwen_3_4b.safetensors");
    expect(req("seed-scenarios/z-image-danrisi.api.json", { resolutions: user }).models[1]).toMatchObject({ source: "user", url: expect.stringContaining("qwen_3_4b") });
    expect(tokenFor("https://huggingface.co/black-forest-labs/FLUX.1-dev/resolve/main/flux1-dev.safetensors")).toBe("HF_TOKEN");
    expect(tokenFor("https://civitai.com/api/download/models/12345")).toBe("CIVITAI_TOKEN");
    expect(tokenFor("https://huggingface.co/Comfy-Org/flux1-schnell/resolve/main/flux1-schnell.safetensors")).toBeUndefined();
  });
});

describe("never fails for want of definitions", () => {
  const all = ["comfyui-examples/ui", "comfyui-examples/ui-only", "comfyui-examples/api", "subgraphs/ui", "community", "seed-scenarios"].flatMap((d) =>
    fs.readdirSync(`${FIXTURES}/${d}`).filter((f) => f.endsWith(".json")).map((f) => `${d}/${f}`),
  );
  it.each(all)("%s", (rel) => {
    const bare: ObjectInfo = Object.create(null); // no definitions at all
    const r = resolve(collect({ original: fixtureJson(rel) }, bare), { objectInfo: bare, index: index(), resolutions: none() });
    expect(r.coreClasses + r.packs.reduce((n, p) => n + p.classes.length, 0) + r.unknownClasses.length).toBeGreaterThan(0);
  });
});
