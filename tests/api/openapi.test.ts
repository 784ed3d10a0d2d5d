// The served OpenAPI document is the contract: every route file under app/api/v1 has its operations
// in it (with a unique operationId), it lints clean with Redocly's recommended rules, its component
// schemas are the zod schemas' JSON Schema, and real responses of every route — a 2xx and an error
// each, over the real handlers, PostgreSQL, worker and sandbox — validate against it (ajv, JSON
// Schema 2020-12) and against the zod schemas the serializers are typed with.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { call, callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startIndexServer, type IndexServer } from "@/sandbox/manager-index";
import { managerIndexDir } from "../helpers/shared";
import { closeDb, db } from "@/lib/db";
import { attemptToken } from "@/lib/runs/provider-webhook";
import { signOutputLink } from "@/lib/runs/sign-output-link";
import { systemCtx } from "@/lib/context";
import { OPERATIONS, componentSchemas } from "@/lib/api/openapi";
import { RESPONSE_SCHEMAS } from "@/lib/api/responses";
import { API_ERROR_CODES, ERROR_CODES_BY_STATUS } from "@/lib/errors";
import { z } from "zod";

const ROOT = path.resolve(import.meta.dirname, "../..");
const V1 = path.join(ROOT, "app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}
/** app/api/v1/runs/[id]/route.ts → /api/v1/runs/{id} */
const openapiPath = (file: string) =>
  "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");

type Doc = { paths: Record<string, Record<string, { operationId?: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

/** Redocly's `recommended` ruleset, every error and warning but one: the project has no licence file, so the documents name none (info-license). */
async function lintProblems(document: unknown) {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "/openapi.json", config });
  return problems.filter((p) => p.ruleId !== "info-license").map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? "?"}`);
}

let doc: Doc;
let sandbox: SandboxHandle;
let worker: WorkerHandle;
let hookServer: http.Server;
let indexServer: IndexServer;
let hookUrl: string;
const keys = { admin: "", viewer: "" };

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  process.env.FLOWGATE_POLL_MS = "200";
  sandbox = await startSandbox({ execMs: 200 });
  indexServer = await startIndexServer({ dir: managerIndexDir() });
  process.env.FLOWGATE_NODE_INDEX_URL = indexServer.url;
  process.env.FLOWGATE_COMFY_REGISTRY_URL = indexServer.url;
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  hookServer = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end("ok"));
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hook`;
  keys.admin = (await createApiKey({ name: "openapi admin", role: "admin" })).key;
  keys.viewer = (await createApiKey({ name: "openapi viewer", role: "viewer" })).key;
  const r = await callJson("GET", "/api/v1/openapi.json", { key: keys.viewer });
  expect(r.status).toBe(200);
  doc = r.body;
});

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await indexServer?.close();
  await new Promise((r) => hookServer?.close(r));
  await closeDb();
});

