// Benchmark of lib/comfy-graph: load (incl. UI→API conversion) + analyze + validate on the real
// fixtures and on generated UI graphs of 500–4,000 nodes. Prints a table, writes bench/results/workflow.json.
// Run: npx tsx bench/workflow.ts
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { analyzeWorkflow, bundledObjectInfo, loadWorkflow, validatePrompt } from "../lib/comfy-graph/index";

const root = path.resolve(import.meta.dirname, "..");
const oi = bundledObjectInfo();

/** A UI-format graph of n nodes: checkpoint → chains of (text encode → sampler → decode → save), with reroutes and a primitive. */
function generateUi(n: number): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [];
  const links: unknown[][] = [];
  let linkId = 1;
  const link = (from: number, fromSlot: number, to: number, toSlot: number, type: string) => {
    links.push([linkId, from, fromSlot, to, toSlot, type]);
    return linkId++;
  };
  nodes.push({ id: 1, type: "CheckpointLoaderSimple", mode: 0, inputs: [], outputs: [], widgets_values: ["model.safetensors"] });
  nodes.push({ id: 2, type: "EmptyLatentImage", mode: 0, inputs: [], outputs: [], widgets_values: [512, 512, 1] });
  let id = 3;
  while (id + 7 <= n) {
    const pos = id, neg = id + 1, ks = id + 2, reroute = id + 3, dec = id + 4, save = id + 5, bypass = id + 6;
    nodes.push({ id: pos, type: "CLIPTextEncode", mode: 0, inputs: [{ name: "clip", type: "CLIP", link: link(1, 1, pos, 0, "CLIP") }], widgets_values: [`a photo ${pos}`] });
    nodes.push({ id: neg, type: "CLIPTextEncode", mode: 0, inputs: [{ name: "clip", type: "CLIP", link: link(1, 1, neg, 0, "CLIP") }], widgets_values: ["blurry"] });
    nodes.push({ id: bypass, type: "LoraLoaderModelOnly", mode: 4, inputs: [{ name: "model", type: "MODEL", link: link(1, 0, bypass, 0, "MODEL") }], widgets_values: ["x.safetensors", 1] });
    nodes.push({
      id: ks, type: "KSampler", mode: 0,
      inputs: [
        { name: "model", type: "MODEL", link: link(bypass, 0, ks, 0, "MODEL") },
        { name: "positive", type: "CONDITIONING", link: link(pos, 0, ks, 1, "CONDITIONING") },
        { name: "negative", type: "CONDITIONING", link: link(neg, 0, ks, 2, "CONDITIONING") },
        { name: "latent_image", type: "LATENT", link: link(2, 0, ks, 3, "LATENT") },
      ],
      widgets_values: [id, "randomize", 20, 7, "euler", "normal", 1],
    });
    nodes.push({ id: reroute, type: "Reroute", mode: 0, inputs: [{ name: "", type: "*", link: link(ks, 0, reroute, 0, "LATENT") }], outputs: [] });
    nodes.push({ id: dec, type: "VAEDecode", mode: 0, inputs: [{ name: "samples", type: "LATENT", link: link(reroute, 0, dec, 0, "LATENT") }, { name: "vae", type: "VAE", link: link(1, 2, dec, 1, "VAE") }] });
    nodes.push({ id: save, type: "SaveImage", mode: 0, inputs: [{ name: "images", type: "IMAGE", link: link(dec, 0, save, 0, "IMAGE") }], widgets_values: ["out"] });
    id += 7;
  }
  while (id <= n) nodes.push({ id: id++, type: "Note", mode: 0, widgets_values: ["filler"] });
  return { nodes, links, version: 0.4 };
}

function time(fn: () => void, minRuns = 15, minMs = 800): number {
  fn(); // warm-up
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    if (samples.length > 200) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function pipeline(input: unknown) {
  const l = loadWorkflow(input as never, { objectInfo: oi });
  analyzeWorkflow(l, oi);
  validatePrompt(l.prompt, oi, { acceptAnyModelFile: true });
  return l;
}

const rows: { case: string; uiNodes: number; apiNodes: number; loadMs: number; analyzeMs: number; validateMs: number; totalMs: number }[] = [];

function measure(name: string, input: unknown, uiNodes: number) {
  const l = pipeline(input);
  const loadMs = time(() => loadWorkflow(input as never, { objectInfo: oi }));
  const analyzeMs = time(() => analyzeWorkflow(l, oi));
  const validateMs = time(() => validatePrompt(l.prompt, oi, { acceptAnyModelFile: true }));
  const totalMs = time(() => pipeline(input));
  rows.push({ case: name, uiNodes, apiNodes: l.nodeCount, loadMs, analyzeMs, validateMs, totalMs });
}

const fx = path.join(root, "tests/fixtures/workflows");
const fixtureFiles = [
  ...readdirSync(path.join(fx, "comfyui-examples/ui")).map((f) => path.join(fx, "comfyui-examples/ui", f)),
  ...readdirSync(path.join(fx, "subgraphs/ui")).map((f) => path.join(fx, "subgraphs/ui", f)),
];
const fixtureBuffers = fixtureFiles.map((f) => readFileSync(f));
const allFixtures = time(() => fixtureBuffers.forEach((b) => pipeline(b)), 3);
rows.push({ case: `all ${fixtureBuffers.length} UI fixtures (sum)`, uiNodes: 0, apiNodes: 0, loadMs: NaN, analyzeMs: NaN, validateMs: NaN, totalMs: allFixtures });
measure("lora.png (PNG)", readFileSync(path.join(fx, "comfyui-examples/png/lora.png")), 0);

for (const n of [500, 1000, 2000, 4000]) {
  const ui = generateUi(n);
  measure(`generated UI ${n}`, Buffer.from(JSON.stringify(ui)), n);
}

const gen = rows.filter((r) => r.case.startsWith("generated"));
const ratios = gen.slice(1).map((r, i) => ({ from: gen[i]!.uiNodes, to: r.uiNodes, ratio: +(r.totalMs / gen[i]!.totalMs).toFixed(2) }));
const f = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(2));
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log("case".padEnd(34) + "ui nodes".padStart(9) + "api nodes".padStart(10) + "load ms".padStart(9) + "analyze".padStart(9) + "validate".padStart(10) + "total ms".padStart(10));
for (const r of rows) {
  console.log(r.case.padEnd(34) + String(r.uiNodes || "").padStart(9) + String(r.apiNodes || "").padStart(10) + f(r.loadMs).padStart(9) + f(r.analyzeMs).padStart(9) + f(r.validateMs).padStart(10) + f(r.totalMs).padStart(10));
}
console.log("growth (total, doubling nodes):", ratios.map((r) => `${r.from}→${r.to}: ×${r.ratio}`).join(", "));
const two = gen.find((r) => r.uiNodes === 2000)!;
console.log(`2,000 nodes: ${two.totalMs.toFixed(1)} ms (target < 50 ms) ${two.totalMs < 50 ? "OK" : "OVER"}`);
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(
  path.join(root, "bench/results/workflow.json"),
  JSON.stringify({ node: process.version, date: new Date().toISOString(), rows, ratios, target2000Ms: 50 }, null, 2) + "\n",
);
