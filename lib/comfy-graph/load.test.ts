import { describe, expect, it } from "vitest";
import { loadWorkflow, WorkflowError } from "./index";
import { fixture, fixtureJson, listFixtures } from "./test-support/fixtures";

const lora = fixtureJson<Record<string, unknown>>("comfyui-examples/api/lora__lora.json");

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowError);
    return (e as WorkflowError).code;
  }
  return undefined;
}

describe("loadWorkflow — API format", () => {
  it("loads every API fixture from a Buffer", () => {
    for (const f of [...listFixtures("comfyui-examples/api").map((f) => `comfyui-examples/api/${f}`), ...listFixtures("seed-scenarios").map((f) => `seed-scenarios/${f}`)]) {
      const l = loadWorkflow(fixture(f));
      expect(l.format).toBe("api");
      expect(l.source).toBe("json");
      expect(l.nodeCount).toBe(Object.keys(l.prompt).length);
      expect(l.nodeCount).toBeGreaterThan(0);
    }
  });

  it("accepts bare, {prompt}, {input:{workflow}} and string forms identically", () => {
    const bare = loadWorkflow(lora).prompt;
    expect(loadWorkflow({ prompt: lora, client_id: "x" }).prompt).toEqual(bare);
    expect(loadWorkflow({ input: { workflow: lora, images: [] } }).prompt).toEqual(bare);
    expect(loadWorkflow(JSON.stringify(lora)).prompt).toEqual(bare);
    expect(loadWorkflow(new Uint8Array(Buffer.from(JSON.stringify({ prompt: lora })))).prompt).toEqual(bare);
    expect(loadWorkflow({ prompt: lora }).original).toEqual(lora);
  });

  it("normalises numeric link ids to strings", () => {
    const l = loadWorkflow({ "1": { class_type: "A", inputs: { x: [2, 0] } }, "2": { class_type: "B", inputs: {} } });
    expect(l.prompt["1"]!.inputs.x).toEqual(["2", 0]);
  });

  it("tolerates Python NaN/Infinity in JSON text", () => {
    const l = loadWorkflow('{"1": {"class_type": "A", "inputs": {"v": NaN, "s": "NaN stays"}}}');
    expect(l.prompt["1"]!.inputs).toEqual({ v: null, s: "NaN stays" });
  });

  it("rejects bad input with stable codes", () => {
    expect(code(() => loadWorkflow("{not json"))).toBe("workflow_not_json");
    expect(code(() => loadWorkflow(""))).toBe("workflow_empty");
    expect(code(() => loadWorkflow({}))).toBe("workflow_empty");
    expect(code(() => loadWorkflow(null))).toBe("workflow_empty");
    expect(code(() => loadWorkflow([1, 2, 3]))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow(42))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow({ hello: "world" }))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow({ "1": { class_type: "A", inputs: 5 } }))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow(Buffer.alloc(100, 32), { maxBytes: 10 }))).toBe("workflow_too_large");
    expect(code(() => loadWorkflow("[".repeat(100000) + "]".repeat(100000)))).toBe("workflow_too_deep");
    const cyclic: Record<string, unknown> = { "1": { class_type: "A", inputs: {} } };
    (cyclic["1"] as Record<string, unknown>).self = cyclic;
    expect(code(() => loadWorkflow(cyclic))).toBe("workflow_invalid");
  });

  it("refuses __proto__ / constructor node ids and __proto__ input names without polluting anything", () => {
    expect(code(() => loadWorkflow('{"__proto__": {"class_type": "A", "inputs": {}}}'))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow('{"constructor": {"class_type": "A", "inputs": {}}}'))).toBe("workflow_invalid");
    expect(code(() => loadWorkflow('{"1": {"class_type": "A", "inputs": {"__proto__": {"polluted": 1}}}}'))).toBe("workflow_invalid");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
