import { describe, expect, it } from "vitest";
import { bundledObjectInfo, loadWorkflow, validatePrompt, WorkflowError } from "./index";
import { comparable, structural } from "./test-support/compare";
import { fixture, fixtureJson, listFixtures } from "./test-support/fixtures";

const oi = bundledObjectInfo();

function pairs(dir: string): string[] {
  return listFixtures(`${dir}/ui`);
}

describe.each(["comfyui-examples", "subgraphs"])("UI → API conversion matches ComfyUI's own export (%s)", (dir) => {
  it.each(pairs(dir))("%s", (f) => {
    const got = comparable(loadWorkflow(fixture(`${dir}/ui/${f}`)).prompt, oi);
    const want = comparable(fixtureJson(`${dir}/api/${f}`), oi);
    const sameIds = JSON.stringify(Object.keys(got).sort()) === JSON.stringify(Object.keys(want).sort());
    if (sameIds) expect(got).toEqual(want);
    // The one pair whose API export predates grouping its nodes (legacy group node): same graph, other ids.
    else expect(structural(got)).toEqual(structural(want));
  });
});

describe("UI-only video workflows", () => {
  it.each(listFixtures("comfyui-examples/ui-only"))("%s converts and validates in lenient mode", (f) => {
    const l = loadWorkflow(fixture(`comfyui-examples/ui-only/${f}`));
    expect(l.format).toBe("ui");
    expect(l.nodeCount).toBeGreaterThan(0);
    const v = validatePrompt(l.prompt, oi, { acceptAnyModelFile: true });
    expect(v.error?.type === "invalid_prompt" ? v.error.type : v.ok, JSON.stringify(v).slice(0, 500)).toBe(true);
  });
});

type UiDoc = { nodes: Record<string, unknown>[]; links: unknown[]; [k: string]: unknown };
const ui = () => fixtureJson<UiDoc>("comfyui-examples/ui/lora__lora.json");

