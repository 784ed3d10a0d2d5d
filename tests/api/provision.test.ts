// Requirements of workflow versions over the API: the node index fetched at run time from a
// configurable URL (here the sandbox's look-alike serving ../shared's ComfyUI-Manager files), cached
// in the database with its date, refreshable; packs, models with folders and sources, unknown classes
// remembered once the user resolves them.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { managerIndexDir } from "../helpers/shared";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, db } from "@/lib/db";
import { forgetNodeIndex } from "@/lib/provision/index-store";
import { startIndexServer, type IndexServer } from "@/sandbox/manager-index";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows");
const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(FIX, rel), "utf8"));
let key: string;
let viewer: string;
let admin: string;
let index: IndexServer;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  index = await startIndexServer({ dir: managerIndexDir() });
  process.env.FLOWGATE_NODE_INDEX_URL = index.url;
  process.env.FLOWGATE_COMFY_REGISTRY_URL = index.url;
  forgetNodeIndex();
  key = (await createApiKey({ name: "provision", role: "engineer" })).key;
  viewer = (await createApiKey({ name: "provision viewer", role: "viewer" })).key;
  admin = (await createApiKey({ name: "provision admin", role: "admin" })).key;
});
afterAll(async () => {
  await index?.close();
  await closeDb();
});

async function upload(name: string, workflow: unknown) {
  const r = await callJson("POST", "/api/v1/workflows", { key, body: { name: `${name} ${Date.now()}`, workflow } });
  expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(201);
  return r.body.id as string;
}

