import { describe, expect, it } from "vitest";
import {
  applyInputs,
  bundledObjectInfo,
  contentHash,
  inferSlot,
  inputLimits,
  loadWorkflow,
  slotsJsonSchema,
  suggestSlots,
  validateRunInputs,
  validateSlots,
  type ApiPrompt,
  type Slot,
} from "./index";
import { fixture } from "./test-support/fixtures";

const oi = bundledObjectInfo();
const lora = (): ApiPrompt => loadWorkflow(fixture("comfyui-examples/api/lora__lora.json")).prompt;

describe("inferSlot", () => {
  it("derives type, limits and default from the node definition", () => {
    const p = lora();
    // well-known inputs offer a sensible range within the node's limits (KSampler: steps 1–10000, cfg 0–100)
    expect(inferSlot(p, "3", "steps", oi)).toMatchObject({ name: "steps", type: "integer", min: 1, max: 150, default: 20 });
    expect(inferSlot(p, "3", "cfg", oi)).toMatchObject({ type: "number", min: 0, max: 30, step: 0.1, default: 8 });
    expect(inputLimits(p, "3", "steps", oi)).toEqual({ min: 1, max: 10000 });
    expect(inferSlot(p, "3", "denoise", oi)).toMatchObject({ min: 0, max: 1 }); // no sensible range: the node's own
    expect(inferSlot(p, "3", "seed", oi)).toMatchObject({ type: "seed", min: 0 });
    expect(inferSlot(p, "3", "sampler_name", oi)).toMatchObject({ type: "enum", default: "euler" });
    expect((inferSlot(p, "3", "sampler_name", oi) as Slot).enum).toContain("dpmpp_2m");
    expect(inferSlot(p, "6", "text", oi)).toMatchObject({ type: "string", default: "masterpiece best quality girl" });
    expect(inferSlot(p, "4", "ckpt_name", oi)).toMatchObject({ type: "string" });
  });

  it("offers latent sizes a caller should send, not the model code's limits, and keeps the workflow's own value inside", () => {
    const p = lora();
    expect(inputLimits(p, "5", "width", oi)).toMatchObject({ min: 16, max: 16384, step: 8 });
    expect(inferSlot(p, "5", "width", oi)).toMatchObject({ type: "integer", min: 64, max: 2048, step: 8 });
    expect(inferSlot(p, "5", "batch_size", oi)).toMatchObject({ min: 1, max: 8 });
    p["5"]!.inputs.width = 4096;
    expect(inferSlot(p, "5", "width", oi)).toMatchObject({ min: 64, max: 4096, default: 4096 });
    p["5"]!.inputs.batch_size = 16;
    expect(inferSlot(p, "5", "batch_size", oi)).toMatchObject({ min: 1, max: 16 });
  });

  it("refuses linked, unknown and missing inputs with a message", () => {
    const p = lora();
    expect(inferSlot(p, "3", "model", oi)).toMatchObject({ refused: true, code: "slot_linked_input" });
    expect(inferSlot(p, "nope", "x", oi)).toMatchObject({ refused: true, code: "slot_unknown_node" });
    expect(inferSlot(p, "3", "nope", oi)).toMatchObject({ refused: true, code: "slot_unknown_input" });
    expect(inferSlot(p, "3", "__proto__", oi)).toMatchObject({ refused: true });
  });

  it("types LoadImage.image as an image slot", () => {
    const p = loadWorkflow(fixture("comfyui-examples/api/img2img__img2img_workflow.json")).prompt;
    expect(inferSlot(p, "10", "image", oi)).toMatchObject({ type: "image" });
  });
});

