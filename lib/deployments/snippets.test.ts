// The snippets on a deployment page: real slot names and example values the API accepts, valid
// JSON / shell quoting / Python literals, and MCP configurations pointing at this origin.
import { describe, expect, it } from "vitest";
import { deploymentSnippets, exampleInputs, mcpSnippets, pyLiteral, shellQuote } from "./snippets";
import { validateRunInputs } from "@/lib/comfy-graph/slots";
import type { Slot } from "@/lib/comfy-graph/slots";

const slots: Slot[] = [
  { name: "prompt", nodeId: "6", input: "text", type: "string", required: true },
  { name: "steps", nodeId: "3", input: "steps", type: "integer", min: 1, max: 50, default: 20 },
  { name: "cfg", nodeId: "3", input: "cfg", type: "number", min: 0.5, max: 30 },
  { name: "sampler", nodeId: "3", input: "sampler_name", type: "enum", enum: ["euler", "dpmpp_2m"] },
  { name: "tiled", nodeId: "8", input: "tiled", type: "boolean" },
  { name: "seed", nodeId: "3", input: "seed", type: "seed" },
  { name: "init", nodeId: "10", input: "image", type: "image" },
  { name: "caption", nodeId: "7", input: "text", type: "string", default: "it's \"quoted\" & true" },
];

describe("deployment snippets", () => {
  const s = deploymentSnippets({ slug: "sdxl-turbo", slots }, "https://fg.example.com/");

  it("example inputs use the slots' names and values their rules accept", () => {
    const inputs = exampleInputs(slots);
    expect(Object.keys(inputs)).toEqual(slots.map((x) => x.name));
    expect(inputs).toMatchObject({ steps: 20, cfg: 0.5, sampler: "euler", tiled: false, seed: 42, caption: "it's \"quoted\" & true" });
    const checked = validateRunInputs(slots, inputs);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
  });

  it("curl, TypeScript and Python name the run URL and every slot; the body is valid JSON", () => {
    expect(s.url).toBe("https://fg.example.com/api/v1/deployments/sdxl-turbo/runs");
    for (const text of [s.curl, s.ts, s.py]) {
      expect(text).toContain(s.url);
      for (const slot of slots) expect(text).toContain(`"${slot.name}"`);
      expect(text).not.toMatch(/fg_[0-9a-f]{12}_/);
    }
    expect(JSON.parse(s.body)).toEqual({ inputs: exampleInputs(slots) });
    // the curl body is the JSON, single-quoted for the shell (the ' in a value escaped)
    const quoted = /-d ('(?:[^']|'\\'')*')/.exec(s.curl)![1];
    expect(JSON.parse(quoted.slice(1, -1).replace(/'\\''/g, "'"))).toEqual({ inputs: exampleInputs(slots) });
    expect(s.py).toContain('"tiled": False');
    expect(s.py).toContain('"caption": "it\'s \\"quoted\\" & true"');
    expect(s.cli).toContain("npx flowgate run sdxl-turbo");
    expect(s.cli).toContain("--image init=./input.png");
    expect(s.cli).toContain("--input 'steps=20'");
  });

  it("helpers quote correctly", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(pyLiteral({ a: [true, null, 1.5, "x"] })).toBe('{\n    "a": [True, None, 1.5, "x"],\n}');
  });

  it("MCP configurations point at <origin>/api/mcp with a bearer header", () => {
    const m = mcpSnippets("https://fg.example.com");
    expect(m.url).toBe("https://fg.example.com/api/mcp");
    const cursor = JSON.parse(m.cursor);
    expect(cursor.mcpServers.flowgate).toEqual({ url: m.url, headers: { Authorization: "Bearer fg_YOUR_KEY" } });
    const desktop = JSON.parse(m.claudeDesktop);
    expect(desktop.mcpServers.flowgate.args).toContain(m.url);
    expect(m.claudeCode).toContain("--transport http flowgate https://fg.example.com/api/mcp");
    expect(m.generic).toContain("Authorization: Bearer");
  });
});
