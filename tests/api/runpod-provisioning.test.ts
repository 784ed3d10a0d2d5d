// "Create RunPod endpoint": the template and endpoint are created through RunPod's REST API (the
// sandbox's look-alike, whose new endpoint answers /run only once its image is "built"), registered in
// Flowgate with the key encrypted, and a run through it succeeds; a failed image build is reported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { deployment, loraVersion, waitForTerminal } from "../helpers/world";
import { createApiKey } from "@/lib/auth/api-keys";
import { systemCtx } from "@/lib/context";
import { closeDb, db } from "@/lib/db";
import { createRun } from "@/lib/runs/create-run";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";

let ok: SandboxHandle;
let broken: SandboxHandle;
let worker: WorkerHandle;
let key: string;
const RUNPOD_KEY = "rp_test_key_123456";
const body = (name: string) => ({ name, image: "docker.io/acme/flowgate-lora:v1", apiKey: RUNPOD_KEY, gpuTypeIds: ["ADA_24", "AMPERE_24"], workersMin: 0, workersMax: 2, idleTimeout: 5, flashboot: true, networkVolumeId: "vol123", executionTimeoutMs: 120_000 });
const point = (s: SandboxHandle) => {
  process.env.FLOWGATE_RUNPOD_REST_URL = `${s.url}/v1`;
  process.env.FLOWGATE_RUNPOD_API_URL = s.url;
};

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  ok = await startSandbox({ provider: "runpod", apiKey: RUNPOD_KEY, execMs: 200, buildMs: 1500 });
  broken = await startSandbox({ provider: "runpod", apiKey: RUNPOD_KEY, buildFails: true });
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  key = (await createApiKey({ name: "provisioner", role: "engineer" })).key;
});
afterAll(async () => {
  await worker?.stop();
  await ok?.close();
  await broken?.close();
  await closeDb();
});

describe("POST /api/v1/provision/runpod-endpoints", () => {
  it("creates the template and endpoint, registers it, waits for the build, and a run through it succeeds", async () => {
    point(ok);
    const r = await callJson("POST", "/api/v1/provision/runpod-endpoints", { key, body: body(`rp ${Date.now()}`) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.steps.map((s: { step: string; ok: boolean }) => `${s.step}:${s.ok}`)).toEqual(["template:true", "endpoint:true", "register:true", "workers:true", "health:true", "preflight:true", "test_run:true"]);
    expect(r.body.steps[3].ms).toBeGreaterThan(0);
    // pre-flight and the test run are steps with their results (RunPod serves no node definitions)
    expect(r.body.steps[5].detail).toMatch(/runpod does not serve node definitions; skipped/);
    expect(r.body.steps[6].detail).toMatch(/EmptyImage → SaveImage finished \(1 output, job /);
    const testRow = await db().auditLog.findUniqueOrThrow({ where: { id: r.body.testAuditId } });
    expect(testRow).toMatchObject({ action: "endpoint.test_run", targetId: r.body.endpointId, outcome: "ok" });
    // what RunPod was told
    const rp = await fetch(`${ok.url}/v1/endpoints/${r.body.runpodEndpointId}`, { headers: { Authorization: `Bearer ${RUNPOD_KEY}` } }).then((x) => x.json());
    expect(rp).toMatchObject({ gpuTypeIds: ["ADA_24", "AMPERE_24"], workersMin: 0, workersMax: 2, idleTimeout: 5, flashboot: true, networkVolumeId: "vol123", executionTimeoutMs: 120_000, template: { imageName: "docker.io/acme/flowgate-lora:v1", isServerless: true } });
    // registered, key encrypted, management URL set (Restart cycles workers through it)
    const ep = await db().endpoint.findUniqueOrThrow({ where: { id: r.body.endpointId } });
    expect(ep.provider).toBe("runpod");
    expect(ep.config).toMatchObject({ endpointId: r.body.runpodEndpointId, baseUrl: ok.url, managementUrl: `${ok.url}/v1` });
    expect(ep.secretEncrypted).toBeTruthy();
    expect(ep.secretEncrypted).not.toContain(RUNPOD_KEY);
    const restart = await callJson("POST", `/api/v1/endpoints/${ep.id}/restart`, { key });
    expect(restart.status, JSON.stringify(restart.body)).toBe(200);
    const version = await loraVersion();
    const d = await deployment(version.id, [ep.id]);
    const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: "provisioned" } } } });
    expect((await waitForTerminal(runId, 60_000)).status).toBe("succeeded");
    const audit = await db().auditLog.findFirst({ where: { action: "provision.runpod_endpoint", targetId: ep.id } });
    expect(audit?.outcome).toBe("ok");
  });

  it("reports the failed build, with what was created", async () => {
    point(broken);
    const r = await callJson("POST", "/api/v1/provision/runpod-endpoints", { key, body: body(`rp broken ${Date.now()}`) });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.steps.at(-1)).toMatchObject({ step: "workers", ok: false, detail: expect.stringMatching(/unhealthy: the image did not build/) });
    expect(r.body.steps.map((s: { step: string }) => s.step)).not.toContain("test_run");
    expect(r.body.testAuditId).toBeNull();
    expect(r.body.runpodEndpointId).toBeTruthy();
  });

  it("refuses a bad body and a viewer", async () => {
    point(ok);
    expect((await callJson("POST", "/api/v1/provision/runpod-endpoints", { key, body: { ...body("x"), gpuTypeIds: [] } })).status).toBe(400);
    const viewer = (await createApiKey({ name: "rp viewer", role: "viewer" })).key;
    expect((await callJson("POST", "/api/v1/provision/runpod-endpoints", { key: viewer, body: body("x") })).status).toBe(403);
  });
});

