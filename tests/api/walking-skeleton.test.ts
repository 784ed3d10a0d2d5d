// The walking skeleton, end to end over the real route handlers, a real PostgreSQL, a real worker
// and the sandbox ComfyUI over real HTTP/WebSocket: upload → deploy → run → PNG output.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson, call } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb } from "@/lib/db";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
const workflow = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let admin: string;
let viewer: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  process.env.FLOWGATE_POLL_MS = "200";
  sandbox = await startSandbox({ execMs: 300 });
  worker = await startWorker({ concurrency: 10, healthMs: 0 });
  admin = (await createApiKey({ name: "test admin", role: "admin" })).key;
  viewer = (await createApiKey({ name: "test viewer", role: "viewer" })).key;
});

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
});

async function waitTerminal(id: string, key: string, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await callJson("GET", `/api/v1/runs/${id}`, { key });
    if (["succeeded", "failed", "canceled", "timed_out"].includes(r.body.status)) return r.body;
    if (Date.now() > until) throw new Error(`run ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

describe("walking skeleton", () => {
  let endpointId: string;
  let versionId: string;
  const slug = `lora-${Date.now()}`;

  it("answers health without auth", async () => {
    const r = await callJson("GET", "/api/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", db: "ok", queue: "ok" });
  });

  it("creates an endpoint on the sandbox; the secret is never returned", async () => {
    const r = await callJson("POST", "/api/v1/endpoints", {
      key: admin,
      body: { name: "sandbox", provider: "comfyui", config: { baseUrl: sandbox.url }, secret: "s3cret", pricePerHourUsd: 1.2 },
    });
    expect(r.status).toBe(201);
    expect(JSON.stringify(r.body)).not.toContain("s3cret");
    expect(r.body.hasSecret).toBe(true);
    endpointId = r.body.id;
  });

  it("uploads an API-format workflow; the same content again returns the same version", async () => {
    const name = `lora ${Date.now()}`;
    const r = await callJson("POST", "/api/v1/workflows", { key: admin, body: { name, workflow } });
    expect(r.status).toBe(201);
    expect(r.body.version).toMatchObject({ number: 1, format: "api", nodeCount: 8 });
    expect(r.body.version.analysis.outputs).toEqual([expect.objectContaining({ nodeId: "9", classType: "SaveImage" })]);
    versionId = r.body.version.id;
    const again = await callJson("POST", "/api/v1/workflows", { key: admin, body: { name, workflow: { prompt: workflow } } });
    expect(again.status).toBe(200);
    expect(again.body.version.id).toBe(versionId);
  });

  it("deploys with a prompt slot and runs to a PNG output", async () => {
    const d = await callJson("POST", "/api/v1/deployments", {
      key: admin,
      body: {
        name: "LoRA",
        slug,
        workflowVersionId: versionId,
        slots: [
          { name: "prompt", nodeId: "6", input: "text", type: "string", required: true },
          { name: "seed", nodeId: "3", input: "seed", type: "seed" },
        ],
        targets: [{ endpointId, priority: 0 }],
      },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body).toMatchObject({ slug, url: `/api/v1/deployments/${slug}/runs`, openapiUrl: `/api/v1/deployments/${slug}/openapi.json` });

    const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, body: { inputs: { prompt: "a red fox in the snow" } } });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe("queued");
    const run = await waitTerminal(r.body.id, admin);
    expect(run.status, JSON.stringify(run.error)).toBe("succeeded");
    expect(run.attempts).toHaveLength(1);
    expect(run.attempts[0]).toMatchObject({ number: 1, endpointId, provider: "comfyui", status: "succeeded" });
    expect(typeof run.resolvedInputs.seed).toBe("number"); // an empty seed slot got a recorded random seed
    expect(run.outputs.length).toBeGreaterThanOrEqual(1);
    const out = run.outputs[0];
    expect(out).toMatchObject({ nodeId: "9", contentType: "image/png" });
    const file = await call("GET", out.url, { key: viewer });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBe(out.sizeBytes);

    const events = await call("GET", `/api/v1/runs/${run.id}/events`, { key: viewer });
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    const text = await events.text(); // ends because the run is terminal
    expect(text).toContain("event: run");
    expect(text).toContain('"status":"succeeded"');
  });

  it("waits for the result when asked to (200 when done in time)", async () => {
    const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, body: { inputs: { prompt: "wait for me", seed: 7 }, wait: 30 } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("succeeded");
    expect(r.body.resolvedInputs.seed).toBe(7);
  });

  it("returns the same run for the same Idempotency-Key and body, 409 for a different body", async () => {
    const headers = { "idempotency-key": `key-${Date.now()}` };
    const a = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, headers, body: { inputs: { prompt: "once" } } });
    const b = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, headers, body: { inputs: { prompt: "once" } } });
    expect(a.status).toBe(202);
    expect(b.body.id).toBe(a.body.id);
    const c = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, headers, body: { inputs: { prompt: "twice" } } });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe("idempotency_conflict");
    await waitTerminal(a.body.id, admin);
  });

  it("retries a canceled run as a new run with the same inputs", async () => {
    const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, body: { inputs: { prompt: "cancel then retry" } } });
    const canceled = await callJson("POST", `/api/v1/runs/${r.body.id}/cancel`, { key: admin });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe("canceled");
    const again = await callJson("POST", `/api/v1/runs/${r.body.id}/retry`, { key: admin });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(r.body.id);
    expect(again.body.inputs).toEqual({ prompt: "cancel then retry" });
    expect((await waitTerminal(again.body.id, admin)).status).toBe("succeeded");
  });

  describe("bad input gets a clear 4xx in API.md's shape", () => {
    it("401 without or with a bad key", async () => {
      const a = await callJson("GET", "/api/v1/workflows");
      expect(a.status).toBe(401);
      expect(a.body.error.code).toBe("unauthorized");
      const b = await callJson("GET", "/api/v1/workflows", { key: "fg_000000000000_notarealkeyatallnope" });
      expect(b.status).toBe(401);
    });
    it("403 for a viewer writing", async () => {
      const r = await callJson("POST", "/api/v1/workflows", { key: viewer, body: { workflow } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
    });
    it("400 for a body that is not JSON, 415 for a wrong media type", async () => {
      const r = await callJson("POST", "/api/v1/workflows", { key: admin, rawBody: "{nope", headers: { "content-type": "application/json" } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("invalid_json");
      const t = await callJson("POST", "/api/v1/workflows", { key: admin, rawBody: "x", headers: { "content-type": "text/plain" } });
      expect(t.status).toBe(415);
    });
    it("4xx for a workflow of the wrong shape", async () => {
      const r = await callJson("POST", "/api/v1/workflows", { key: admin, body: { name: "bad", workflow: { hello: "world" } } });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(typeof r.body.error.code).toBe("string");
      expect(r.body.error.message.length).toBeGreaterThan(10);
    });
    it("409 for a duplicate slug", async () => {
      const r = await callJson("POST", "/api/v1/deployments", {
        key: admin,
        body: { name: "dup", slug, workflowVersionId: versionId, slots: [], targets: [{ endpointId }] },
      });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("slug_taken");
    });
    it("404 for an unknown deployment", async () => {
      const r = await callJson("POST", "/api/v1/deployments/nope-nope/runs", { key: admin, body: { inputs: {} } });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    });
    it("422 naming the slot for inputs of the wrong type or unknown names", async () => {
      const r = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, body: { inputs: { prompt: 42 } } });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe("input_invalid");
      expect(r.body.error.message).toContain("prompt");
      const u = await callJson("POST", `/api/v1/deployments/${slug}/runs`, { key: admin, body: { inputs: { prompt: "x", nope: 1 } } });
      expect(u.status).toBe(422);
      expect(u.body.error.message).toContain("nope");
    });
    it("422 for a slot on an input that does not exist", async () => {
      const r = await callJson("POST", "/api/v1/deployments", {
        key: admin,
        body: { name: "bad slot", workflowVersionId: versionId, slots: [{ name: "x", nodeId: "999", input: "text", type: "string" }], targets: [{ endpointId }] },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe("slot_invalid");
    });
  });
});
