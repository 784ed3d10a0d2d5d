// A deployment can target RunPod (worker-comfyui) and RunComfy look-alike endpoints created
// through the API; runs through each reach `succeeded` with their outputs stored in Flowgate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson, call } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db } from "@/lib/db";
import { loraWorkflow } from "../helpers/world";

let runpod: SandboxHandle;
let runcomfy: SandboxHandle;
let worker: WorkerHandle;
let key: string;
let versionId: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  process.env.FLOWGATE_POLL_MS = "200";
  runpod = await startSandbox({ provider: "runpod", execMs: 200, apiKey: "rp-secret" });
  runcomfy = await startSandbox({ provider: "runcomfy", execMs: 200, apiKey: "rc-secret" });
  worker = await startWorker({ concurrency: 10, healthMs: 0 });
  key = (await createApiKey({ name: "providers", role: "engineer" })).key;
  const wf = await callJson("POST", "/api/v1/workflows", { key, body: { name: `providers ${Date.now()}`, workflow: loraWorkflow } });
  versionId = wf.body.version.id;
});

afterAll(async () => {
  await worker?.stop();
  await runpod?.close();
  await runcomfy?.close();
  await closeDb();
});

async function runOn(endpoint: Record<string, unknown>) {
  const ep = await callJson("POST", "/api/v1/endpoints", { key, body: endpoint });
  expect(ep.status, JSON.stringify(ep.body)).toBe(201);
  // Secrets are encrypted at rest: the stored column never holds the plain key.
  const row = await db().endpoint.findUniqueOrThrow({ where: { id: ep.body.id } });
  expect(row.secretEncrypted).toBeTruthy();
  expect(row.secretEncrypted).not.toContain(String(endpoint.secret));
  const slug = `p-${ep.body.provider}-${Date.now()}`;
  const d = await callJson("POST", "/api/v1/deployments", {
    key,
    body: { name: slug, slug, workflowVersionId: versionId, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId: ep.body.id }] },
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key, body: { inputs: { prompt: "through a serverless provider" }, wait: 40 } });
  return r.body;
}

describe("serverless providers through the API", () => {
  it("runs on a RunPod (worker-comfyui) endpoint", async () => {
    const run = await runOn({ name: "runpod", provider: "runpod", config: { endpointId: "ep-abc123", baseUrl: runpod.url }, secret: "rp-secret", gpu: "A100-80GB", pricePerHourUsd: 2.17 });
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(run.attempts[0].provider).toBe("runpod");
    expect(run.outputs.length).toBeGreaterThan(0);
    const file = await call("GET", run.outputs[0].url, { key });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^image\//);
  });

  it("runs on a RunComfy endpoint", async () => {
    const run = await runOn({ name: "runcomfy", provider: "runcomfy", config: { deploymentId: "dep-xyz", baseUrl: runcomfy.url }, secret: "rc-secret" });
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(run.attempts[0].provider).toBe("runcomfy");
    expect(run.outputs.length).toBeGreaterThan(0);
  });

  it("reports a wrong RunPod key as a clear failure, not a hang", async () => {
    const run = await runOn({ name: "runpod bad key", provider: "runpod", config: { endpointId: "ep-abc123", baseUrl: runpod.url }, secret: "wrong" });
    expect(run.status).toBe("failed");
    expect(JSON.stringify(run.error).toLowerCase()).toMatch(/key|unauthori[sz]ed|401/);
  });

  it("refuses unknown config fields with a clear 400", async () => {
    const r = await callJson("POST", "/api/v1/endpoints", { key, body: { name: "x", provider: "runpod", config: { endpointId: "a", bogus: 1 } } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("bogus");
  });
});

describe("provider callbacks", () => {
  it("accept only the per-attempt token Flowgate issued, and record the callback on the run", async () => {
    const { attemptToken } = await import("@/lib/runs/provider-webhook");
    const attempt = await db().runAttempt.findFirstOrThrow({ where: { provider: "runpod" } });
    const bad = await callJson("POST", `/api/v1/hooks/attempts/${attempt.id}?token=nope`, { body: { status: "COMPLETED" } });
    expect(bad.status).toBe(401);
    const ok = await callJson("POST", `/api/v1/hooks/attempts/${attempt.id}?token=${attemptToken(attempt.id)}`, { body: { id: "job", status: "COMPLETED" } });
    expect(ok.status).toBe(200);
    const ev = await db().runEvent.findFirst({ where: { runId: attempt.runId, type: "provider.webhook" } });
    expect(ev?.data).toMatchObject({ status: "COMPLETED", provider: "runpod" });
  });
});