describe("UI conversion details", () => {
  it("drops muted nodes and the inputs that pointed at them", () => {
    const d = ui();
    d.nodes.find((n) => n.id === 10)!.mode = 2; // LoraLoader muted
    const p = loadWorkflow(d).prompt;
    expect(p["10"]).toBeUndefined();
    expect(p["3"]!.inputs.model).toBeUndefined();
  });

  it("wires bypassed nodes through by type", () => {
    const d = ui();
    d.nodes.find((n) => n.id === 10)!.mode = 4; // LoraLoader bypassed: MODEL and CLIP come from the checkpoint
    const p = loadWorkflow(d).prompt;
    expect(p["10"]).toBeUndefined();
    expect(p["3"]!.inputs.model).toEqual(["4", 0]);
    expect(p["6"]!.inputs.clip).toEqual(["4", 1]);
  });

  it("reports nodes of unknown class it cannot map, by id and type", () => {
    const d = ui();
    d.nodes.push({ id: 77, type: "MysteryNode", mode: 0, inputs: [{ name: "model", type: "MODEL", link: 999 }], outputs: [], widgets_values: [1, "a"] });
    d.links.push([999, 4, 0, 77, 0, "MODEL"]);
    try {
      loadWorkflow(d);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WorkflowError);
      expect((e as WorkflowError).code).toBe("workflow_unconvertible");
      expect((e as WorkflowError).details).toEqual({ nodes: [expect.objectContaining({ id: "77", type: "MysteryNode" })] });
    }
  });

  it("converts unknown classes whose widgets are listed as inputs", () => {
    const d = ui();
    d.nodes.push({
      id: 78,
      type: "CustomThing",
      mode: 0,
      inputs: [
        { name: "model", type: "MODEL", link: 998 },
        { name: "seed", type: "INT", widget: { name: "seed" }, link: null },
        { name: "label", type: "STRING", widget: { name: "label" }, link: null },
      ],
      outputs: [],
      widgets_values: [5, "randomize", "hi"],
    });
    d.links.push([998, 4, 0, 78, 0, "MODEL"]);
    const l = loadWorkflow(d);
    expect(l.prompt["78"]!.inputs).toEqual({ seed: 5, label: "hi", model: ["4", 0] });
    expect(l.warnings.map((w) => w.code)).toContain("unknown_node");
  });

  it("inlines PrimitiveNode values and follows Reroutes", () => {
    const d = ui();
    const ks = d.nodes.find((n) => n.id === 3)!;
    (ks.inputs as unknown[]).push({ name: "steps", type: "INT", widget: { name: "steps" }, link: 900 });
    d.nodes.push({ id: 50, type: "PrimitiveNode", mode: 0, outputs: [{ name: "INT", type: "INT", links: [900], widget: { name: "steps" } }], widgets_values: [33, "fixed"] });
    d.links.push([900, 50, 0, 3, 4, "INT"]);
    // Put a reroute between VAEDecode and SaveImage.
    d.nodes.push({ id: 51, type: "Reroute", mode: 0, inputs: [{ name: "", type: "*", link: 901 }], outputs: [{ name: "", type: "IMAGE", links: [9] }] });
    d.links = d.links.map((l) => (Array.isArray(l) && l[0] === 9 ? [9, 51, 0, 9, 0, "IMAGE"] : l));
    d.links.push([901, 8, 0, 51, 0, "IMAGE"]);
    const p = loadWorkflow(d).prompt;
    expect(p["3"]!.inputs.steps).toBe(33);
    expect(p["9"]!.inputs.images).toEqual(["8", 0]);
    expect(p["50"]).toBeUndefined();
    expect(p["51"]).toBeUndefined();
  });

  it("drops notes and refuses an all-notes workflow as empty", () => {
    expect(() => loadWorkflow({ nodes: [{ id: 1, type: "Note", widgets_values: ["hi"] }], links: [] })).toThrow(expect.objectContaining({ code: "workflow_empty" }));
    expect(() => loadWorkflow({ nodes: [], links: [] })).toThrow(expect.objectContaining({ code: "workflow_empty" }));
  });

  it("survives self-referencing subgraphs and reroute loops", () => {
    const loop = { nodes: [
      { id: 1, type: "Reroute", inputs: [{ name: "", type: "*", link: 1 }], outputs: [{ links: [2] }] },
      { id: 2, type: "Reroute", inputs: [{ name: "", type: "*", link: 2 }], outputs: [{ links: [1] }] },
      { id: 3, type: "PreviewImage", inputs: [{ name: "images", type: "IMAGE", link: 3 }] },
    ], links: [[1, 2, 0, 1, 0, "*"], [2, 1, 0, 2, 0, "*"], [3, 1, 0, 3, 0, "IMAGE"]] };
    expect(() => loadWorkflow(loop)).toThrow(WorkflowError);
    const selfSub = {
      nodes: [{ id: 1, type: "aaaa-bbbb", inputs: [], outputs: [{ links: [] }] }],
      links: [],
      definitions: { subgraphs: [{ id: "aaaa-bbbb", inputs: [], outputs: [], nodes: [{ id: 1, type: "aaaa-bbbb" }], links: [] }] },
    };
    expect(() => loadWorkflow(selfSub)).toThrow(WorkflowError);
  });
});