describe("the OpenAPI document covers every route", () => {
  it("has every exported method of every route file under app/api/v1, and nothing that is not one", async () => {
    const files = routeFiles(V1);
    expect(files.length).toBeGreaterThanOrEqual(29);
    const routed = new Set<string>();
    const missing: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const p = openapiPath(file);
      for (const m of METHODS) {
        if (typeof mod[m] !== "function") continue;
        routed.add(`${m.toLowerCase()} ${p}`);
        if (!doc.paths[p]?.[m.toLowerCase()]?.operationId) missing.push(`${m} ${p} (${path.relative(ROOT, file)})`);
      }
    }
    expect(missing, "route handlers with no operation in lib/api/openapi.ts OPERATIONS").toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).filter((k) => k.includes(" /api/v1/"));
    expect(documented.filter((k) => !routed.has(k)), "documented operations with no route handler").toEqual([]);
  });

  it("gives every operation one unique operationId", () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(OPERATIONS.length);
  });

  it("answers every error status with the error-code enum of that status class", () => {
    const enumOf = (name: string) => (doc.components.schemas[name] as any).properties.error.properties.code.enum as string[];
    expect((doc.components.schemas.Error as any).properties.error.properties.code).toEqual({ $ref: "#/components/schemas/ErrorCode" });
    expect(new Set((doc.components.schemas.ErrorCode as any).enum)).toEqual(new Set(API_ERROR_CODES));
    for (const [status, codes] of Object.entries(ERROR_CODES_BY_STATUS)) expect(enumOf(`Error${status}`)).toEqual([...codes]);
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, o] of Object.entries(ops)) {
        for (const [status, r] of Object.entries(o.responses)) {
          if (status === "default") {
            expect((r.content?.["application/json"]?.schema as any)?.$ref).toBe("#/components/schemas/Error");
            continue;
          }
          if (Number(status) < 400 || p === "/api/health") continue;
          expect((r.content?.["application/json"]?.schema as any)?.$ref, `${m} ${p} ${status}`).toBe(`#/components/schemas/Error${status}`);
        }
        expect(Object.keys(o.responses).some((s) => s.startsWith("4")), `${m} ${p} has a 4xx`).toBe(true);
      }
    }
  });

  it("publishes the zod schemas' JSON Schema as its components", () => {
    const fresh = componentSchemas();
    for (const name of Object.keys(RESPONSE_SCHEMAS)) expect(doc.components.schemas[name], name).toEqual(fresh[name]);
    // The Run component is RunSchema itself (not a hand-written copy).
    const run = z.toJSONSchema(RESPONSE_SCHEMAS.Run, { target: "draft-2020-12", io: "output" }) as Record<string, unknown>;
    delete run.$schema;
    expect(doc.components.schemas.Run).toEqual(run);
  });

  it("lints without errors or warnings (Redocly recommended ruleset)", async () => {
    expect(await lintProblems(doc)).toEqual([]);
  });
});