describe("validateSlots", () => {
  it("accepts suggested slots and flags bad ones", () => {
    const p = lora();
    expect(validateSlots(suggestSlots(p, oi), p)).toEqual([]);
    const bad: Slot[] = [
      { name: "prompt", nodeId: "6", input: "text", type: "string" },
      { name: "prompt", nodeId: "7", input: "text", type: "string" },
      { name: "1x", nodeId: "3", input: "steps", type: "integer" },
      { name: "__proto__", nodeId: "3", input: "cfg", type: "number" },
      { name: "m", nodeId: "3", input: "model", type: "string" },
      { name: "ghost", nodeId: "77", input: "x", type: "string" },
      { name: "nothing", nodeId: "3", input: "nothing", type: "string" },
      { name: "again", nodeId: "6", input: "text", type: "string" },
    ];
    expect(validateSlots(bad, p).map((e) => e.code)).toEqual([
      "slot_duplicate_name",
      "slot_invalid_name",
      "slot_invalid_name",
      "slot_linked_input",
      "slot_unknown_node",
      "slot_unknown_input",
      "slot_duplicate_target",
    ]);
  });
});

const slots: Slot[] = [
  { name: "prompt", nodeId: "6", input: "text", type: "string", required: true },
  { name: "seed", nodeId: "3", input: "seed", type: "seed" },
  { name: "steps", nodeId: "3", input: "steps", type: "integer", min: 1, max: 100, default: 20 },
  { name: "cfg", nodeId: "3", input: "cfg", type: "number", min: 0, max: 30 },
  { name: "sampler", nodeId: "3", input: "sampler_name", type: "enum", enum: ["euler", "dpmpp_2m"] },
  { name: "flag", nodeId: "3", input: "denoise", type: "boolean" },
];

describe("slotsJsonSchema", () => {
  it("describes the run inputs object", () => {
    const s = slotsJsonSchema(slots) as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean; $schema: string };
    expect(s.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(["prompt"]);
    expect(s.properties.steps).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 20 });
    expect(s.properties.sampler).toMatchObject({ enum: ["euler", "dpmpp_2m"], type: "string" });
    expect(s.properties.seed).toMatchObject({ type: ["integer", "null"], minimum: 0 });
  });
});

describe("validateRunInputs", () => {
  it("accepts good inputs and coerces numeric strings", () => {
    expect(validateRunInputs(slots, { prompt: "a cat", steps: "12", cfg: 7.5, sampler: "euler", flag: "true" })).toEqual({
      ok: true,
      values: { prompt: "a cat", steps: 12, cfg: 7.5, sampler: "euler", flag: true },
    });
  });

  it("names each bad slot", () => {
    const r = validateRunInputs(slots, { steps: 0, cfg: "x", sampler: "lms", seed: -1, extra: 1, flag: 3 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.slot).sort()).toEqual(["cfg", "extra", "flag", "prompt", "sampler", "seed", "steps"]);
  });

  it("rejects non-object inputs and ignores prototype keys", () => {
    expect(validateRunInputs(slots, "x").ok).toBe(false);
    expect(validateRunInputs(slots, [1]).ok).toBe(false);
    const r = validateRunInputs(slots, JSON.parse('{"prompt":"x","__proto__":{"steps":5}}'));
    expect(r.ok).toBe(false);
  });
});

describe("applyInputs", () => {
  it("sets values on a copy, fills random seeds and image names", () => {
    const p = lora();
    const before = JSON.stringify(p);
    const { prompt, resolved } = applyInputs(p, [...slots, { name: "img", nodeId: "5", input: "width", type: "image" }], { prompt: "a dog", steps: 30 }, {
      random: () => 0.5,
      imageNames: { img: "upload_1.png" },
    });
    expect(JSON.stringify(p)).toBe(before);
    expect(prompt["6"]!.inputs.text).toBe("a dog");
    expect(prompt["3"]!.inputs.steps).toBe(30);
    expect(prompt["3"]!.inputs.seed).toBe(2 ** 49);
    expect(prompt["5"]!.inputs.width).toBe("upload_1.png");
    expect(resolved).toMatchObject({ prompt: "a dog", steps: 30, seed: 2 ** 49, cfg: 8, img: "upload_1.png" });
  });

  it("uses the given seed and the slot default", () => {
    const { prompt } = applyInputs(lora(), slots, { seed: 7 });
    expect(prompt["3"]!.inputs.seed).toBe(7);
    expect(prompt["3"]!.inputs.steps).toBe(20);
  });
});

describe("contentHash", () => {
  it("ignores key order and formatting", () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(contentHash(JSON.parse('{"b":[1,{"d":3,"c":2}],"a":1}')));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
