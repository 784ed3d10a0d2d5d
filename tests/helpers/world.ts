// A small world for engine tests: sandbox endpoints, a workflow version and deployments created
// through the same verbs the API uses.
import fs from "node:fs";
import path from "node:path";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { importWorkflow } from "@/lib/workflows/import-workflow";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { getRun } from "@/lib/runs/get-run";
import { isTerminal } from "@/lib/runs/status";
import { isLive } from "@/lib/runs/engine/decide";
import { systemCtx } from "@/lib/context";
import { afterAll, beforeAll } from "vitest";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { closeDb } from "@/lib/db";

type Run = Awaited<ReturnType<typeof getRun>>;

const FIX = path.resolve(import.meta.dirname, "../fixtures/workflows/comfyui-examples/api");
export const loraWorkflow = JSON.parse(fs.readFileSync(path.join(FIX, "lora__lora.json"), "utf8"));

let n = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${n++}`;

export async function sandboxEndpoint(url: string, extra: Record<string, unknown> = {}) {
  return createEndpoint({ ctx: systemCtx(), input: { name: unique("ep"), provider: "comfyui", config: { baseUrl: url }, pricePerHourUsd: 3.6, ...extra } });
}

export async function loraVersion() {
  const r = await importWorkflow({ ctx: systemCtx(), input: { name: unique("wf"), workflow: loraWorkflow } });
  return r.version;
}

export async function deployment(versionId: string, endpointIds: string[], opts: { timeoutSeconds?: number; maxAttempts?: number; stuckAfterSeconds?: number; hedgeBudgetPercent?: number | null } = {}) {
  return createDeployment({ ctx: systemCtx(), input: {
    name: unique("dep"),
    slug: unique("d").toLowerCase(),
    workflowVersionId: versionId,
    slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }],
    targets: endpointIds.map((endpointId, priority) => ({ endpointId, priority })),
    ...opts,
  } });
}

/** Polls `fn` until it returns something truthy, which is returned; fails after `ms` with `describe()`. */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000, describe = () => "condition not met in time", everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(describe());
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Re-reads the run until `done(run)`; the failure names the run's last state. */
async function pollRun(runId: string, done: (run: Run) => boolean, ms: number, describe: (run: Run) => string, everyMs = 100) {
  let last: Run | undefined;
  return until(async () => ((last = await getRun(runId)), done(last) && last), ms, () => describe(last!), everyMs);
}

export async function waitForTerminal(runId: string, ms = 30_000) {
  return pollRun(runId, (r) => isTerminal(r.status), ms, (r) => `run ${runId} still ${r.status} after ${ms} ms`);
}

/** Terminal, and no attempt still live: a hedge's loser is cancelled at the provider just after the winner's success commits. */
export async function waitForSettled(runId: string, ms = 30_000) {
  return pollRun(runId, (r) => isTerminal(r.status) && !r.attempts.some(isLive), ms, (r) => `run ${runId} not settled after ${ms} ms (${r.status}; attempts ${r.attempts.map((a) => a.status).join(", ")})`);
}

export async function waitForStatus(runId: string, statuses: string[], ms = 20_000) {
  return pollRun(runId, (r) => statuses.includes(r.status), ms, (r) => `run ${runId} still ${r.status}, wanted ${statuses.join("|")}`, 50);
}

export interface EngineWorld {
  /** The running worker (replace it with `startWorker()` after stopping it). */
  worker: WorkerHandle;
  /** The lora workflow version the deployments run. */
  versionId: string;
  /** A sandbox ComfyUI (200 ms per prompt unless told), closed after the file's tests. */
  sandbox(opts?: Parameters<typeof startSandbox>[0]): Promise<SandboxHandle>;
  /** A worker configured like the first one. */
  startWorker(): Promise<WorkerHandle>;
}

/**
 * The engine tests' world: fast engine settings (private endpoint URLs allowed, 100 ms polls, 2 s
 * leases, plus `env`), a worker, the lora version, and sandboxes closed afterwards. Call it at the top
 * level of a test file; it registers its own beforeAll/afterAll.
 */
export function engineWorld(env: Record<string, string> = {}): EngineWorld {
  Object.assign(process.env, { FLOWGATE_ALLOW_PRIVATE_URLS: "endpoint", FLOWGATE_POLL_MS: "100", FLOWGATE_LEASE_MS: "2000", ...env });
  const sandboxes: SandboxHandle[] = [];
  const world: EngineWorld = {
    worker: undefined as unknown as WorkerHandle,
    versionId: "",
    async sandbox(opts = {}) {
      const s = await startSandbox({ execMs: 200, ...opts });
      sandboxes.push(s);
      return s;
    },
    startWorker: () => startWorker({ concurrency: 20, healthMs: 0, sweepMs: 500 }),
  };
  beforeAll(async () => {
    world.worker = await world.startWorker();
    world.versionId = (await loraVersion()).id;
  });
  afterAll(async () => {
    await world.worker?.stop();
    await Promise.all(sandboxes.map((s) => s.close()));
    await closeDb();
  });
  return world;
}