describe("GET …/versions/{n}/requirements", () => {
  it("lists RES4LYF and the three models of the seed scenario's Z-Image Danrisi workflow", async () => {
    const id = await upload("danrisi", read("seed-scenarios/z-image-danrisi.api.json"));
    const r = await callJson("GET", `/api/v1/workflows/${id}/versions/1/requirements`, { key: viewer });
    expect(r.status).toBe(200);
    expect(r.body.packs).toEqual([
      expect.objectContaining({ repository: "https://github.com/ClownsharkBatwing/RES4LYF", title: "RES4LYF", classes: ["ClownsharKSampler_Beta", "Sigmas Rescale"], source: "index", install: "res4lyf" }),
    ]);
    expect(r.body.unknownClasses).toEqual([]);
    expect(r.body.models.map((m: { folder: string; name: string }) => `${m.folder}/${m.name}`)).toEqual([
      "diffusion_models/z_image_turbo_bf16.safetensors",
      "text_encoders/qwen_3_4b.safetensors",
      "vae/z-image-turbo-vae.safetensors",
    ]);
    expect(r.body.index).toEqual({ fetchedAt: expect.any(String), source: index.url });
    // The index was fetched once and stored with its date.
    const row = await db().nodeIndexSnapshot.findFirst({ where: { source: index.url } });
    expect(row?.packCount).toBeGreaterThan(5000);
  });

  it("resolves the packs of a converted community UI workflow, with the workflow's own model URL", async () => {
    const id = await upload("ipadapter", read("community/ipadapter-plus-style.json"));
    const r = await callJson("GET", `/api/v1/workflows/${id}/versions/1/requirements`, { key: viewer });
    expect(r.status).toBe(200);
    expect(r.body.packs.map((p: { repository: string; classes: string[] }) => [p.repository, p.classes])).toEqual([
      ["https://github.com/cubiq/ComfyUI_essentials", ["ImageResize+"]],
      ["https://github.com/cubiq/ComfyUI_IPAdapter_plus", ["IPAdapterAdvanced", "IPAdapterModelLoader"]],
    ]);
    const ckpt = r.body.models.find((m: { name: string }) => m.name === "v1-5-pruned-emaonly-fp16.safetensors");
    expect(ckpt).toMatchObject({ folder: "checkpoints", source: "workflow", url: expect.stringMatching(/^https:\/\/huggingface\.co\/Comfy-Org\//) });
    expect(r.body.models.find((m: { name: string }) => m.name === "ip-adapter-plus_sd15.safetensors")).toMatchObject({ folder: "ipadapter", source: "index", size: "98.2MB" });
  });

  it("answers 404 for a version that does not exist", async () => {
    const r = await callJson("GET", "/api/v1/workflows/wf_nope/versions/1/requirements", { key: viewer });
    expect(r.status).toBe(404);
  });
});

describe("POST /api/v1/requirements (workflows that cannot be converted without definitions)", () => {
  it("names every class of a UI workflow full of unknown classes, and the model files in its widgets", async () => {
    const r = await callJson("POST", "/api/v1/requirements", { key: viewer, body: { workflow: read("community/unknown-classes.json") } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.packs).toEqual([]);
    expect(r.body.unknownClasses).toEqual([
      { classType: "Acme Frobnicator", nodeIds: ["1"] },
      { classType: "Qux Secret Saver", nodeIds: ["3"] },
      { classType: "ZetaUpscaler_XL", nodeIds: ["2"] },
    ]);
    expect(r.body.models.map((m: { name: string }) => m.name)).toEqual(["acme_weights_v2.safetensors", "zeta_x4.pth"]);
    expect(r.body.warnings.map((w: { code: string }) => w.code)).toContain("workflow_unconvertible");
  });

  it("lists Impact Pack and Subpack and their detector and SAM models for an old-frontend UI workflow", async () => {
    const r = await callJson("POST", "/api/v1/requirements", { key: viewer, body: { workflow: read("community/impact-face-detailer.json") } });
    expect(r.status).toBe(200);
    expect(r.body.packs.map((p: { title: string; classes: string[] }) => [p.title, p.classes])).toEqual([
      ["ComfyUI Impact Pack", ["FaceDetailer", "SAMLoader"]],
      ["ComfyUI Impact Subpack", ["UltralyticsDetectorProvider"]],
    ]);
    expect(r.body.models.map((m: { folder: string; name: string; source: string }) => [m.folder, m.name, m.source])).toEqual([
      ["checkpoints", "sd_xl_base_1.0.safetensors", "index"],
      ["ultralytics", "bbox/face_yolov8m.pt", "index"],
      ["sams", "sam_vit_b_01ec64.pth", "index"],
    ]);
  });

  it("refuses a body that is not a workflow with a stable code", async () => {
    const r = await callJson("POST", "/api/v1/requirements", { key: viewer, body: { workflow: { nope: 1 } } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("workflow_invalid");
  });
});

describe("user resolutions and the index's lifecycle", () => {
  it("remembers the git URL given for an unknown class and the URL for a model file, for every later workflow", async () => {
    const wf = read("community/unknown-classes.json");
    const denied = await callJson("POST", "/api/v1/provision/resolutions", { key: viewer, body: { kind: "class", key: "Acme Frobnicator", url: "https://github.com/acme/ComfyUI-Acme" } });
    expect(denied.status).toBe(403);
    const bad = await callJson("POST", "/api/v1/provision/resolutions", { key, body: { kind: "class", key: "Acme Frobnicator", url: "https://example.com/x" } });
    expect(bad.status).toBe(400);
    const ok = await callJson("POST", "/api/v1/provision/resolutions", { key, body: { kind: "class", key: "Acme Frobnicator", url: "https://github.com/acme/ComfyUI-Acme.git" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: "class", key: "Acme Frobnicator", url: "https://github.com/acme/ComfyUI-Acme" });
    await callJson("POST", "/api/v1/provision/resolutions", { key, body: { kind: "model", key: "zeta_x4.pth", url: "https://huggingface.co/zeta/upscalers/resolve/main/zeta_x4.pth" } });
    const r = await callJson("POST", "/api/v1/requirements", { key: viewer, body: { workflow: wf } });
    expect(r.body.packs).toEqual([expect.objectContaining({ repository: "https://github.com/acme/ComfyUI-Acme", classes: ["Acme Frobnicator"], source: "user" })]);
    expect(r.body.unknownClasses.map((u: { classType: string }) => u.classType)).toEqual(["Qux Secret Saver", "ZetaUpscaler_XL"]);
    expect(r.body.models.find((m: { name: string }) => m.name === "zeta_x4.pth")).toMatchObject({ source: "user", url: expect.stringContaining("zeta_x4.pth") });
    const audit = await db().auditLog.findFirst({ where: { action: "provision.resolution.set" }, orderBy: { createdAt: "desc" } });
    expect(audit?.after).toMatchObject({ kind: "model", key: "zeta_x4.pth" });
    // null forgets
    await callJson("POST", "/api/v1/provision/resolutions", { key, body: { kind: "class", key: "Acme Frobnicator", url: null } });
    const again = await callJson("POST", "/api/v1/requirements", { key: viewer, body: { workflow: wf } });
    expect(again.body.unknownClasses.map((u: { classType: string }) => u.classType)).toContain("Acme Frobnicator");
  });

  it("keeps answering from the stored copy when the source fails, and refreshes on request (admin)", async () => {
    const before = await callJson("GET", "/api/v1/provision/node-index", { key: viewer });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ source: index.url, fetchedAt: expect.any(String) });
    expect(before.body.packs).toBeGreaterThan(5000);
    expect((await callJson("POST", "/api/v1/provision/node-index", { key })).status).toBe(403);
    index.setFailing(true);
    const failed = await callJson("POST", "/api/v1/provision/node-index", { key: admin });
    expect(failed.status).toBe(200);
    expect(failed.body.fetchedAt).toBe(before.body.fetchedAt);
    expect(failed.body.warning).toMatch(/could not be fetched.*using the copy fetched/);
    index.setFailing(false);
    const fresh = await callJson("POST", "/api/v1/provision/node-index", { key: admin });
    expect(fresh.body.warning).toBeUndefined();
    expect(Date.parse(fresh.body.fetchedAt)).toBeGreaterThan(Date.parse(before.body.fetchedAt));
  });
});

describe("GET …/versions/{n}/recipe", () => {
  it("gives the Dockerfile and files as JSON and as a zip", async () => {
    const id = await upload("recipe danrisi", read("seed-scenarios/z-image-danrisi.api.json"));
    const r = await callJson("GET", `/api/v1/workflows/${id}/versions/1/recipe?provider=runpod&image=docker.io/acme/danrisi:v1`, { key: viewer });
    expect(r.status).toBe(200);
    expect(r.body.dockerfile).toMatch(/^FROM runpod\/worker-comfyui:5\.5\.0-base$/m);
    expect(r.body.dockerfile).toContain("RUN comfy-node-install 'res4lyf'");
    expect(r.body.files[".github/workflows/build-worker.yml"]).toContain("tags: docker.io/acme/danrisi:v1");
    expect(r.body.problems).toHaveLength(3);
    const { call } = await import("../helpers/api");
    const zip = await call("GET", `/api/v1/workflows/${id}/versions/1/recipe?format=zip`, { key: viewer });
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toMatch(/attachment; filename="flowgate-recipe-danrisi-\d+-v1\.zip"/);
    const { unzipSync } = await import("fflate");
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).map((f) => f.split("/").slice(1).join("/")).sort()).toEqual(Object.keys(r.body.files).sort());
    // Once the user names the models' sources, the recipe downloads them.
    for (const [name, url] of [
      ["z_image_turbo_bf16.safetensors", "https://huggingface.co/Comfy-Org/z_image_turbo/resolve/main/split_files/diffusion_models/z_image_turbo_bf16.safetensors"],
      ["qwen_3_4b.safetensors", "https://huggingface.co/Comfy-Org/z_image_turbo/resolve/main/split_files/text_encoders/qwen_3_4b.safetensors"],
      ["z-image-turbo-vae.safetensors", "https://huggingface.co/Comfy-Org/z_image_turbo/resolve/main/split_files/vae/ae.safetensors"],
    ]) expect((await callJson("POST", "/api/v1/provision/resolutions", { key, body: { kind: "model", key: name, url } })).status).toBe(200);
    const again = await callJson("GET", `/api/v1/workflows/${id}/versions/1/recipe`, { key: viewer });
    expect(again.body.problems).toEqual([]);
    expect(again.body.dockerfile.match(/^RUN comfy model download /gm)).toHaveLength(3);
    expect(again.body.dockerfile).toContain("--relative-path 'models/vae' --filename 'z-image-turbo-vae.safetensors'");
  });

  it("refuses another provider and another format", async () => {
    const id = await upload("recipe bad", read("seed-scenarios/z-image-danrisi.api.json"));
    expect((await callJson("GET", `/api/v1/workflows/${id}/versions/1/recipe?provider=modal`, { key: viewer })).status).toBe(400);
    expect((await callJson("GET", `/api/v1/workflows/${id}/versions/1/recipe?format=tar`, { key: viewer })).status).toBe(400);
  });
});
