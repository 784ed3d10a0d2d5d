import { describe, expect, it } from "vitest";
import { loadWorkflow, WorkflowError } from "./index";
import { fixture, fixtureJson } from "./test-support/fixtures";
import { makePng, makeWebp } from "./test-support/images";

const api = fixtureJson<Record<string, unknown>>("comfyui-examples/api/lora__lora.json");
const ui = fixtureJson<Record<string, unknown>>("comfyui-examples/ui/lora__lora.json");

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowError);
    return (e as WorkflowError).code;
  }
  return undefined;
}

describe("images with embedded workflows", () => {
  it("reads the real ComfyUI PNG: prompt chunk as the prompt, workflow chunk as the original", () => {
    const l = loadWorkflow(fixture("comfyui-examples/png/lora.png"), { filename: "lora.png" });
    expect(l.source).toBe("png");
    expect(l.format).toBe("ui");
    expect(Array.isArray((l.original as { nodes?: unknown }).nodes)).toBe(true);
    expect(l.nodeCount).toBeGreaterThan(0);
    expect(Object.values(l.prompt).map((n) => n.class_type)).toContain("LoraLoader");
  });

  it("reads tEXt, iTXt (plain and compressed) and zTXt chunks", () => {
    for (const type of ["tEXt", "iTXt", "zTXt"] as const) {
      const l = loadWorkflow(makePng([{ type, key: "prompt", text: JSON.stringify(api) }]));
      expect(l.format).toBe("api");
      expect(l.source).toBe("png");
      expect(l.nodeCount).toBe(8);
    }
    const c = loadWorkflow(makePng([{ type: "iTXt", key: "prompt", text: JSON.stringify(api), compressed: true }]));
    expect(c.nodeCount).toBe(8);
  });

  it("converts a PNG that only carries the UI workflow", () => {
    const l = loadWorkflow(makePng([{ type: "tEXt", key: "workflow", text: JSON.stringify(ui) }]));
    expect(l.format).toBe("ui");
    expect(l.prompt["3"]!.class_type).toBe("KSampler");
  });

  it("reads WebP EXIF prompt/workflow strings (little and big endian, with and without the Exif header)", () => {
    for (const opts of [{}, { exifPrefix: true }, { bigEndian: true }]) {
      const l = loadWorkflow(makeWebp({ prompt: api, workflow: ui }, opts));
      expect(l.source).toBe("webp");
      expect(l.format).toBe("ui");
      expect(l.original).toEqual(ui);
      expect(l.nodeCount).toBe(8);
    }
    expect(loadWorkflow(makeWebp({ prompt: api })).format).toBe("api");
    expect(loadWorkflow(makeWebp({ workflow: ui })).prompt["9"]!.class_type).toBe("SaveImage");
  });

  it("fails clearly on images without a workflow and on corrupt images", () => {
    expect(code(() => loadWorkflow(makePng([])))).toBe("image_no_workflow");
    expect(code(() => loadWorkflow(makeWebp({})))).toBe("image_no_workflow");
    const png = fixture("comfyui-examples/png/lora.png");
    expect(code(() => loadWorkflow(png.subarray(0, 40)))).toBe("image_corrupt");
    const webp = makeWebp({ prompt: api });
    expect(code(() => loadWorkflow(webp.subarray(0, webp.length - 50)))).toBe("image_corrupt");
    expect(code(() => loadWorkflow(Buffer.from("not an image"), { filename: "x.png" }))).toBe("image_corrupt");
    expect(code(() => loadWorkflow(makePng([{ type: "tEXt", key: "prompt", text: "{broken" }])))).toBe("workflow_not_json");
  });
});
