import { describe, expect, it } from "vitest";
import { carryOverSlots, diffPrompts, loadWorkflow, type Slot } from "./index";
import { fixtureJson } from "./test-support/fixtures";

const v1 = loadWorkflow(fixtureJson("comfyui-examples/api/lora__lora.json")).prompt;

describe("version diff", () => {
  it("reports nothing for the same prompt", () => {
    const d = diffPrompts(v1, structuredClone(v1));
    expect(d).toMatchObject({ added: [], removed: [], changed: [] });
    expect(d.unchanged).toBe(Object.keys(v1).length);
  });

  it("lists added, removed and changed nodes with the inputs that changed", () => {
    const v2 = structuredClone(v1);
    v2["6"].inputs.text = "a new prompt";
    v2["3"].inputs.steps = 30;
    delete v2["10"]; // drop the LoRA: rewire model and clip straight from the checkpoint
    v2["3"].inputs.model = ["4", 0];
    v2["6"].inputs.clip = ["4", 1];
    v2["7"].inputs.clip = ["4", 1];
    v2["11"] = { class_type: "PreviewImage", inputs: { images: ["8", 0] } };
    const d = diffPrompts(v1, v2);
    expect(d.added).toEqual([{ id: "11", classType: "PreviewImage" }]);
    expect(d.removed).toEqual([{ id: "10", classType: "LoraLoader" }]);
    const byId = Object.fromEntries(d.changed.map((c) => [c.id, c.inputs.map((i) => i.name)]));
    expect(byId["6"]).toEqual(["clip", "text"]);
    expect(byId["3"]).toEqual(["model", "steps"]);
    expect(d.changed.find((c) => c.id === "6")!.inputs.find((i) => i.name === "text")).toEqual({ name: "text", before: "masterpiece best quality girl", after: "a new prompt" });
  });

  it("carries over slots whose node and literal input still exist, and explains the rest", () => {
    const slots: Slot[] = [
      { name: "prompt", nodeId: "6", input: "text", type: "string" },
      { name: "lora_strength", nodeId: "10", input: "strength_model", type: "number" },
      { name: "steps", nodeId: "3", input: "steps", type: "integer" },
    ];
    const v2 = structuredClone(v1);
    delete v2["10"];
    v2["3"].inputs.steps = ["99", 0];
    const r = carryOverSlots(slots, v2);
    expect(r.kept.map((s) => s.name)).toEqual(["prompt"]);
    expect(r.unresolved.map((u) => u.slot.name)).toEqual(["lora_strength", "steps"]);
    expect(r.unresolved[0].reason).toContain("not in the new version");
    expect(r.unresolved[1].reason).toContain("connected");
  });
});
