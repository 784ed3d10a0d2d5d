// checkGraph against every real workflow we have: none is refused, none even warned about.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundledObjectInfo, checkGraph, loadWorkflow } from "./index";

const ROOT = path.resolve(import.meta.dirname, "../../tests/fixtures/workflows");
// community/ holds custom-node workflows without their definitions (provisioning's fixtures): not convertible here.
const walk = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "community" ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]));

describe("checkGraph", () => {
  it("finds nothing wrong in any fixture workflow (UI, API, PNG, subgraphs)", () => {
    const files = walk(ROOT).filter((f) => /\.(json|png|webp)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const flagged: string[] = [];
    for (const f of files) {
      const loaded = loadWorkflow(fs.readFileSync(f), { filename: f });
      const c = checkGraph(loaded.prompt, bundledObjectInfo());
      if (c.errors.length || c.warnings.length) flagged.push(`${path.relative(ROOT, f)}: ${JSON.stringify([...c.errors, ...c.warnings].slice(0, 2))}`);
    }
    expect(flagged).toEqual([]);
  });

  it("walks a 5,000-node chain and a 5,000-node cycle without recursion", () => {
    const chain: Record<string, { class_type: string; inputs: Record<string, unknown> }> = { "0": { class_type: "EmptyImage", inputs: {} } };
    for (let i = 1; i < 5000; i++) chain[String(i)] = { class_type: "ImageInvert", inputs: { image: [String(i - 1), 0] } };
    chain.out = { class_type: "PreviewImage", inputs: { images: ["4999", 0] } };
    expect(checkGraph(chain, bundledObjectInfo())).toEqual({ errors: [], warnings: [] });
    chain["0"] = { class_type: "ImageInvert", inputs: { image: ["4999", 0] } };
    const c = checkGraph(chain, bundledObjectInfo());
    expect(c.errors.filter((p) => p.code === "dependency_cycle")).toHaveLength(5000);
  });
});
