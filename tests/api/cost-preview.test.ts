// Cost preview from measured runs: before any run every line is a labelled estimate; after runs of
// the workflow on a (sandbox) endpoint registered as an RTX 4090, that GPU's line is measured and the
// others are scaled from it; workersMin prices the always-on workers per day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { deployment, loraVersion, sandboxEndpoint, waitForTerminal } from "../helpers/world";
import { createApiKey } from "@/lib/auth/api-keys";
import { systemCtx } from "@/lib/context";
import { closeDb, db } from "@/lib/db";
import { createRun } from "@/lib/runs/create-run";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";

let sandbox: SandboxHandle;
let worker: WorkerHandle;
let key: string;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  sandbox = await startSandbox({ execMs: 300 });
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  key = (await createApiKey({ name: "cost preview", role: "viewer" })).key;
});
afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await closeDb();
});

describe("GET …/versions/{n}/cost-preview", () => {
  it("estimates before runs, measures after them", async () => {
    const version = await loraVersion();
    const url = `/api/v1/workflows/${version.workflowId}/versions/1/cost-preview`;
    const before = await callJson("GET", `${url}?workersMin=1`, { key });
    expect(before.status).toBe(200);
    expect(before.body.measuredRuns).toBe(0);
    expect(before.body.lines.every((l: { basis: string }) => l.basis === "estimate")).toBe(true);
    expect(before.body.idlePerDay.find((x: { gpuTypeId: string }) => x.gpuTypeId === "ADA_24").usdPerDay).toBe(26.4);

    const ep = await sandboxEndpoint(sandbox.url, { gpu: "RTX 4090" });
    const d = await deployment(version.id, [ep.id]);
    for (let i = 0; i < 2; i++) {
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: `cost ${i}` } } } });
      expect((await waitForTerminal(runId)).status).toBe("succeeded");
    }
    const attempts = await db().runAttempt.findMany({ where: { endpointId: ep.id, status: "succeeded" }, select: { executionMs: true } });
    const after = await callJson("GET", url, { key });
    expect(after.body.measuredRuns).toBe(2);
    const own = after.body.lines.find((l: { gpuTypeId: string }) => l.gpuTypeId === "ADA_24");
    const ms = attempts.map((a) => a.executionMs!).sort((a, b) => a - b);
    expect(own).toMatchObject({ basis: "measured", samples: 2 });
    expect(own.secondsPerRun).toBeCloseTo((ms[0]! + ms[1]!) / 2 / 1000, 2);
    expect(after.body.lines.find((l: { gpuTypeId: string }) => l.gpuTypeId === "ADA_80_PRO").basis).toBe("scaled");
    expect((await callJson("GET", `${url}?workersMin=x`, { key })).status).toBe(400);
  });
});
