// The MCP server end to end: the SDK's own Client over Streamable HTTP against the real route
// handlers behind a real HTTP server, a real worker, PostgreSQL and sandbox ComfyUIs. What an agent
// does: list tools, describe a deployment, run it, download the output links without the key, get
// slot-named errors, resume a long run with wait_for_run; what a read-only key may not do; audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApiKey } from "@/lib/auth/api-keys";
import { systemCtx } from "@/lib/context";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db } from "@/lib/db";
import { loraVersion, loraWorkflow, sandboxEndpoint } from "../helpers/world";
import { startAppServer, type AppServer } from "../helpers/http-app";

let fast: SandboxHandle;
let slow: SandboxHandle;
let broken: SandboxHandle;
let worker: WorkerHandle;
let app: AppServer;
const keys = { admin: "", viewer: "", oncall: "" };
let adminKeyId = "";
const stamp = `${process.pid}-${Date.now().toString(36)}`;
const slug = `mcp-fast-${stamp}`;
const slowSlug = `mcp-slow-${stamp}`;
const brokenSlug = `mcp-broken-${stamp}`;
let versionId = "";
let workflowId = "";
let fastEndpointId = "";

const READ_TOOLS = ["describe_deployment", "endpoint_health", "get_run", "list_deployments", "list_runs", "wait_for_run"];
const WRITE_TOOLS = ["cancel_run", "create_deployment", "disable_endpoint", "enable_endpoint", "import_workflow", "preflight", "restart_endpoint", "retry_run", "run_batch", "run_deployment", "suggest_slots"];

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "flowgate-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${app.url}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

const text = (r: any): string => ((r.content as { type: string; text?: string }[]) ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint,image"; // image: import_workflow fetches an output from this test's own server
  process.env.FLOWGATE_POLL_MS = "200";
  fast = await startSandbox({ execMs: 300 });
  slow = await startSandbox({ execMs: 6000 });
  broken = await startSandbox({ execMs: 200, failRate: 1 });
  worker = await startWorker({ concurrency: 8, healthMs: 0 });
  app = await startAppServer();
  process.env.FLOWGATE_PUBLIC_URL = app.url; // signed links point here
  const adminKey = await createApiKey({ name: "mcp admin", role: "admin" });
  keys.admin = adminKey.key;
  adminKeyId = adminKey.id;
  keys.viewer = (await createApiKey({ name: "mcp viewer", role: "viewer" })).key;
  keys.oncall = (await createApiKey({ name: "mcp oncall", role: "oncall" })).key;
  const version = await loraVersion();
  versionId = version.id;
  workflowId = version.workflowId;
  const epFast = await sandboxEndpoint(fast.url);
  fastEndpointId = epFast.id;
  const epSlow = await sandboxEndpoint(slow.url);
  const slots = [
    { name: "prompt", nodeId: "6", input: "text", type: "string" as const, required: true, description: "What to draw" },
    { name: "seed", nodeId: "3", input: "seed", type: "seed" as const },
    { name: "steps", nodeId: "3", input: "steps", type: "integer" as const, min: 1, max: 50, default: 20 },
  ];
  await createDeployment({ ctx: systemCtx(), input: { name: "MCP fast", slug, workflowVersionId: versionId, slots, targets: [{ endpointId: epFast.id, priority: 0 }] } });
  const epBroken = await sandboxEndpoint(broken.url);
  await createDeployment({ ctx: systemCtx(), input: { name: "MCP broken", slug: brokenSlug, workflowVersionId: versionId, slots, maxAttempts: 1, targets: [{ endpointId: epBroken.id, priority: 0 }] } });
  await createDeployment({ ctx: systemCtx(), input: { name: "MCP slow", slug: slowSlug, workflowVersionId: versionId, slots, targets: [{ endpointId: epSlow.id, priority: 0 }] } });
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await fast?.close();
  await slow?.close();
  await broken?.close();
  await closeDb();
});

