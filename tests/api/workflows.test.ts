// Uploads of every format through POST /api/v1/workflows: API JSON (wrapped too), UI JSON converted
// exactly like ComfyUI, a ComfyUI output PNG as a multipart file; bad uploads get stable codes.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { startSandbox } from "@/sandbox/index";
import { sandboxEndpoint } from "../helpers/world";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows");
let key: string;

beforeAll(async () => {
  key = (await createApiKey({ name: "uploads", role: "engineer" })).key;
});
afterAll(() => closeDb());

function multipart(file: Buffer, filename: string, type: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(file)], filename, { type }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

describe("workflow uploads", () => {
  it("converts a UI-format export to the same prompt ComfyUI sends", async () => {
    const ui = JSON.parse(fs.readFileSync(path.join(FIX, "comfyui-examples/ui/lora__lora.json"), "utf8"));
    const api = JSON.parse(fs.readFileSync(path.join(FIX, "comfyui-examples/api/lora__lora.json"), "utf8"));
    const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `ui ${Date.now()}`, workflow: ui } });
    expect(r.status).toBe(201);
    expect(r.body.version.format).toBe("ui");
    const v = await callJson("GET", `/api/v1/workflows/${r.body.id}/versions/1`, { key });
    expect(Object.keys(v.body.prompt).sort()).toEqual(Object.keys(api).sort());
    for (const id of Object.keys(api)) expect(v.body.prompt[id].class_type).toBe(api[id].class_type);
    expect(v.body.original).toEqual(ui);
  });

  it("accepts a ComfyUI output PNG as a multipart file and gets its workflow back", async () => {
    const png = fs.readFileSync(path.join(FIX, "comfyui-examples/png/lora.png"));
    const r = await callJson("POST", "/api/v1/workflows", { key, rawBody: multipart(png, "lora.png", "image/png", { name: `png ${Date.now()}` }) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.version.analysis.outputs.length).toBeGreaterThan(0);
    expect(r.body.version.nodeCount).toBeGreaterThan(3);
  });

  it("accepts the RunPod wrapper {input: {workflow}}", async () => {
    const api = JSON.parse(fs.readFileSync(path.join(FIX, "comfyui-examples/api/img2img__img2img_workflow.json"), "utf8"));
    const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `wrapped ${Date.now()}`, workflow: { input: { workflow: api } } } });
    expect(r.status).toBe(201);
    expect(r.body.version.format).toBe("api");
  });

  it("reports custom nodes and models of a production workflow in the analysis", async () => {
    const api = JSON.parse(fs.readFileSync(path.join(FIX, "seed-scenarios/z-image-danrisi.api.json"), "utf8"));
    const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `danrisi ${Date.now()}`, workflow: api } });
    expect(r.status).toBe(201);
    const classes = r.body.version.analysis.customNodes.map((c: { classType: string }) => c.classType);
    expect(classes).toContain("ClownsharKSampler_Beta");
    expect(r.body.version.analysis.models.length).toBeGreaterThan(0);
  });

  it("gives stable codes for a PNG without a workflow, a non-JSON file and a truncated image", async () => {
    const png = fs.readFileSync(path.join(FIX, "comfyui-examples/png/lora.png"));
    const plain = Buffer.concat([png.subarray(0, 33), png.subarray(png.length - 12)]); // signature + IHDR + IEND, no text chunks
    const a = await callJson("POST", "/api/v1/workflows", { key, rawBody: multipart(plain, "plain.png", "image/png") });
    expect(a.status).toBe(422);
    expect(a.body.error.code).toBe("image_no_workflow");
    const b = await callJson("POST", "/api/v1/workflows", { key, rawBody: multipart(Buffer.from("hello, not json"), "x.json", "application/json") });
    expect(b.status).toBe(400);
    expect(b.body.error.code).toBe("workflow_not_json");
    const c = await callJson("POST", "/api/v1/workflows", { key, rawBody: multipart(png.subarray(0, 200), "cut.png", "image/png") });
    expect(c.status).toBeGreaterThanOrEqual(400);
    expect(c.status).toBeLessThan(500);
    expect(["image_corrupt", "image_no_workflow"]).toContain(c.body.error.code);
  });

  it("diffs a new version against the previous one and tells which deployment slots carry over", async () => {
    const api = JSON.parse(fs.readFileSync(path.join(FIX, "comfyui-examples/api/lora__lora.json"), "utf8"));
    const name = `versions ${Date.now()}`;
    const v1 = await callJson("POST", "/api/v1/workflows", { key, body: { name, workflow: api } });
    const changed = structuredClone(api);
    changed["6"].inputs.text = "a different default prompt";
    delete changed["10"];
    changed["3"].inputs.model = ["4", 0];
    changed["6"].inputs.clip = ["4", 1];
    changed["7"].inputs.clip = ["4", 1];
    const v2 = await callJson("POST", "/api/v1/workflows", { key, body: { name, workflow: changed } });
    expect(v2.status).toBe(201);
    expect(v2.body.id).toBe(v1.body.id);
    expect(v2.body.version.number).toBe(2);
    const d = await callJson("GET", `/api/v1/workflows/${v1.body.id}/versions/2/diff`, { key });
    expect(d.status).toBe(200);
    expect(d.body.diff.removed).toEqual([{ id: "10", classType: "LoraLoader" }]);
    expect(d.body.diff.changed.map((c: { id: string }) => c.id).sort()).toEqual(["3", "6", "7"]);
  });

  it("pre-flights a version against one endpoint and reports the problems by node", async () => {
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
    // A stock server: it has the real dump's model lists, so the example's LoRA file is missing.
    const strict = await startSandbox({ strictModels: true });
    try {
      const ep = await sandboxEndpoint(strict.url);
      const api = JSON.parse(fs.readFileSync(path.join(FIX, "comfyui-examples/api/lora__lora.json"), "utf8"));
      api["99"] = { class_type: "SomeCustomNode", inputs: { image: ["8", 0] } };
      const wf = await callJson("POST", "/api/v1/workflows", { key, body: { name: `preflight ${Date.now()}`, workflow: api } });
      const r = await callJson("POST", `/api/v1/workflows/${wf.body.id}/versions/1/preflight`, { key, body: { endpointId: ep.id } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ endpointId: ep.id, checked: true, ok: false, missingNodes: ["SomeCustomNode"] });
      expect(r.body.missingModels).toContainEqual(expect.objectContaining({ nodeId: "10", input: "lora_name" }));
      const bad = await callJson("POST", `/api/v1/workflows/${wf.body.id}/versions/1/preflight`, { key, body: { endpointId: ep.id, extra: 1 } });
      expect(bad.status).toBe(400);
      const missing = await callJson("POST", `/api/v1/workflows/${wf.body.id}/versions/9/preflight`, { key, body: { endpointId: ep.id } });
      expect(missing.status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});
