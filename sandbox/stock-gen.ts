// Derives the sandbox's default stock (sandbox/comfy/stock.json) from ComfyUI's own example
// workflows in tests/fixtures/workflows: `npx tsx sandbox/stock-gen.ts` rewrites it,
// `--check` exits 1 when it is out of date (sandbox/stock.test.ts runs the same comparison).
import fs from "node:fs";
import path from "node:path";
import { bundledObjectInfo, loadWorkflow, type ApiPrompt } from "@/lib/comfy-graph";
import { deriveStock, type SandboxStock } from "./comfy/stock";

export const FIXTURES = path.resolve(import.meta.dirname, "../tests/fixtures/workflows");
export const STOCK_FILE = path.resolve(import.meta.dirname, "comfy/stock.json");

/** Every workflow file under the fixtures (API and UI JSON, PNG), with its prompt. */
export function fixtureWorkflows(dir = FIXTURES): { file: string; prompt: ApiPrompt }[] {
  const out: { file: string; prompt: ApiPrompt }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      // community/: workflows of custom node packs without their definitions (provisioning's
      // fixtures) — they cannot be converted, and no stock serves their models.
      if (e.isDirectory()) e.name !== "community" && walk(p);
      else if (/\.(json|png|webp)$/i.test(e.name)) out.push({ file: path.relative(dir, p), prompt: loadWorkflow(fs.readFileSync(p), { filename: e.name }).prompt });
    }
  };
  walk(dir);
  return out;
}

export function generatedStock(): SandboxStock {
  return deriveStock(fixtureWorkflows().map((w) => w.prompt), bundledObjectInfo());
}

export const stockText = (s: SandboxStock) => JSON.stringify(s, null, 1) + "\n";

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const text = stockText(generatedStock());
  if (process.argv.includes("--check")) {
    const same = fs.existsSync(STOCK_FILE) && fs.readFileSync(STOCK_FILE, "utf8") === text;
    console.log(same ? "sandbox stock is up to date" : "sandbox/comfy/stock.json is out of date: run npx tsx sandbox/stock-gen.ts");
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(STOCK_FILE, text);
  console.log(`wrote ${path.relative(process.cwd(), STOCK_FILE)}`);
}
