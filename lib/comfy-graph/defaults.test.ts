import { describe, expect, it } from "vitest";
import { bundledObjectInfo, fillMissingDefaults, validatePrompt } from "./index";
import { fixtureJson } from "./test-support/fixtures";
import type { ApiPrompt } from "./types";

const oi = bundledObjectInfo();

describe("fillMissingDefaults", () => {
  it("gives an older export's missing widgets their defaults, as ComfyUI's editor does, and says so", () => {
    const p = fixtureJson<ApiPrompt>("comfyui-examples/api/unclip__unclip_example.json");
    expect(p["13"]!.inputs.crop).toBeUndefined();
    const before = validatePrompt(p, oi).node_errors["13"]?.errors ?? [];
    expect(before.map((e) => e.type)).toContain("required_input_missing");
    const r = fillMissingDefaults(p, oi);
    expect(r.filled).toEqual([{ nodeId: "13", classType: "CLIPVisionEncode", input: "crop", value: "center" }]);
    expect(r.prompt["13"]!.inputs.crop).toBe("center");
    expect(p["13"]!.inputs.crop).toBeUndefined(); // the input is not changed
    expect(r.warnings[0]).toMatchObject({ code: "input_default_filled", nodeId: "13" });
    const missing = Object.values(validatePrompt(r.prompt, oi).node_errors).flatMap((e) => e.errors.filter((x) => x.type === "required_input_missing"));
    expect(missing).toEqual([]);
  });

  it("leaves complete prompts, linked inputs and unknown classes alone", () => {
    const p = fixtureJson<ApiPrompt>("comfyui-examples/api/lora__lora.json");
    const r = fillMissingDefaults(p, oi);
    expect(r.filled).toEqual([]);
    expect(r.prompt).toBe(p);
    const odd: ApiPrompt = JSON.parse('{"__proto__": {"class_type": "CLIPVisionEncode", "inputs": {}}, "2": {"class_type": "Mystery", "inputs": {}}}');
    const o = fillMissingDefaults(odd, oi);
    expect(Object.getPrototypeOf(o.prompt)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(o.prompt, "__proto__")?.value.inputs.crop).toBe("center");
    expect(o.filled.map((f) => f.nodeId)).toEqual(["__proto__"]);
  });
});