describe("legacy group nodes", () => {
  // hidream_e1.1 carries the IP2PSampler group definition (saved by frontend 1.23, whose inner nodes
  // list every widget as an input) but uses its nodes ungrouped. Grouping them back into one
  // instance, serialized the way newer frontends do (the group's widgets listed among its inputs,
  // in definition order), must give the same prompt with the inner ids `90:<index>`.
  const GROUPED = [46, 47, 49, 52, 53, 54];
  const NEW_ID: Record<string, string> = { "46": "90:0", "47": "90:1", "49": "90:3", "52": "90:6", "53": "90:7", "54": "90:8" };
  function grouped(): UiDoc {
    const d = fixtureJson<UiDoc>("comfyui-examples/ui/hidream__hidream_e1.1_example.json");
    d.nodes = d.nodes.filter((n) => !GROUPED.includes(n.id as number));
    const links = d.links as number[][];
    const keep = links.filter((l) => !(GROUPED.includes(l[1]!) && GROUPED.includes(l[3]!)));
    // Into the group: model 456 (BasicScheduler and DualCFGGuider share it through a reroute), positive 453, negative 451, vae 444, pixels 445, cfg 454/455.
    const into: [string, number, boolean][] = [
      ["sampler_name", -1, true], ["noise_seed", -1, true], ["model", 456, false], ["scheduler", -1, true], ["steps", -1, true], ["denoise", -1, true],
      ["positive", 453, false], ["negative", 451, false], ["vae", 444, false], ["pixels", 445, false], ["cfg_text", 454, true], ["cfg_image", 455, true],
    ];
    d.links = keep
      .filter((l) => ![452, 457].includes(l[0]!))
      .map((l) => {
        const slot = into.findIndex(([, id]) => id === l[0]);
        if (slot >= 0) return [l[0]!, l[1]!, l[2]!, 90, slot, l[5]!];
        if (l[0] === 446) return [446, 90, 0, 8, 0, "LATENT"];
        return l;
      });
    d.nodes.push({
      id: 90,
      type: "workflow>IP2PSampler",
      mode: 0,
      inputs: into.map(([name, link, widget]) => ({ name, type: "*", link: link < 0 ? null : link, ...(widget ? { widget: { name } } : {}) })),
      outputs: [{ name: "output", type: "LATENT", links: [446] }, { name: "denoised_output", type: "LATENT", links: null }],
      widgets_values: ["euler", 712422729595905, "randomize", "simple", 20, 1, 3, 1.5, "nested"],
    });
    return d;
  }
  function expected(): ReturnType<typeof comparable> {
    const want = comparable(fixtureJson("comfyui-examples/api/hidream__hidream_e1.1_example.json"), oi);
    const out: ReturnType<typeof comparable> = {};
    for (const [id, n] of Object.entries(want)) {
      const inputs = Object.fromEntries(Object.entries(n.inputs).map(([k, v]) => [k, Array.isArray(v) && typeof v[0] === "string" && NEW_ID[v[0]] ? [NEW_ID[v[0]], v[1]] : v]));
      out[NEW_ID[id] ?? id] = { class_type: n.class_type, inputs };
    }
    out["90:7"]!.inputs.negative = ["7", 0]; // the group wires DualCFGGuider's negative to the same reroute as the conditioning's
    return out;
  }

  it("expands an instance whose inputs list its widgets: every inner widget value and link lands", () => {
    const got = comparable(loadWorkflow(grouped()).prompt, oi);
    expect(got["90:0"]!.inputs).toEqual({ sampler_name: "euler" });
    expect(got["90:1"]!.inputs).toEqual({ noise_seed: 712422729595905 });
    expect(got["90:3"]!.inputs).toEqual({ scheduler: "simple", steps: 20, denoise: 1, model: ["55", 0] });
    expect(got).toEqual(expected());
  });

  it("maps the same instance saved by older frontends (sockets only, positional)", () => {
    const d = grouped();
    const g = d.nodes.find((n) => n.id === 90)!;
    const socketLinks = (g.inputs as { link: number | null; widget?: unknown }[]).map((x, i) => ({ ...x, i })).filter((x) => !x.widget);
    d.links = (d.links as number[][]).map((l) => (l[3] === 90 ? [l[0]!, l[1]!, l[2]!, 90, socketLinks.findIndex((x) => x.link === l[0])] .concat([l[5]!]) : l));
    const cfgLinks = [454, 455];
    d.links = (d.links as number[][]).filter((l) => !cfgLinks.includes(l[0]!));
    d.nodes = d.nodes.filter((n) => n.id !== 56 && n.id !== 57);
    g.inputs = socketLinks.map(({ i: _i, widget: _w, ...x }) => x);
    const got = comparable(loadWorkflow(d).prompt, oi);
    const want = expected();
    expect(got).toEqual(want);
  });
});
