import { describe, expect, it } from "vitest";
import { bundledObjectInfo, checkCompatibility, loadWorkflow, validatePrompt, type ApiPrompt } from "./index";
import { fixture, listFixtures } from "./test-support/fixtures";

const oi = bundledObjectInfo();
const load = (f: string) => loadWorkflow(fixture(f)).prompt;
const clone = (p: ApiPrompt): ApiPrompt => JSON.parse(JSON.stringify(p));
const lora = () => clone(load("comfyui-examples/api/lora__lora.json"));

describe("validatePrompt", () => {
  it("accepts every real API fixture in lenient mode", () => {
    for (const f of listFixtures("comfyui-examples/api")) {
      const v = validatePrompt(load(`comfyui-examples/api/${f}`), oi, { acceptAnyModelFile: true });
      expect(v, f).toEqual({ ok: true, node_errors: {} });
    }
  });

  it("strict mode reports model files missing on the server, ComfyUI-style", () => {
    const v = validatePrompt(lora(), oi);
    expect(v.ok).toBe(false);
    expect(v.error?.type).toBe("prompt_outputs_failed_validation");
    const e = v.node_errors["4"]!;
    expect(e.class_type).toBe("CheckpointLoaderSimple");
    expect(e.dependent_outputs).toEqual(["9"]);
    expect(e.errors[0]).toMatchObject({ type: "value_not_in_list", message: "Value not in list", extra_info: { input_name: "ckpt_name", received_value: "v1-5-pruned-emaonly.ckpt" } });
    expect(e.errors[0]!.details).toMatch(/^ckpt_name: 'v1-5-pruned-emaonly.ckpt' not in \['sd3.5_medium.safetensors', 'sd_xl_base_1.0.safetensors', .*\]$/);
  });

  it("reports unknown class types as invalid_prompt naming the type", () => {
    const v = validatePrompt(load("seed-scenarios/z-image-danrisi.api.json"), oi, { acceptAnyModelFile: true });
    expect(v.ok).toBe(false);
    expect(v.error?.type).toBe("invalid_prompt");
    expect(v.error?.message).toMatch(/node (ClownsharKSampler_Beta|Sigmas Rescale) does not exist/);
  });

  it("reports missing required inputs, min/max, combo and type errors", () => {
    const p = lora();
    delete p["3"]!.inputs.model;
    p["3"]!.inputs.steps = 0;
    p["3"]!.inputs.cfg = 1000;
    p["3"]!.inputs.sampler_name = "nope";
    p["5"]!.inputs.width = "wide";
    const v = validatePrompt(p, oi, { acceptAnyModelFile: true });
    expect(v.ok).toBe(false);
    const types = v.node_errors["3"]!.errors.map((e) => e.type).sort();
    expect(types).toEqual(["required_input_missing", "value_bigger_than_max", "value_not_in_list", "value_smaller_than_min"]);
    expect(v.node_errors["5"]!.errors[0]!.type).toBe("invalid_input_type");
    expect(v.node_errors["3"]!.dependent_outputs).toEqual(["9"]);
  });

  it("reports links to missing nodes, bad output indexes and type mismatches", () => {
    const p = lora();
    p["8"]!.inputs.vae = ["4", 0]; // MODEL into VAE
    p["3"]!.inputs.positive = ["404", 0];
    const v = validatePrompt(p, oi, { acceptAnyModelFile: true });
    expect(v.node_errors["8"]!.errors[0]).toMatchObject({ type: "return_type_mismatch", details: "vae, received_type(MODEL) mismatch input_type(VAE)" });
    expect(v.node_errors["3"]!.errors[0]!.type).toBe("bad_linked_input");
    const q = lora();
    q["9"]!.inputs.images = ["8", 5];
    expect(validatePrompt(q, oi, { acceptAnyModelFile: true }).node_errors["9"]!.errors[0]!.type).toBe("return_type_mismatch");
  });

  it("reports prompts without outputs and cycles", () => {
    const p = lora();
    delete p["9"];
    expect(validatePrompt(p, oi, { acceptAnyModelFile: true }).error?.type).toBe("prompt_no_outputs");
    const c = lora();
    c["10"]!.inputs.model = ["3", 0]; // LATENT → MODEL is a mismatch; make a real cycle with matching types instead
    c["10"]!.inputs.model = ["10", 0];
    const v = validatePrompt(c, oi, { acceptAnyModelFile: true });
    expect(v.ok).toBe(false);
    expect(v.node_errors["10"]!.errors.map((e) => e.type)).toContain("dependency_cycle");
  });

  it("only validates nodes that outputs depend on", () => {
    const p = lora();
    p["99"] = { class_type: "KSampler", inputs: { steps: -5 } };
    expect(validatePrompt(p, oi, { acceptAnyModelFile: true }).ok).toBe(true);
  });

  it("does not crash on hostile class types", () => {
    const p = { "1": { class_type: "constructor", inputs: {} }, "2": { class_type: "toString", inputs: {} } } as ApiPrompt;
    expect(validatePrompt(p, oi).error?.type).toBe("invalid_prompt");
  });
});

describe("checkCompatibility", () => {
  it("names missing custom nodes and model files", () => {
    const c = checkCompatibility(load("seed-scenarios/z-image-danrisi.api.json"), oi);
    expect(c.missingNodes).toEqual(expect.arrayContaining(["ClownsharKSampler_Beta", "Sigmas Rescale"]));
    expect(c.missingNodes).not.toContain("BetaSamplingScheduler");
    expect(c.missingModels).toEqual(expect.arrayContaining([{ nodeId: "1", input: "unet_name", name: "z_image_turbo_bf16.safetensors" }]));
    expect(c.errors.ok).toBe(false);
  });

  it("is clean when the server has everything", () => {
    const p = lora();
    const info = structuredClone(oi);
    (info.CheckpointLoaderSimple!.input!.required!.ckpt_name![0] as string[]).push("v1-5-pruned-emaonly.ckpt");
    (info.LoraLoader!.input!.required!.lora_name![0] as string[]).push("epiNoiseoffset_v2.safetensors");
    const c = checkCompatibility(p, info);
    expect(c).toEqual({ missingNodes: [], missingModels: [], errors: { ok: true, node_errors: {} } });
  });
});
