// No import cycles in lib/ or sandbox/ (nor in the dashboard, routes, CLI and worker): a cycle makes module initialisation order matter (a value
// read before its module ran is undefined) and ties modules that should stand alone. Type-only and
// dynamic imports count too. Fix a cycle by moving what both sides need into a leaf module.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, sourceFiles } from "../helpers/import-graph";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("import cycles", () => {
  it("lib/ and sandbox/ have none", () => {
    const files = sourceFiles(ROOT, ["lib", "sandbox"], ["lib/generated"]);
    expect(files.length).toBeGreaterThan(100);
    const graph = importGraph(ROOT, files);
    const cycles = findCycles(graph).map((c) => c.join(" → "));
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("components/, app/, cli/ and worker/ have none either", () => {
    const files = sourceFiles(ROOT, ["lib", "sandbox", "components", "app", "cli", "worker"], ["lib/generated"]);
    const cycles = findCycles(importGraph(ROOT, files)).map((c) => c.join(" → "));
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("the detector finds static, type-only, dynamic and @/ cycles", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fg-cycles-"));
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      };
      // a → b → c → a: static, type-only, dynamic
      write("lib/a.ts", `import { b } from "./b";\nexport const a = b;\n`);
      write("lib/b.ts", `import type { C } from "@/lib/c";\nexport const b = 1 as unknown as C;\n`);
      write("lib/c.ts", `export type C = number;\nexport async function f() { return (await import("../lib/a")).a; }\n`);
      // d ↔ e/index through a directory import
      write("lib/d.ts", `export { e } from "./e";\n`);
      write("lib/e/index.ts", `import "../d";\nexport const e = 2;\n`);
      // no cycle: f → g, and a package import
      write("lib/f.ts", `import { g } from "./g";\nimport pg from "pg";\nexport const f = [g, pg];\n`);
      write("lib/g.ts", `// import { f } from "./f";\nexport const g = 3;\n`);
      const cycles = findCycles(importGraph(root, sourceFiles(root, ["lib"])));
      expect(cycles).toEqual([
        ["lib/a.ts", "lib/b.ts", "lib/c.ts", "lib/a.ts"],
        ["lib/d.ts", "lib/e/index.ts", "lib/d.ts"],
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