describe("MCP over Streamable HTTP", () => {
  it("lists every tool to an admin key, and only the read tools to a viewer key", async () => {
    const admin = await connect(keys.admin);
    const all = (await admin.listTools()).tools;
    expect(all.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    const run = all.find((t) => t.name === "run_deployment")!;
    expect(run.inputSchema.required).toEqual(["deployment"]);
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(["deployment", "inputs", "wait"]));
    expect(run.outputSchema?.properties).toHaveProperty("downloads");
    await admin.close();

    const viewer = await connect(keys.viewer);
    expect((await viewer.listTools()).tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
    await viewer.close();

    const oncall = await connect(keys.oncall);
    const names = (await oncall.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["run_deployment", "restart_endpoint", "disable_endpoint"]));
    expect(names).not.toContain("create_deployment");
    expect(names).not.toContain("import_workflow");
    await oncall.close();
  });

  it("describes a deployment: slots as JSON Schema, an example call, stats", async () => {
    const client = await connect(keys.viewer);
    const r = await client.callTool({ name: "describe_deployment", arguments: { deployment: slug } });
    expect(r.isError, text(r)).toBeFalsy();
    const d = r.structuredContent as any;
    expect(d.inputSchema).toMatchObject({ type: "object", required: ["prompt"], properties: { prompt: { type: "string" }, steps: { type: "integer", minimum: 1, maximum: 50 } } });
    expect(d.exampleCall).toEqual({ tool: "run_deployment", arguments: { deployment: slug, inputs: { prompt: expect.any(String) }, wait: 20 } });
    expect(d.stats).toMatchObject({ days: 30, runs: expect.any(Number) });
    const missing = await client.callTool({ name: "describe_deployment", arguments: { deployment: "no-such-deployment" } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain("not_found");
    await client.close();
  });

  it("runs a deployment and returns signed output links that download without the bearer", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "a red fox" }, wait: 40 } });
    expect(r.isError, text(r)).toBeFalsy();
    const s = r.structuredContent as any;
    expect(s.done, text(r)).toBe(true);
    expect(s.run.status).toBe("succeeded");
    const links = (r.content as any[]).filter((c) => c.type === "resource_link");
    expect(links.length).toBeGreaterThanOrEqual(1);
    expect(links[0]).toMatchObject({ mimeType: "image/png", size: s.downloads[0].sizeBytes, name: s.downloads[0].filename, uri: s.downloads[0].url });
    expect(s.run.outputs).toBe(s.downloads.length);
    const stored = await db().runOutput.findFirstOrThrow({ where: { id: s.downloads[0].outputId, runId: s.run.id } });
    expect(stored.sizeBytes).toBe(links[0].size);
    expect(links[0].uri.startsWith(`${app.url}/api/v1/runs/${s.run.id}/outputs/`)).toBe(true);

    const file = await fetch(links[0].uri); // no Authorization header
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("content-security-policy")).toContain("sandbox");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(bytes.length).toBe(links[0].size);

    const forged = new URL(links[0].uri);
    forged.searchParams.set("exp", String(Number(forged.searchParams.get("exp")) + 3600));
    const refused = await fetch(forged);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatchObject({ code: "unauthorized", details: { reason: "signature_invalid" } });

    const again = await client.callTool({ name: "get_run", arguments: { runId: s.run.id } });
    expect((again.structuredContent as any).downloads).toHaveLength(s.run.outputs);
    expect((again.content as any[]).some((c) => c.type === "image")).toBe(false); // no inline bytes unless asked

    const thumb = await client.callTool({ name: "get_run", arguments: { runId: s.run.id, thumbnail: true } });
    const img = (thumb.content as any[]).find((c) => c.type === "image");
    expect(img).toMatchObject({ mimeType: "image/png" });
    const png = PNG.sync.read(Buffer.from(img.data, "base64"));
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(128);
    expect(img.data.length).toBeLessThan(bytes.length);
    await client.close();
  });

  it("answers bad inputs with isError naming the slot and the rule", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "x", steps: 500 } } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("input_invalid");
    expect(text(r)).toMatch(/steps/);
    expect(text(r)).toMatch(/50/);
    const nul = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "a\u0000b" } } });
    expect(nul.isError).toBe(true);
    expect(text(nul)).toContain("invalid_text");
    const missing = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: {} } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/prompt/);
    await client.close();
  });

  it("returns a run id and its true status when the wait runs out; wait_for_run finishes it with progress", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: slowSlug, inputs: { prompt: "slow fox" }, wait: 1 } });
    expect(r.isError, text(r)).toBeFalsy();
    const first = r.structuredContent as any;
    expect(first.done).toBe(false);
    expect(["queued", "dispatching", "submitted", "running"]).toContain(first.run.status);
    expect(first.next).toContain("wait_for_run");

    const progress: { progress: number; message?: string }[] = [];
    let last: any;
    for (let i = 0; i < 5 && !last?.done; i++) {
      const w = await client.callTool({ name: "wait_for_run", arguments: { runId: first.run.id, wait: 30 } }, undefined, { onprogress: (p) => void progress.push(p), timeout: 60_000 });
      expect(w.isError, text(w)).toBeFalsy();
      last = w.structuredContent;
    }
    expect(last.done).toBe(true);
    expect(last.run.status).toBe("succeeded");
    expect(last.downloads.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
    await client.close();
  });

  it("names the node id and class when the workflow fails on the GPU", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: brokenSlug, inputs: { prompt: "doomed" }, wait: 40 } });
    expect(r.isError, text(r)).toBeFalsy();
    const s = r.structuredContent as any;
    expect(s.done).toBe(true);
    expect(s.run.status).toBe("failed");
    expect(s.failure).toMatchObject({ nodeId: expect.any(String), classType: expect.any(String) });
    expect(s.next).toContain(`node ${s.failure.nodeId}, ${s.failure.classType}`);
    await client.close();
  });

  it("refuses write tools to a read-only key (not listed, and a call is refused)", async () => {
    const client = await connect(keys.viewer);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "x" } } }).catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }));
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/run_deployment/);
    expect(await db().run.count({ where: { deployment: { slug }, inputs: { equals: { prompt: "x" } } } })).toBe(0);
    await client.close();
  });

  it("audits tool calls with the mcp actor", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "audited fox" }, wait: 0 } });
    const runId = (r.structuredContent as any).run.id;
    const row = await db().auditLog.findFirstOrThrow({ where: { action: "run.create", targetId: runId } });
    expect(row).toMatchObject({ actorType: "mcp", actorId: adminKeyId, actorName: 'agent "mcp admin"' });
    expect((await db().run.findUniqueOrThrow({ where: { id: runId } })).createdByKeyId).toBe(adminKeyId);
    const c = await client.callTool({ name: "cancel_run", arguments: { runId } });
    expect(c.isError, text(c)).toBeFalsy();
    const cancel = await db().auditLog.findFirstOrThrow({ where: { action: "run.cancel", targetId: runId } });
    expect(cancel.actorType).toBe("mcp");
    await client.close();
  });

  it("starts a batch, one run id per input set, with per-item errors", async () => {
    const client = await connect(keys.admin);
    const r = await client.callTool({ name: "run_batch", arguments: { deployment: slug, inputs: [{ prompt: "one" }, { steps: 3 }, { prompt: "three" }] } });
    expect(r.isError, text(r)).toBeFalsy();
    const s = r.structuredContent as any;
    expect(s).toMatchObject({ accepted: 2, refused: 1 });
    expect(s.runs[1].error).toMatchObject({ code: "input_invalid", details: { slot: "prompt" } });
    expect(s.runs[0].runId).toMatch(/^run_/);
    await client.close();
  });

  it("serves every deployment as a resource with its README and input schema", async () => {
    const client = await connect(keys.viewer);
    const { resources } = await client.listResources();
    expect(resources.map((x) => x.uri)).toContain(`flowgate://deployments/${slug}`);
    const read = await client.readResource({ uri: `flowgate://deployments/${slug}` });
    const md = read.contents.find((c) => c.mimeType === "text/markdown") as { text: string };
    expect(md.text).toContain(`# MCP fast (\`${slug}\`)`);
    expect(md.text).toContain("`prompt`");
    const schema = read.contents.find((c) => c.mimeType === "application/schema+json") as { text: string };
    expect(JSON.parse(schema.text).required).toEqual(["prompt"]);
    await client.close();
  });

  it("write tools: suggest slots, pre-flight and deploy an uploaded workflow", async () => {
    const client = await connect(keys.admin);
    const sug = await client.callTool({ name: "suggest_slots", arguments: { workflowId, version: 1 } });
    expect(sug.isError, text(sug)).toBeFalsy();
    const slots = (sug.structuredContent as any).slots as { name: string }[];
    expect(slots.map((s) => s.name)).toContain("seed");
    const pre = await client.callTool({ name: "preflight", arguments: { workflowId, version: 1, endpointId: fastEndpointId } });
    expect(pre.isError, text(pre)).toBeFalsy();
    expect(pre.structuredContent).toMatchObject({ ok: true, checked: true });
    const made = await client.callTool({ name: "create_deployment", arguments: { name: "via mcp", slug: `mcp-made-${stamp}`, workflowVersionId: versionId, slots, targets: [{ endpointId: fastEndpointId }] } });
    expect(made.isError, text(made)).toBeFalsy();
    expect(made.structuredContent).toMatchObject({ slug: `mcp-made-${stamp}`, status: "active" });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "deployment.create", targetId: (made.structuredContent as any).id } });
    expect(audit.actorType).toBe("mcp");
    // A workflow needing a node class the endpoint lacks: the pre-flight names the endpoint and the class.
    const custom = structuredClone(loraWorkflow);
    custom["10"].class_type = "FancyLoraLoader";
    const up = await client.callTool({ name: "import_workflow", arguments: { name: `custom-${stamp}`, workflow: custom } });
    expect(up.isError, text(up)).toBeFalsy();
    const upVersion = (up.structuredContent as any).version;
    const pre2 = await client.callTool({ name: "preflight", arguments: { workflowId: (up.structuredContent as any).id, version: upVersion.number, endpointId: fastEndpointId } });
    expect(pre2.structuredContent).toMatchObject({ ok: false, endpointId: fastEndpointId, missingNodes: ["FancyLoraLoader"] });
    expect(text(pre2)).toContain("missing node classes FancyLoraLoader");
    const refused = await client.callTool({ name: "create_deployment", arguments: { name: "custom", workflowVersionId: upVersion.id, targets: [{ endpointId: fastEndpointId }] } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("endpoint_incompatible");
    expect(text(refused)).toContain(fastEndpointId);
    expect(text(refused)).toContain("FancyLoraLoader");
    const bad = await client.callTool({ name: "create_deployment", arguments: { name: "bad", workflowVersionId: versionId, slots: [{ name: "prompt", nodeId: "999", input: "text", type: "string" }], targets: [{ endpointId: fastEndpointId }] } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain("slot_invalid");
    await client.close();
  });

  it("imports a workflow from an output image's URL, and names node ids and classes of an invalid one", async () => {
    const client = await connect(keys.admin);
    const run = await client.callTool({ name: "run_deployment", arguments: { deployment: slug, inputs: { prompt: "an image to re-import" }, wait: 40 } });
    const link = (run.structuredContent as any).downloads[0].url as string;
    const imported = await client.callTool({ name: "import_workflow", arguments: { name: `from-image-${stamp}`, url: link } });
    expect(imported.isError, text(imported)).toBeFalsy();
    expect(imported.structuredContent).toMatchObject({ name: `from-image-${stamp}`, version: { number: 1, format: "api", nodeCount: 8 } });

    const broken = structuredClone(loraWorkflow);
    broken["3"].inputs.model = ["99", 0];
    const bad = await client.callTool({ name: "import_workflow", arguments: { name: `broken-${stamp}`, workflow: broken } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain("workflow_invalid");
    expect(text(bad)).toContain('"nodeId":"3"');
    expect(text(bad)).toContain('"classType":"KSampler"');

    const viewer = await connect(keys.viewer);
    const refused = await viewer.callTool({ name: "import_workflow", arguments: { workflow: loraWorkflow } }).catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }));
    expect(refused.isError).toBe(true);
    await viewer.close();
    await client.close();
  });

  it("answers 401 for a missing or bad key, and 405 for GET and DELETE", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    for (const auth of [undefined, "Bearer fg_000000000000_notarealkeynotarealkey", "Basic abc"]) {
      const r = await fetch(`${app.url}/api/mcp`, { method: "POST", headers: { ...headers, ...(auth ? { authorization: auth } : {}) }, body });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toContain("Bearer");
      const j = await r.json();
      expect(j).toMatchObject({ jsonrpc: "2.0", error: { code: -32001, data: { code: "unauthorized" } } });
    }
    await expect(connect("fg_000000000000_notarealkeynotarealkey")).rejects.toThrow();
    for (const method of ["GET", "DELETE"]) {
      const r = await fetch(`${app.url}/api/mcp`, { method, headers: { authorization: `Bearer ${keys.admin}` } });
      expect(r.status).toBe(405);
      expect(r.headers.get("allow")).toBe("POST");
    }
  });
});
