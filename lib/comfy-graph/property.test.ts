// Property-based robustness: whatever comes in, the library answers or throws a WorkflowError —
// never another exception, never a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeWorkflow, bundledObjectInfo, contentHash, loadWorkflow, suggestSlots, validatePrompt, WorkflowError } from "./index";
import { fixture, fixtureJson, listFixtures } from "./test-support/fixtures";
import { makePng } from "./test-support/images";

const oi = bundledObjectInfo();

function survive(input: unknown): void {
  try {
    const l = loadWorkflow(input as never);
    analyzeWorkflow(l, oi);
    validatePrompt(l.prompt, oi);
    validatePrompt(l.prompt, oi, { acceptAnyModelFile: true });
    contentHash(l.prompt);
  } catch (e) {
    if (!(e instanceof WorkflowError)) throw e;
  }
}

const uiFiles = listFixtures("comfyui-examples/ui").map((f) => `comfyui-examples/ui/${f}`).concat(listFixtures("subgraphs/ui").map((f) => `subgraphs/ui/${f}`));
const apiFiles = listFixtures("comfyui-examples/api").map((f) => `comfyui-examples/api/${f}`).concat(listFixtures("seed-scenarios").map((f) => `seed-scenarios/${f}`));
const NASTY = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", "-10", "-20", "1:2", "999999"];

const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Random edits at random paths: replace a value, delete a key, inject hostile keys. */
function mutate(doc: unknown, edits: { path: number[]; op: number; value: unknown; key: string }[]): unknown {
  const root = JSON.parse(JSON.stringify(doc));
  for (const e of edits) {
    let cur: unknown = root;
    for (const step of e.path) {
      if (cur === null || typeof cur !== "object") break;
      const keys = Object.keys(cur as object);
      if (keys.length === 0) break;
      const next = (cur as Record<string, unknown>)[keys[step % keys.length]!];
      if (next === null || typeof next !== "object") break;
      cur = next;
    }
    if (cur === null || typeof cur !== "object") continue;
    const keys = Object.keys(cur as object);
    const k = keys.length ? keys[e.path.length % keys.length]! : e.key;
    const obj = cur as Record<string, unknown>;
    switch (e.op % 5) {
      case 0:
        obj[k] = clone(e.value);
        break;
      case 1:
        if (Array.isArray(obj)) obj.splice(Number(k), 1);
        else delete obj[k];
        break;
      case 2:
        Object.defineProperty(obj, e.key, { value: clone(e.value), enumerable: true, configurable: true, writable: true });
        break;
      case 3:
        obj[k] = [e.key, e.path[0] ?? 0];
        break;
      case 4:
        obj[k] = clone(obj); // self-similar nesting
        break;
    }
  }
  return root;
}

const edit = fc.record({
  path: fc.array(fc.nat(50), { maxLength: 6 }),
  op: fc.nat(4),
  value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, -1, 1e308, "", "x.safetensors", [1, 2, 3], { class_type: 5 })),
  key: fc.constantFrom(...NASTY),
});

describe("robustness (fast-check)", { timeout: 180_000 }, () => {
  it("replay: an array whose prototype was replaced through '__proto__' (found by fast-check, seed 1867429850)", () => {
    const docs = uiFiles.map((f) => fixtureJson(f));
    const i = uiFiles.indexOf("subgraphs/ui/sg_img2img_decode_save.json");
    expect(i).toBeGreaterThanOrEqual(0);
    survive(mutate(docs[i], [{ path: [], op: 1, value: null, key: "__proto__" }, { path: [16, 0, 0, 24], op: 0, value: {}, key: "__proto__" }]));
  });

  it("random JSON values and texts", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => survive(v)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => survive(s)), { numRuns: 200 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => survive(b)), { numRuns: 200 });
  });

  it("random API-shaped prompts with hostile ids and links", () => {
    const node = fc.record({
      class_type: fc.oneof(fc.constantFrom("KSampler", "SaveImage", "CheckpointLoaderSimple", "VAEDecode", "LoadImage", ...NASTY), fc.string()),
      inputs: fc.dictionary(fc.oneof(fc.constantFrom("model", "seed", "images", "samples", "vae", "constructor", "toString"), fc.string({ maxLength: 5 })), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.tuple(fc.constantFrom(...NASTY, "1", "2", "3"), fc.integer({ min: -2, max: 4 })))),
    });
    fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom("1", "2", "3", ...NASTY), fc.string({ maxLength: 4 })), node, { maxKeys: 8 }), (p) => survive(p)), { numRuns: 300 });
  });

  it("mutated real UI workflows", () => {
    const docs = uiFiles.map((f) => fixtureJson(f));
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(edit, { minLength: 1, maxLength: 6 }), (i, edits) => survive(mutate(docs[i], edits))),
      { numRuns: 150 },
    );
  });

  it("mutated real API workflows (and suggestSlots on them)", () => {
    const docs = apiFiles.map((f) => fixtureJson(f));
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(edit, { minLength: 1, maxLength: 6 }), (i, edits) => {
        const m = mutate(docs[i], edits);
        survive(m);
        try {
          suggestSlots(loadWorkflow(m).prompt, oi);
        } catch (e) {
          if (!(e instanceof WorkflowError)) throw e;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("mutated PNG bytes", () => {
    const png = makePng([{ type: "zTXt", key: "prompt", text: fixture("comfyui-examples/api/lora__lora.json").toString("latin1") }]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(png.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.nat(png.length), (flips, cut) => {
        const b = Buffer.from(png);
        for (const [at, v] of flips) b[at] = v;
        survive(b.subarray(0, Math.max(8, cut)));
      }),
      { numRuns: 200 },
    );
  });

  it("deep nesting, long reroute chains and big inputs end quickly with an answer", () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 5000; i++) cur = (cur.x = {}) as Record<string, unknown>;
    expect(() => loadWorkflow({ "1": { class_type: "A", inputs: { v: deep } } })).toThrow(WorkflowError);
    // A chain of 3,000 reroutes: too long to follow, refused with a WorkflowError (no stack overflow).
    const nodes: unknown[] = [{ id: 1, type: "EmptyImage", widgets_values: [8, 8, 1, 0] }];
    const links: unknown[] = [];
    for (let i = 2; i < 3002; i++) {
      nodes.push({ id: i, type: "Reroute", inputs: [{ name: "", type: "*", link: i }], outputs: [{ links: [i + 1] }] });
      links.push([i, i - 1, 0, i, 0, "*"]);
    }
    nodes.push({ id: 5000, type: "PreviewImage", inputs: [{ name: "images", type: "IMAGE", link: 3002 }] });
    links.push([3002, 3001, 0, 5000, 0, "IMAGE"]);
    const t0 = Date.now();
    survive({ nodes, links });
    // A long chain of real nodes validates without recursion limits.
    const chain: Record<string, unknown> = { "0": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } };
    for (let i = 1; i < 20000; i++) chain[String(i)] = { class_type: "ImageInvert", inputs: { image: [String(i - 1), 0] } };
    chain["out"] = { class_type: "PreviewImage", inputs: { images: ["19999", 0] } };
    // (Past MAX_NODES the API refuses it as workflow_too_large; the library still handles it when asked to.)
    expect(() => loadWorkflow(chain)).toThrow(/limit is 5000/);
    expect(validatePrompt(loadWorkflow(chain, { maxNodes: 30_000 }).prompt, oi).ok).toBe(true);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
