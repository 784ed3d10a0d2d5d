// A small world for engine tests: sandbox endpoints, a workflow version and deployments created
// through the same verbs the API uses.
import fs from "node:fs";
import path from "node:path";
import { systemActor } from "@/lib/auth/actor";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { importWorkflow } from "@/lib/workflows/import-workflow";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { getRun } from "@/lib/runs/get-run";
import { isTerminal } from "@/lib/runs/status";

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
export const loraWorkflow = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));

let n = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${n++}`;

export async function sandboxEndpoint(url: string, extra: Record<string, unknown> = {}) {
  return createEndpoint(systemActor, { name: unique("ep"), provider: "comfyui", config: { baseUrl: url }, pricePerHourUsd: 3.6, ...extra });
}

export async function loraVersion() {
  const r = await importWorkflow(systemActor, { name: unique("wf"), workflow: loraWorkflow });
  return r.version;
}

export async function deployment(versionId: string, endpointIds: string[], opts: { timeoutSeconds?: number; maxAttempts?: number; stuckAfterSeconds?: number } = {}) {
  return createDeployment(systemActor, {
    name: unique("dep"),
    slug: unique("d").toLowerCase(),
    workflowVersionId: versionId,
    slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }],
    targets: endpointIds.map((endpointId, priority) => ({ endpointId, priority })),
    ...opts,
  });
}

export async function waitForTerminal(runId: string, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const run = await getRun(runId);
    if (isTerminal(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Terminal, and no attempt still live: a hedge's loser is cancelled at the provider just after the winner's success commits. */
export async function waitForSettled(runId: string, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const run = await getRun(runId);
    if (isTerminal(run.status) && !run.attempts.some((a) => ["pending", "submitted", "running"].includes(a.status))) return run;
    if (Date.now() > until) throw new Error(`run ${runId} not settled after ${ms} ms (${run.status}; attempts ${run.attempts.map((a) => a.status).join(", ")})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForStatus(runId: string, statuses: string[], ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    const run = await getRun(runId);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run.status}, wanted ${statuses.join("|")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
