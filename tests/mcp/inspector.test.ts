// The MCP Inspector in CLI mode (@modelcontextprotocol/inspector-cli, the Inspector's `--cli`), given
// only the server URL and a key: it lists the tools, describes a deployment, runs it and gets output
// links that download without the key; a viewer key lists no write tool.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { systemCtx } from "@/lib/context";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb } from "@/lib/db";
import { loraVersion, sandboxEndpoint } from "../helpers/world";
import { startAppServer, type AppServer } from "../helpers/http-app";

const run = promisify(execFile);
const PKG = path.resolve(import.meta.dirname, "../../node_modules/@modelcontextprotocol/inspector-cli");
const BIN = path.join(PKG, "build/cli.js");

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let app: AppServer;
let admin = "";
let viewer = "";
const slug = `mcp-insp-${process.pid}-${Date.now().toString(36)}`;

async function inspector(key: string, ...args: string[]) {
  const { stdout } = await run(BIN, ["--cli", `${app.url}/api/mcp`, "--transport", "http", "--header", `Authorization: Bearer ${key}`, ...args], {
    timeout: 90_000,
    // The CLI finds its own package.json relative to the working directory (inspector-cli 1.0.3).
    cwd: path.join(PKG, "build"),
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
  process.env.FLOWGATE_POLL_MS = "200";
  sandbox = await startSandbox({ execMs: 300 });
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  app = await startAppServer();
  process.env.FLOWGATE_PUBLIC_URL = app.url; // signed links point here
  admin = (await createApiKey({ name: "inspector admin", role: "admin" })).key;
  viewer = (await createApiKey({ name: "inspector viewer", role: "viewer" })).key;
  const ep = await sandboxEndpoint(sandbox.url);
  const version = await loraVersion();
  await createDeployment({ ctx: systemCtx(), input: {
    name: "Inspector",
    slug,
    workflowVersionId: version.id,
    slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string", required: true }],
    targets: [{ endpointId: ep.id, priority: 0 }],
  } });
});

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
});

describe("MCP Inspector CLI", () => {
  it("lists tools, describes and runs a deployment, and the output link downloads", async () => {
    const list = await inspector(admin, "--method", "tools/list");
    expect(list.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(["list_deployments", "describe_deployment", "run_deployment", "wait_for_run"]));

    const described = await inspector(admin, "--method", "tools/call", "--tool-name", "describe_deployment", "--tool-arg", `deployment=${slug}`);
    expect(described.structuredContent.inputSchema.required).toEqual(["prompt"]);

    const r = await inspector(admin, "--method", "tools/call", "--tool-name", "run_deployment", "--tool-arg", `deployment=${slug}`, 'inputs={"prompt":"a fox"}', "wait=40");
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
    expect(r.structuredContent.run.status).toBe("succeeded");
    const link = r.content.find((c: { type: string }) => c.type === "resource_link");
    expect(link).toMatchObject({ mimeType: "image/png" });
    const file = await fetch(link.uri);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).length).toBe(link.size);

    const bad = await inspector(admin, "--method", "tools/call", "--tool-name", "run_deployment", "--tool-arg", `deployment=${slug}`, "inputs={}");
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain("prompt");
  });

  it("shows a viewer key no write tool", async () => {
    const list = await inspector(viewer, "--method", "tools/list");
    const names = list.tools.map((t: { name: string }) => t.name);
    expect(names).toContain("get_run");
    expect(names).not.toContain("run_deployment");
    expect(names).not.toContain("create_deployment");
  });
});