describe("PATCH /api/v1/provision/runpod-endpoints/{id}", () => {
  it("changes the scaling knobs at RunPod, keeps them on the endpoint, audits before/after", async () => {
    point(ok);
    const created = await callJson("POST", "/api/v1/provision/runpod-endpoints", { key, body: body(`rp knobs ${Date.now()}`) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.endpointId as string;
    const r = await callJson("PATCH", `/api/v1/provision/runpod-endpoints/${id}`, { key, body: { workersMax: 4, idleTimeout: 30 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.before).toMatchObject({ workersMax: 2, idleTimeout: 5 });
    expect(r.body.after).toMatchObject({ workersMin: 0, workersMax: 4, idleTimeout: 30, flashboot: true, executionTimeoutMs: 120_000 });
    const rp = await fetch(`${ok.url}/v1/endpoints/${created.body.runpodEndpointId}`, { headers: { Authorization: `Bearer ${RUNPOD_KEY}` } }).then((x) => x.json());
    expect(rp).toMatchObject({ workersMin: 0, workersMax: 4, idleTimeout: 30, flashboot: true });
    const ep = await db().endpoint.findUniqueOrThrow({ where: { id } });
    expect(ep.config).toMatchObject({ scaling: { workersMin: 0, workersMax: 4, idleTimeout: 30, flashboot: true }, executionTimeoutMs: 120_000 });
    const row = await db().auditLog.findUniqueOrThrow({ where: { id: r.body.auditId } });
    expect(row).toMatchObject({ action: "provision.runpod_scaling", targetId: id, outcome: "ok", before: { workersMax: 2, idleTimeout: 5 }, after: { workersMax: 4, idleTimeout: 30 } });

    // a viewer may not; bad values are 400 validation_failed and RunPod is not called
    const viewer = (await createApiKey({ name: "rp knobs viewer", role: "viewer" })).key;
    expect((await callJson("PATCH", `/api/v1/provision/runpod-endpoints/${id}`, { key: viewer, body: { workersMax: 1 } })).status).toBe(403);
    for (const bad of [{ workersMax: -1 }, { idleTimeout: "soon" }, {}, { workersMin: 5 }, { gpuCount: 2 }]) {
      const b = await callJson("PATCH", `/api/v1/provision/runpod-endpoints/${id}`, { key, body: bad });
      expect(b.status, JSON.stringify(bad)).toBe(400);
      expect(b.body.error.code).toBe("validation_failed");
    }
    const still = await fetch(`${ok.url}/v1/endpoints/${created.body.runpodEndpointId}`, { headers: { Authorization: `Bearer ${RUNPOD_KEY}` } }).then((x) => x.json());
    expect(still).toMatchObject({ workersMin: 0, workersMax: 4 });
    expect((await callJson("PATCH", "/api/v1/provision/runpod-endpoints/ep_nope", { key, body: { workersMax: 1 } })).status).toBe(404);
  });

  it("records a refused change as failed (RunPod kept its values), and refuses endpoints it cannot manage", async () => {
    point(ok);
    // the look-alike's own endpoint (not created through POST /v1/endpoints) takes only workersMax
    const own = await callJson("POST", "/api/v1/endpoints", { key, body: { name: `rp own ${Date.now()}`, provider: "runpod", config: { endpointId: "ownep1", baseUrl: ok.url, managementUrl: `${ok.url}/v1` }, secret: RUNPOD_KEY } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const r = await callJson("PATCH", `/api/v1/provision/runpod-endpoints/${own.body.id}`, { key, body: { idleTimeout: 30 } });
    expect(r.status, JSON.stringify(r.body)).toBe(503);
    expect(r.body.error).toMatchObject({ code: "endpoint_unreachable", message: expect.stringMatching(/RunPod did not take the new scaling: .*HTTP 400: workersMax must be/) });
    const row = await db().auditLog.findUniqueOrThrow({ where: { id: r.body.error.details.auditId } });
    expect(row).toMatchObject({ action: "provision.runpod_scaling", outcome: "failed", after: { idleTimeout: 30 } });
    expect((await db().endpoint.findUniqueOrThrow({ where: { id: own.body.id } })).config).not.toHaveProperty("scaling");
    // a ComfyUI endpoint has no scaling knobs here
    const comfy = await callJson("POST", "/api/v1/endpoints", { key, body: { name: `comfy ${Date.now()}`, provider: "comfyui", config: { baseUrl: "http://127.0.0.1:9/" } } });
    const c = await callJson("PATCH", `/api/v1/provision/runpod-endpoints/${comfy.body.id}`, { key, body: { workersMax: 1 } });
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe("not_supported");
  });
});