describe("real responses match the document", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  let added = false;
  const seen = new Map<string, Set<string>>();

  /** Validate one real answer of `operationId`: the status is documented, the body matches its schema (ajv) and the zod schema. */
  async function expectDocumented(operationId: string, res: Response) {
    if (!added) {
      ajv.addSchema({ $id: "https://flowgate.local/openapi.json", components: doc.components });
      added = true;
    }
    const o = OPERATIONS.find((x) => x.operationId === operationId)!;
    expect(o, operationId).toBeTruthy();
    const status = String(res.status);
    const r = doc.paths[o.path][o.method].responses[status];
    const text = await res.text();
    expect(r, `${operationId} answered ${status}, which the document does not list: ${text.slice(0, 300)}`).toBeTruthy();
    (seen.get(operationId) ?? seen.set(operationId, new Set()).get(operationId)!).add(status);
    const ref = (r.content?.["application/json"]?.schema as { $ref?: string } | undefined)?.$ref;
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!;
    if (ref && type !== "application/json") {
      expect(Object.keys(r.content ?? {}), `${operationId} answered ${type}`).toContain(type);
      return text;
    }
    if (!ref) return text;
    expect(res.headers.get("content-type") ?? "").toMatch(/application\/json/);
    const body = JSON.parse(text);
    const validate = ajv.getSchema(`https://flowgate.local/openapi.json${ref}`)!;
    const ok = validate(body);
    expect(ok ? [] : validate.errors, `${operationId} ${status} against ${ref}: ${text.slice(0, 500)}`).toEqual([]);
    const name = ref.split("/").pop()!;
    const zodSchema = (RESPONSE_SCHEMAS as Record<string, z.ZodType>)[name];
    if (zodSchema) expect(zodSchema.safeParse(body).error?.issues ?? [], `${operationId} ${status} against zod ${name}`).toEqual([]);
    return body;
  }

  it("every operation, a 2xx and an error", async () => {
    const A = { key: keys.admin };
    const V = { key: keys.viewer };
    const req = (m: string, url: string, opts: Parameters<typeof call>[2] = {}) => call(m, url, opts);
    const FIX = path.join(ROOT, "tests/fixtures/workflows/comfyui-examples/api/lora__lora.json");
    const workflow = JSON.parse(fs.readFileSync(FIX, "utf8"));
    const slug = `oas-${Date.now().toString(36)}`;

    // Meta
    await expectDocumented("getHealth", await req("GET", "/api/health"));
    await expectDocumented("getOpenapi", await req("GET", "/api/v1/openapi.json", V));
    await expectDocumented("getOpenapi", await req("GET", "/api/v1/openapi.json"));

    // Workflows
    const wf = await expectDocumented("importWorkflow", await req("POST", "/api/v1/workflows", { ...A, body: { name: `oas-wf-${slug}`, workflow } }));
    await expectDocumented("importWorkflow", await req("POST", "/api/v1/workflows", { ...A, body: { name: "x", workflow: { nope: 1 } } }));
    await expectDocumented("importWorkflow", await req("POST", "/api/v1/workflows", { ...A, rawBody: "{}", headers: { "content-type": "text/plain" } }));
    await expectDocumented("listWorkflows", await req("GET", "/api/v1/workflows?limit=2", V));
    await expectDocumented("listWorkflows", await req("GET", "/api/v1/workflows?limit=0", V));
    await expectDocumented("getWorkflow", await req("GET", `/api/v1/workflows/${wf.id}`, V));
    await expectDocumented("getWorkflow", await req("GET", "/api/v1/workflows/wf_nope", V));
    await expectDocumented("getWorkflowVersion", await req("GET", `/api/v1/workflows/${wf.id}/versions/1`, V));
    await expectDocumented("getWorkflowVersion", await req("GET", `/api/v1/workflows/${wf.id}/versions/99`, V));
    await expectDocumented("diffWorkflowVersion", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/diff?against=1`, V));
    await expectDocumented("diffWorkflowVersion", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/diff?against=x`, V));

    // Provisioning
    await expectDocumented("getWorkflowRequirements", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/requirements`, V));
    await expectDocumented("getWorkflowRequirements", await req("GET", `/api/v1/workflows/${wf.id}/versions/x/requirements`, V));
    await expectDocumented("analyzeRequirements", await req("POST", "/api/v1/requirements", { ...V, body: { workflow } }));
    await expectDocumented("analyzeRequirements", await req("POST", "/api/v1/requirements", { ...V, body: {} }));
    await expectDocumented("resolveRequirement", await req("POST", "/api/v1/provision/resolutions", { ...A, body: { kind: "model", key: "oas.safetensors", url: "https://huggingface.co/x/y/resolve/main/oas.safetensors" } }));
    await expectDocumented("resolveRequirement", await req("POST", "/api/v1/provision/resolutions", { ...V, body: { kind: "model", key: "oas.safetensors", url: null } }));
    await expectDocumented("getWorkerRecipe", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/recipe?provider=runpod`, V));
    await expectDocumented("getWorkerRecipe", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/recipe?format=zip`, V));
    await expectDocumented("getWorkerRecipe", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/recipe?provider=modal`, V));
    await expectDocumented("getCostPreview", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/cost-preview?workersMin=1`, V));
    await expectDocumented("getCostPreview", await req("GET", `/api/v1/workflows/${wf.id}/versions/1/cost-preview?workersMin=-1`, V));
    const rpSandbox = await startSandbox({ provider: "runpod", apiKey: "oas-runpod-key" });
    process.env.FLOWGATE_RUNPOD_REST_URL = `${rpSandbox.url}/v1`;
    process.env.FLOWGATE_RUNPOD_API_URL = rpSandbox.url;
    const rpBody = { name: `oas-rp-${slug}`, image: "docker.io/acme/worker:v1", apiKey: "oas-runpod-key", gpuTypeIds: ["ADA_24"] };
    const rpEp = await expectDocumented("createRunpodEndpoint", await req("POST", "/api/v1/provision/runpod-endpoints", { ...A, body: rpBody }));
    await expectDocumented("updateRunpodScaling", await req("PATCH", `/api/v1/provision/runpod-endpoints/${rpEp.endpointId}`, { ...A, body: { workersMax: 2, idleTimeout: 20 } }));
    await expectDocumented("updateRunpodScaling", await req("PATCH", `/api/v1/provision/runpod-endpoints/${rpEp.endpointId}`, { ...A, body: { workersMax: -1 } }));
    await expectDocumented("createRunpodEndpoint", await req("POST", "/api/v1/provision/runpod-endpoints", { ...A, body: { ...rpBody, gpuTypeIds: [] } }));
    await rpSandbox.close();
    await expectDocumented("getNodeIndex", await req("GET", "/api/v1/provision/node-index", V));
    await expectDocumented("getNodeIndex", await req("GET", "/api/v1/provision/node-index"));
    await expectDocumented("refreshNodeIndex", await req("POST", "/api/v1/provision/node-index", A));
    await expectDocumented("refreshNodeIndex", await req("POST", "/api/v1/provision/node-index", V));

    // Endpoints
    const ep = await expectDocumented("createEndpoint", await req("POST", "/api/v1/endpoints", { ...A, body: { name: `oas-ep-${slug}`, provider: "comfyui", config: { baseUrl: sandbox.url } } }));
    await expectDocumented("createEndpoint", await req("POST", "/api/v1/endpoints", { ...V, body: { name: "x", provider: "comfyui", config: { baseUrl: sandbox.url } } }));
    await expectDocumented("listEndpoints", await req("GET", "/api/v1/endpoints", V));
    await expectDocumented("listEndpoints", await req("GET", "/api/v1/endpoints"));
    await expectDocumented("getEndpoint", await req("GET", `/api/v1/endpoints/${ep.id}`, V));
    await expectDocumented("getEndpoint", await req("GET", "/api/v1/endpoints/ep_nope", V));
    await expectDocumented("updateEndpoint", await req("PATCH", `/api/v1/endpoints/${ep.id}`, { ...A, body: { gpu: "RTX 4090", pricePerHourUsd: 0.7 } }));
    await expectDocumented("updateEndpoint", await req("PATCH", `/api/v1/endpoints/${ep.id}`, { ...A, body: { unknownField: 1 } }));
    await expectDocumented("checkEndpointHealth", await req("GET", `/api/v1/endpoints/${ep.id}/health`, A));
    await expectDocumented("checkEndpointHealth", await req("GET", `/api/v1/endpoints/${ep.id}/health?fresh=0`, V));
    await expectDocumented("checkEndpointHealth", await req("GET", "/api/v1/endpoints/ep_nope/health", V));
    const tested = await expectDocumented("testEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/test-run`, A));
    expect(tested.steps.map((s: { name: string; ok: boolean }) => [s.name, s.ok])).toEqual([["health", true], ["preflight", true], ["run", true]]);
    await expectDocumented("testEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/test-run`, V));
    await expectDocumented("getEndpointState", await req("GET", `/api/v1/endpoints/${ep.id}/state`, V));
    await expectDocumented("getEndpointState", await req("GET", "/api/v1/endpoints/ep_nope/state", V));
    await expectDocumented("listEndpointStates", await req("GET", "/api/v1/endpoints/states", V));
    await expectDocumented("listEndpointStates", await req("GET", "/api/v1/endpoints/states"));
    await expectDocumented("listAlerts", await req("GET", "/api/v1/alerts", V));
    await expectDocumented("listAlerts", await req("GET", "/api/v1/alerts"));
    await expectDocumented("updateAlertSettings", await req("PATCH", "/api/v1/alerts", { ...A, body: { stuckAfterSeconds: 600 } }));
    await expectDocumented("updateAlertSettings", await req("PATCH", "/api/v1/alerts", { ...V, body: { stuckAfterSeconds: 600 } }));
    await expectDocumented("getOverview", await req("GET", "/api/v1/overview", V));
    await expectDocumented("getOverview", await req("GET", "/api/v1/overview"));
    await expectDocumented("preflightWorkflowVersion", await req("POST", `/api/v1/workflows/${wf.id}/versions/1/preflight`, { ...A, body: { endpointId: ep.id } }));
    await expectDocumented("preflightWorkflowVersion", await req("POST", `/api/v1/workflows/${wf.id}/versions/1/preflight`, { ...A, body: {} }));
    await expectDocumented("restartEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/restart`, A));
    await expectDocumented("restartEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/restart`, V));
    await expectDocumented("purgeEndpointQueue", await req("POST", `/api/v1/endpoints/${ep.id}/purge-queue`, A));
    await expectDocumented("purgeEndpointQueue", await req("POST", "/api/v1/endpoints/ep_nope/purge-queue", A));

    // Deployments
    const dep = await expectDocumented(
      "createDeployment",
      await req("POST", "/api/v1/deployments", {
        ...A,
        body: { name: `oas ${slug}`, slug, workflowVersionId: wf.version.id, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId: ep.id, priority: 0 }] },
      }),
    );
    await expectDocumented("createDeployment", await req("POST", "/api/v1/deployments", { ...A, body: { name: "dup", slug, workflowVersionId: wf.version.id, targets: [{ endpointId: ep.id }] } }));
    await expectDocumented("listDeployments", await req("GET", "/api/v1/deployments?includeDeleted=true", V));
    await expectDocumented("listDeployments", await req("GET", "/api/v1/deployments?limit=9999", V));
    await expectDocumented("getDeployment", await req("GET", `/api/v1/deployments/${slug}`, V));
    await expectDocumented("getDeployment", await req("GET", "/api/v1/deployments/no-such-slug", V));
    await expectDocumented("updateDeployment", await req("PATCH", `/api/v1/deployments/${slug}`, { ...A, body: { timeoutSeconds: 120 } }));
    await expectDocumented("updateDeployment", await req("PATCH", `/api/v1/deployments/${slug}`, { ...A, body: { timeoutSeconds: "soon" } }));
    await expectDocumented("getDeploymentWebhookSecret", await req("GET", `/api/v1/deployments/${slug}/webhook-secret`, A));
    await expectDocumented("getDeploymentWebhookSecret", await req("GET", `/api/v1/deployments/${slug}/webhook-secret`, V));
    const depDoc = await expectDocumented("getDeploymentOpenapi", await req("GET", dep.openapiUrl, V));
    expect(await lintProblems(depDoc)).toEqual([]);
    expect(depDoc.components.schemas.Run).toEqual(doc.components.schemas.Run);
    await expectDocumented("getDeploymentOpenapi", await req("GET", "/api/v1/deployments/no-such-slug/openapi.json", V));
    await expectDocumented("pauseDeployment", await req("POST", `/api/v1/deployments/${slug}/pause`, A));
    await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "paused" } } }));
    await expectDocumented("pauseDeployment", await req("POST", `/api/v1/deployments/${slug}/pause`, V));
    await expectDocumented("resumeDeployment", await req("POST", `/api/v1/deployments/${slug}/resume`, A));
    await expectDocumented("resumeDeployment", await req("POST", "/api/v1/deployments/no-such-slug/resume", A));

    // Runs: one that succeeds (outputs, attempts, a webhook delivery), and the refusals
    const run = await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "a fox" }, webhook: hookUrl, wait: 30 } }));
    expect(run.status).toBe("succeeded");
    expect(run.outputs.length).toBeGreaterThan(0);
    await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { nope: 1 } } }));
    await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "x" }, wait: 600 } }));
    await expectDocumented("listRuns", await req("GET", `/api/v1/runs?deployment=${slug}`, V));
    await expectDocumented("listRuns", await req("GET", "/api/v1/runs?since=yesterday", V));
    await expectDocumented("getRun", await req("GET", `/api/v1/runs/${run.id}`, V));
    await expectDocumented("getRun", await req("GET", "/api/v1/runs/run_nope", V));
    const sse = await expectDocumented("streamRunEvents", await req("GET", `/api/v1/runs/${run.id}/events`, V));
    const data = /^data: (.+)$/m.exec(sse as string)?.[1];
    expect(data).toBeTruthy();
    expect(ajv.getSchema("https://flowgate.local/openapi.json#/components/schemas/Run")!(JSON.parse(data!))).toBe(true);
    await expectDocumented("streamRunEvents", await req("GET", "/api/v1/runs/run_nope/events", V));
    // The board's stream never ends: read until a run's change arrives, then hang up.
    const list = await req("GET", "/api/v1/runs/events", V);
    expect(list.status).toBe(200);
    const reader = list.body!.getReader();
    const dec = new TextDecoder();
    let seenText = "";
    const change = await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "board stream" } } }));
    while (!seenText.includes(`"id":"${change.id}"`)) seenText += dec.decode((await reader.read()).value);
    await reader.cancel();
    await expectDocumented("streamRunListEvents", new Response(seenText, { status: list.status, headers: list.headers }));
    const boardRun = /^data: (.+)$/m.exec(seenText.slice(seenText.indexOf("event: run")))?.[1];
    expect(ajv.getSchema("https://flowgate.local/openapi.json#/components/schemas/Run")!(JSON.parse(boardRun!))).toBe(true);
    await expectDocumented("streamRunListEvents", await req("GET", "/api/v1/runs/events"));
    const bulk = await expectDocumented("bulkRuns", await req("POST", "/api/v1/runs/bulk", { ...A, body: { action: "cancel", runIds: [change.id, "run_nope"] } }));
    expect(bulk.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    await expectDocumented("bulkRuns", await req("POST", "/api/v1/runs/bulk", { ...V, body: { action: "cancel", runIds: [change.id] } }));


    const out = await req("GET", run.outputs[0].url, V);
    expect(out.headers.get("content-type")).toBe(run.outputs[0].contentType);
    await expectDocumented("getRunOutput", out);
    await expectDocumented("getRunOutput", await req("GET", `/api/v1/runs/${run.id}/outputs/out_nope`, V));
    const signed = new URL(signOutputLink({ ctx: systemCtx(), input: { runId: run.id, outputId: run.outputs[0].id, baseUrl: "http://localhost:3000" } }).url);
    await expectDocumented("getSignedRunOutput", await req("GET", `${signed.pathname}${signed.search}`));
    await expectDocumented("getSignedRunOutput", await req("GET", `${signed.pathname}?exp=${signed.searchParams.get("exp")}&sig=forged`));
    await expectDocumented("cancelRun", await req("POST", `/api/v1/runs/${run.id}/cancel`, A));
    const queued = await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "to cancel" } } }));
    await expectDocumented("cancelRun", await req("POST", `/api/v1/runs/${queued.id}/cancel`, A));
    await expectDocumented("retryRun", await req("POST", `/api/v1/runs/${queued.id}/retry`, A));
    await expectDocumented("retryRun", await req("POST", `/api/v1/runs/${run.id}/retry`, A));

    // Webhook deliveries: wait for the succeeded run's delivery to reach the hook server
    let deliveries: any;
    for (let i = 0; i < 100; i++) {
      deliveries = await expectDocumented("listWebhookDeliveries", await req("GET", `/api/v1/runs/${run.id}/webhooks`, V));
      if (deliveries.items.some((d: any) => d.status === "delivered")) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(deliveries.items.length).toBe(1);
    await expectDocumented("listWebhookDeliveries", await req("GET", "/api/v1/runs/run_nope/webhooks", V));
    await expectDocumented("replayWebhookDelivery", await req("POST", `/api/v1/runs/${run.id}/webhooks/${deliveries.items[0].id}/replay`, A));
    await expectDocumented("replayWebhookDelivery", await req("POST", `/api/v1/runs/${run.id}/webhooks/whd_nope/replay`, A));

    // Provider callbacks
    const a = await db().runAttempt.findFirstOrThrow({ where: { runId: run.id } });
    await expectDocumented("receiveProviderCallback", await req("POST", `/api/v1/hooks/attempts/${a.id}?token=${attemptToken(a.id)}`, { body: { status: "COMPLETED" } }));
    await expectDocumented("receiveProviderCallback", await req("POST", `/api/v1/hooks/attempts/${a.id}?token=wrong`, { body: {} }));

    // Draining, enabling and deleting
    await expectDocumented("disableEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/disable?dryRun=true`, A));
    await expectDocumented("disableEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/disable`, A));
    await expectDocumented("disableEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/disable`, V));
    await expectDocumented("enableEndpoint", await req("POST", `/api/v1/endpoints/${ep.id}/enable`, A));
    await expectDocumented("enableEndpoint", await req("POST", "/api/v1/endpoints/ep_nope/enable", A));
    await expectDocumented("deleteEndpoint", await req("DELETE", `/api/v1/endpoints/${ep.id}`, A));
    await expectDocumented("deleteDeployment", await req("DELETE", `/api/v1/deployments/${slug}`, A));
    await expectDocumented("deleteDeployment", await req("DELETE", `/api/v1/deployments/${slug}`, V));
    await expectDocumented("createRun", await req("POST", dep.url, { ...A, body: { inputs: { prompt: "gone" } } }));
    const spare = await expectDocumented("createEndpoint", await req("POST", "/api/v1/endpoints", { ...A, body: { name: `oas-spare-${slug}`, provider: "comfyui", config: { baseUrl: sandbox.url } } }));
    await expectDocumented("deleteEndpoint", await req("DELETE", `/api/v1/endpoints/${spare.id}`, A));

    // Analytics (the run above is in the rollup)
    const summary = await expectDocumented("getAnalyticsSummary", await req("GET", `/api/v1/analytics/summary?groupBy=day&splitBy=deployment&deployment=${slug}`, V));
    expect(summary.total.runs).toBeGreaterThan(0);
    await expectDocumented("getAnalyticsSummary", await req("GET", "/api/v1/analytics/summary?groupBy=colour", V));
    await expectDocumented("getAnalyticsMatrix", await req("GET", `/api/v1/analytics/matrix?deployment=${slug}`, V));
    await expectDocumented("getAnalyticsMatrix", await req("GET", "/api/v1/analytics/matrix?deployment=no-such-slug", V));
    const forecast = await expectDocumented("getAnalyticsForecast", await req("GET", `/api/v1/analytics/forecast?deployment=${slug}`, V));
    expect(forecast.deployments.length).toBe(1);
    await expectDocumented("getAnalyticsForecast", await req("GET", "/api/v1/analytics/forecast?at=not-a-time", V));
    const truth = await expectDocumented("getCostTruth", await req("GET", "/api/v1/analytics/cost-truth", V));
    expect(truth.total).toBeTruthy();
    await expectDocumented("getCostTruth", await req("GET", "/api/v1/analytics/cost-truth?from=not-a-time", V));
    await expectDocumented("syncProviderBills", await req("POST", "/api/v1/analytics/bills/sync", { ...A, body: { to: new Date().toISOString() } }));
    await expectDocumented("syncProviderBills", await req("POST", "/api/v1/analytics/bills/sync", V));

    // Audit
    await expectDocumented("listAudit", await req("GET", "/api/v1/audit?action=endpoint.*&limit=5", A));
    await expectDocumented("listAudit", await req("GET", "/api/v1/audit", V));

    // API keys
    const made = await expectDocumented("createApiKey", await req("POST", "/api/v1/keys", { ...A, body: { name: `oas key ${slug}`, scopes: ["read"], expiresAt: new Date(Date.now() + 86400_000).toISOString() } }));
    expect(made.key).toMatch(/^fg_/);
    await expectDocumented("createApiKey", await req("POST", "/api/v1/keys", { ...A, body: { name: "bad", scopes: ["everything"] } }));
    await expectDocumented("createApiKey", await req("POST", "/api/v1/keys", { ...V, body: { name: "by a viewer key", scopes: ["read"] } }));
    const listed = await expectDocumented("listApiKeys", await req("GET", "/api/v1/keys?limit=5", A));
    expect(JSON.stringify(listed)).not.toContain(made.key);
    await expectDocumented("listApiKeys", await req("GET", "/api/v1/keys?status=gone", A));
    await expectDocumented("revokeApiKey", await req("DELETE", `/api/v1/keys/${made.id}`, A));
    await expectDocumented("revokeApiKey", await req("DELETE", "/api/v1/keys/key_nope", A));
    await expectDocumented("listDeployments", await req("GET", "/api/v1/deployments", { key: made.key }));

    // Every operation was answered with a 2xx and with an error at least once.
    const gaps = OPERATIONS.filter((o) => {
      const s = [...(seen.get(o.operationId) ?? [])];
      return !s.some((x) => x.startsWith("2")) || !s.some((x) => Number(x) >= 400);
    }).map((o) => `${o.operationId}: ${[...(seen.get(o.operationId) ?? [])].join(",") || "never called"}`);
    expect(gaps.filter((g) => !g.startsWith("getHealth")), "operations not exercised with both a 2xx and an error").toEqual([]);
  });
});
