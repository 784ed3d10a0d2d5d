// Issue #18 item 3: a typed client from the served OpenAPI, with standard tools. The document served
// at GET /api/v1/openapi.json goes through openapi-typescript (programmatic API) into a .d.ts; a
// script written against it with openapi-fetch — upload a workflow → register an endpoint → deploy →
// run → fetch the output — must type-check with tsc (strict), and then actually run against a real
// HTTP server (route handlers, PostgreSQL, worker, ComfyUI sandbox). If the spec drifts from the code,
// one of the two breaks. A deliberately wrong call must fail tsc (the check can fail).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import openapiTS, { astToString } from "openapi-typescript";
import { startAppServer, type AppServer } from "../helpers/http-app";
import { loraWorkflow } from "../helpers/world";
import { createApiKey } from "@/lib/auth/api-keys";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { closeDb } from "@/lib/db";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Under .data/ (git-ignored, outside the project's tsconfig) so openapi-fetch resolves from node_modules.
const DIR = path.join(ROOT, ".data", `typed-sdk-${process.pid}`);

let app: AppServer;
let sandbox: SandboxHandle;
let worker: WorkerHandle;
let key: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  process.env.FLOWGATE_POLL_MS = "100";
  sandbox = await startSandbox({ execMs: 200 });
  worker = await startWorker({ concurrency: 2, healthMs: 0 });
  app = await startAppServer();
  key = (await createApiKey({ name: "typed sdk", role: "engineer" })).key;
  fs.mkdirSync(DIR, { recursive: true });
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
  fs.rmSync(DIR, { recursive: true, force: true });
});

// What a user writes with the generated types (README "Typed SDK").
const FLOW = `import createClient from "openapi-fetch";
import type { paths } from "./flowgate";

export async function flow(baseUrl: string, apiKey: string, workflow: Record<string, unknown>, comfyUrl: string) {
  const fg = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${apiKey}\` } });
  const wf = await fg.POST("/api/v1/workflows", { body: { name: \`typed sdk \${Date.now()}\`, workflow } });
  if (!wf.data) throw new Error(\`upload: \${JSON.stringify(wf.error)}\`);
  const ep = await fg.POST("/api/v1/endpoints", { body: { name: \`typed sdk ep \${Date.now()}\`, provider: "comfyui", config: { baseUrl: comfyUrl } } });
  if (!ep.data) throw new Error(\`endpoint: \${JSON.stringify(ep.error)}\`);
  const dep = await fg.POST("/api/v1/deployments", {
    body: {
      name: \`typed sdk \${Date.now()}\`,
      workflowVersionId: wf.data.version.id,
      slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string", required: true }],
      targets: [{ endpointId: ep.data.id, priority: 0 }],
    },
  });
  if (!dep.data) throw new Error(\`deploy: \${JSON.stringify(dep.error)}\`);
  const slug: string = dep.data.slug;
  const started = await fg.POST("/api/v1/deployments/{slug}/runs", { params: { path: { slug } }, body: { inputs: { prompt: "a typed lighthouse" }, wait: 30 } });
  if (!started.data) throw new Error(\`run: \${JSON.stringify(started.error)}\`);
  let run = started.data;
  while (!["succeeded", "failed", "canceled", "timed_out"].includes(run.status)) {
    await new Promise((r) => setTimeout(r, 200));
    const again = await fg.GET("/api/v1/runs/{id}", { params: { path: { id: run.id } } });
    if (!again.data) throw new Error(\`get run: \${JSON.stringify(again.error)}\`);
    run = again.data;
  }
  const first = run.outputs[0];
  const out = first
    ? await fg.GET("/api/v1/runs/{id}/outputs/{outputId}", { params: { path: { id: run.id, outputId: first.id } }, parseAs: "arrayBuffer" })
    : null;
  const missing = await fg.GET("/api/v1/deployments/{slug}", { params: { path: { slug: "no-such-deployment" } } });
  return {
    slug,
    status: run.status,
    costUsd: run.costUsd,
    contentType: first?.contentType ?? null,
    bytes: out?.data ? new Uint8Array(out.data as ArrayBuffer).length : 0,
    missingCode: missing.error?.error.code ?? null,
  };
}
`;

// Calls the spec forbids: a wrong field type, a wrong enum value, a missing path parameter.
const WRONG = `import createClient from "openapi-fetch";
import type { paths } from "./flowgate";
const fg = createClient<paths>({ baseUrl: "http://x" });
export const a = fg.POST("/api/v1/deployments", { body: { name: "x", workflowVersionId: 7, targets: [] } });
export const b = fg.POST("/api/v1/endpoints", { body: { name: "x", provider: "nope", config: {} } });
export const c = fg.GET("/api/v1/runs/{id}", {});
`;

function tsc(files: string[]): Promise<{ code: number; out: string }> {
  const args = [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--target", "ES2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "ES2023,DOM", ...files];
  return new Promise((resolve) => execFile(process.execPath, args, { cwd: DIR, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr })));
}

describe("typed client from the served OpenAPI", () => {
  it("generates types with openapi-typescript, type-checks an openapi-fetch script, and runs it against the server", async () => {
    const res = await fetch(`${app.url}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const doc = await res.json();
    const ast = await openapiTS(doc);
    const types = astToString(ast);
    expect(types).toContain('"/api/v1/deployments/{slug}/runs"');
    fs.writeFileSync(path.join(DIR, "flowgate.d.ts"), types);
    fs.writeFileSync(path.join(DIR, "flow.ts"), FLOW);
    fs.writeFileSync(path.join(DIR, "wrong.ts"), WRONG);

    const good = await tsc(["flow.ts"]);
    expect(good.out, "the typed script must compile against the generated types").toBe("");
    expect(good.code).toBe(0);
    const bad = await tsc(["wrong.ts"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/wrong\.ts\(4,/);
    expect(bad.out).toMatch(/wrong\.ts\(5,/);
    expect(bad.out).toMatch(/wrong\.ts\(6,/);

    const mod = (await import(pathToFileURL(path.join(DIR, "flow.ts")).href)) as { flow: (...a: unknown[]) => Promise<Record<string, unknown>> };
    const result = await mod.flow(app.url, key, loraWorkflow, sandbox.url);
    expect(result).toMatchObject({ status: "succeeded", contentType: "image/png", missingCode: "not_found" });
    expect(result.bytes).toBeGreaterThan(8);
    expect(typeof result.costUsd).toBe("number");
  });
});
