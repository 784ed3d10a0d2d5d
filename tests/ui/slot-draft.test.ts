// The deploy draft holds only the slots the user chose; the analysis' suggestions are offers.
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { draftOps, emptyDraft, offersOf, readDraft } from "@/components/workflows/slot-draft";
import { bundledObjectInfo, loadWorkflow, suggestSlots, type Slot } from "@/lib/comfy-graph";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
const prompt = loadWorkflow(fs.readFileSync(path.join(FIX, "lora__lora.json"))).prompt;
const suggested = suggestSlots(prompt, bundledObjectInfo()) as Slot[];
const key = (s: { nodeId: string; input: string }) => `${s.nodeId}.${s.input}`;

describe("slot draft", () => {
  it("starts empty: suggestions are offered, not included", () => {
    expect(suggested.length).toBeGreaterThan(5);
    const d = emptyDraft();
    expect(d.slots).toEqual([]);
    expect(offersOf(d, suggested)).toEqual(suggested);
  });

  it("one clicked input is the only slot; accepting a suggestion adds exactly that one", () => {
    let d = draftOps.upsert(emptyDraft(), { name: "prompt", nodeId: "6", input: "text", type: "string" });
    expect(d.slots.map(key)).toEqual(["6.text"]);
    expect(offersOf(d, suggested).map(key)).not.toContain("6.text");
    const steps = suggested.find((s) => s.input === "steps")!;
    d = draftOps.accept(d, key(steps), suggested);
    expect(d.slots.map(key)).toEqual(["6.text", key(steps)]);
    d = draftOps.dismiss(d, key(suggested.find((s) => s.input === "cfg")!));
    expect(offersOf(d, suggested).map((s) => s.input)).not.toContain("cfg");
    d = draftOps.remove(d, key(steps));
    expect(d.slots.map(key)).toEqual(["6.text"]);
    expect(offersOf(d, suggested).map(key)).toContain(key(steps)); // offered again
    d = draftOps.acceptAll(d, suggested);
    expect(d.slots.length).toBe(suggested.length - 1); // all but the dismissed cfg
    expect(new Set(d.slots.map((s) => s.name)).size).toBe(d.slots.length);
  });

  it("suggested ranges are sensible, within the node's limits", () => {
    const by = Object.fromEntries(suggested.map((s) => [s.input, s]));
    expect(by.width).toMatchObject({ min: 64, max: 2048, step: 8 });
    expect(by.batch_size).toMatchObject({ min: 1, max: 8 });
    expect(by.steps).toMatchObject({ min: 1, max: 150 });
    expect(by.cfg).toMatchObject({ min: 0, max: 30 });
  });

  it("drafts saved before suggestions were offers lose the suggestions never accepted", () => {
    const old = { slots: suggested, pending: suggested.filter((s) => s.input !== "text").map(key), dismissed: ["x.y"] };
    const d = readDraft(JSON.stringify(old));
    expect(d.slots.map((s) => s.input).every((i) => i === "text")).toBe(true);
    expect(d.dismissed).toEqual(["x.y"]);
    expect(readDraft("{not json")).toEqual(emptyDraft());
    expect(readDraft(null)).toEqual(emptyDraft());
  });
});
