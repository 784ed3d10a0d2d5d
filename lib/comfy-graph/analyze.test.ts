import { describe, expect, it } from "vitest";
import { analyzeWorkflow, bundledObjectInfo, loadWorkflow, validateSlots } from "./index";
import { fixture, listFixtures } from "./test-support/fixtures";

const oi = bundledObjectInfo();
const analyze = (f: string) => analyzeWorkflow(loadWorkflow(fixture(f)), oi);

describe("analyzeWorkflow", () => {
  it("describes the lora example as API.md says", () => {
    const a = analyze("comfyui-examples/api/lora__lora.json");
    expect(a.format).toBe("api");
    expect(a.nodeCount).toBe(8);
    expect(a.nodes[0]).toEqual({ id: "3", classType: "KSampler", title: "KSampler" });
    expect(a.outputs).toEqual([{ nodeId: "9", classType: "SaveImage" }]);
    expect(a.models).toEqual([
      { nodeId: "4", input: "ckpt_name", name: "v1-5-pruned-emaonly.ckpt", folder: "checkpoints" },
      { nodeId: "10", input: "lora_name", name: "epiNoiseoffset_v2.safetensors", folder: "loras" },
    ]);
    expect(a.customNodes).toEqual([]);
    const byName = Object.fromEntries(a.suggestedSlots.map((s) => [s.name, s]));
    expect(byName.prompt).toMatchObject({ nodeId: "6", input: "text", type: "string", default: "masterpiece best quality girl" });
    expect(byName.negative_prompt).toMatchObject({ nodeId: "7", input: "text", default: "bad hands" });
    expect(byName.seed).toMatchObject({ nodeId: "3", input: "seed", type: "seed" });
    expect(byName.steps).toMatchObject({ type: "integer", default: 20 });
    expect(byName.width).toMatchObject({ nodeId: "5", type: "integer", default: 512 });
    expect(byName.lora_strength).toMatchObject({ nodeId: "10", input: "strength_model", type: "number" });
  });

  it("finds folders for the usual loaders", () => {
    const folders = new Map<string, string | null>();
    const clipFolders = new Map<string, string | null>();
    for (const f of listFixtures("comfyui-examples/api")) {
      const prompt = loadWorkflow(fixture(`comfyui-examples/api/${f}`)).prompt;
      for (const m of analyze(`comfyui-examples/api/${f}`).models) {
        folders.set(`${m.input}`, m.folder);
        if (m.input === "clip_name") clipFolders.set(prompt[m.nodeId]!.class_type, m.folder);
      }
    }
    expect(folders.get("unet_name")).toBe("diffusion_models");
    expect(folders.get("vae_name")).toBe("vae");
    expect(folders.get("clip_name1")).toBe("text_encoders");
    expect(folders.get("control_net_name")).toBe("controlnet");
    expect(clipFolders.get("CLIPLoader")).toBe("text_encoders");
    expect(clipFolders.get("CLIPVisionLoader")).toBe("clip_vision");
    expect(folders.get("model_name")).toBe("upscale_models");
    expect(folders.get("style_model_name")).toBe("style_models");
    expect(folders.get("gligen_name")).toBe("gligen");
    expect(folders.get("hypernetwork_name")).toBe("hypernetworks");
  });

  it("suggests prompt and seed slots for every real example with a sampler, valid against the prompt", () => {
    for (const f of listFixtures("comfyui-examples/api")) {
      const l = loadWorkflow(fixture(`comfyui-examples/api/${f}`));
      const a = analyzeWorkflow(l, oi);
      const names = a.suggestedSlots.map((s) => s.name);
      expect(new Set(names).size, f).toBe(names.length);
      expect(validateSlots(a.suggestedSlots, l.prompt), f).toEqual([]);
      expect(names, f).toContain("seed");
      if (!/hidream_e1|omnigen|qwen/.test(f)) expect(names, f).toContain("prompt");
    }
  });

  it("detects custom nodes in the seed scenarios (BetaSamplingScheduler is core)", () => {
    const d = analyze("seed-scenarios/z-image-danrisi.api.json");
    expect(d.customNodes.map((c) => c.classType).sort()).toEqual(["ClownsharKSampler_Beta", "Sigmas Rescale"]);
    expect(d.warnings.some((w) => w.code === "unknown_node")).toBe(true);
    const i = analyze("seed-scenarios/z-image-instantid.api.json");
    expect(i.customNodes.map((c) => c.classType)).toEqual(expect.arrayContaining(["ApplyInstantID", "InstantIDModelLoader"]));
    expect(i.suggestedSlots.find((s) => s.type === "image")).toMatchObject({ input: "image" });
    const p = analyze("seed-scenarios/z-image-pulid.api.json");
    expect(p.customNodes.map((c) => c.classType)).toEqual(expect.arrayContaining(["ApplyPulidFlux", "PulidFluxModelLoader"]));
    expect(p.models.find((m) => m.input === "pulid_file")).toMatchObject({ folder: "pulid" });
  });

  it("warns about Comfy.org API nodes", () => {
    const apiClass = Object.keys(oi).find((k) => String(oi[k]!.python_module).startsWith("comfy_api_nodes"))!;
    const l = loadWorkflow({ "1": { class_type: apiClass, inputs: {} } });
    const a = analyzeWorkflow(l, oi);
    expect(a.warnings.map((w) => w.code)).toContain("api_node_requires_key");
    expect(a.customNodes).toEqual([]);
  });

  it("analyses converted UI workflows with format ui", () => {
    const a = analyze("subgraphs/ui/sg_lora_nested.json");
    expect(a.format).toBe("ui");
    expect(a.nodes.map((n) => n.id)).toContain("13:12:10");
    expect(a.suggestedSlots.map((s) => s.name)).toEqual(expect.arrayContaining(["prompt", "negative_prompt", "seed"]));
  });
});
