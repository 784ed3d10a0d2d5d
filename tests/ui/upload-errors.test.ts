// A refused upload's node problems, grouped by cause: the real conversion error of a UI export with
// ten nodes of two unknown custom types.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflow, WorkflowError } from "@/lib/comfy-graph";
import { compactIds, groupNodeProblems } from "@/components/workflows/upload-errors";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/ui/lora__lora.json");

export function withCustomNodes(count = 10) {
  const ui = JSON.parse(fs.readFileSync(FIX, "utf8"));
  for (let i = 0; i < count; i++) {
    ui.nodes.push({ id: 100 + i, type: i < 7 ? "FancyUpscaler" : "MysteryFilter", mode: 0, pos: [0, 0], size: [200, 100], inputs: [], outputs: [{ name: "IMAGE", type: "IMAGE", links: [] }], widgets_values: [1.5, "lanczos"] });
  }
  return ui;
}

describe("upload error groups", () => {
  it("says each cause once, with its fix and the node ids by type", () => {
    let details: { nodes: unknown[] } | undefined;
    try {
      loadWorkflow(withCustomNodes());
    } catch (e) {
      expect(e).toBeInstanceOf(WorkflowError);
      details = (e as WorkflowError).details as { nodes: unknown[] };
    }
    expect(details?.nodes).toHaveLength(10);
    const groups = groupNodeProblems(details!.nodes as never);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      count: 10,
      types: [
        { type: "FancyUpscaler", ids: ["100", "101", "102", "103", "104", "105", "106"] },
        { type: "MysteryFilter", ids: ["107", "108", "109"] },
      ],
    });
    expect(groups[0]!.cause).toMatch(/^No definition for the node type, so/);
    expect(groups[0]!.cause).not.toMatch(/FancyUpscaler|MysteryFilter/);
    expect(groups[0]!.fix).toMatch(/^Install its custom node pack/);
    expect(compactIds(groups[0]!.types[0]!.ids)).toBe("#100, #101, #102, #103, #104, #105 and 1 more");
  });

  it("keeps different causes apart", () => {
    const g = groupNodeProblems([
      { id: "1", type: "A", message: "Links loop" },
      { id: "2", type: "B", message: "No definition for node type B (install it)" },
      { id: "3", type: "C", message: "No definition for node type C (install it)" },
    ]);
    expect(g.map((x) => x.count)).toEqual([2, 1]);
    expect(g[0]!.fix).toBe("Install it.");
  });
});
