// Every one of ComfyUI's example workflows passes pre-flight against the default Local sandbox:
// uploaded through POST /api/v1/workflows (API JSON, UI JSON, PNG), then checked with
// POST …/preflight against a sandbox endpoint over real HTTP (its /object_info: the stocked model
// folders and input images, sandbox/comfy/stock.json).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb } from "@/lib/db";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { sandboxEndpoint } from "../helpers/world";

const DIR = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples");
const files = ["api", "ui", "ui-only", "png"].flatMap((d) => fs.readdirSync(path.join(DIR, d)).sort().map((f) => `${d}/${f}`));
let key: string;
let sb: SandboxHandle;
let endpointId: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  key = (await createApiKey({ name: "examples", role: "engineer" })).key;
  sb = await startSandbox({});
  endpointId = (await sandboxEndpoint(sb.url)).id;
});
afterAll(async () => {
  await sb?.close();
  await closeDb();
});

function pngForm(bytes: Buffer, filename: string, name: string) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], filename, { type: "image/png" }));
  form.set("name", name);
  return form;
}

describe("ComfyUI's example workflows pass pre-flight against the default sandbox", () => {
  it("covers the 45 example pairs, the UI-only video examples and the PNG", () => {
    expect(files.filter((f) => f.startsWith("api/"))).toHaveLength(45);
    expect(files.length).toBeGreaterThanOrEqual(45 * 2 + 1);
  });

  it.each(files)("%s", async (file) => {
    const bytes = fs.readFileSync(path.join(DIR, file));
    const name = `example ${file} ${Date.now()}`;
    const up = file.endsWith(".png")
      ? await callJson("POST", "/api/v1/workflows", { key, rawBody: pngForm(bytes, path.basename(file), name) })
      : await callJson("POST", "/api/v1/workflows", { key, body: { name, workflow: JSON.parse(bytes.toString("utf8")) } });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const r = await callJson("POST", `/api/v1/workflows/${up.body.id}/versions/1/preflight`, { key, body: { endpointId } });
    expect(r.status).toBe(200);
    const { missingNodes, missingModels, nodeErrors } = r.body;
    expect({ missingNodes, missingModels, nodeErrors }).toEqual({ missingNodes: [], missingModels: [], nodeErrors: [] });
    expect(r.body).toMatchObject({ checked: true, ok: true });
  });
});
