// Analytics over real runs: runs go through the worker and the sandbox (a dedicated ComfyUI server
// and a RunPod look-alike with cold starts), a price changes between them, one deployment's runs
// fail; then the summary and matrix APIs must agree with sums over the raw runs and attempts, and
// each attempt's cost must match the provider's billing arithmetic at the price it started with.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { systemCtx } from "@/lib/context";
import { startWorker, type WorkerHandle } from "@/lib/runs/worker";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";
import { closeDb, db, pool } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { createRun } from "@/lib/runs/create-run";
import { deployment, loraVersion, sandboxEndpoint, waitForSettled } from "../helpers/world";

let comfy: SandboxHandle;
let failing: SandboxHandle;
let runpod: SandboxHandle;
let worker: WorkerHandle;
let key: string;
const from = new Date(Date.now() - 3_600_000).toISOString();
const to = new Date(Date.now() + 3_600_000).toISOString();
const deps: Record<"serverless" | "dedicated" | "failing", { id: string; slug: string }> = {} as never;
let runpodEp: { id: string };

async function runs(slug: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createRun({ ctx: systemCtx(), input: { slug, body: { inputs: { prompt: `analytics ${i}` } } } })).runId);
  for (const id of ids) await waitForSettled(id, 60_000);
  return ids;
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  process.env.FLOWGATE_POLL_MS = "100";
  comfy = await startSandbox({ execMs: 300 });
  failing = await startSandbox({ execMs: 200, failRate: 1 });
  runpod = await startSandbox({ provider: "runpod", execMs: 300, coldStartMs: 400, apiKey: "rp" });
  worker = await startWorker({ concurrency: 4, healthMs: 0 });
  key = (await createApiKey({ name: "analytics", role: "viewer" })).key;
  const version = await loraVersion();
  const dedicated = await sandboxEndpoint(comfy.url, { pricePerHourUsd: 3.6, gpu: "RTX 4090" });
  const broken = await sandboxEndpoint(failing.url, { pricePerHourUsd: 3.6 });
  runpodEp = await createEndpoint({ ctx: systemCtx(), input: { name: `rp-${Date.now()}`, provider: "runpod", config: { endpointId: "ep-analytics", baseUrl: runpod.url }, secret: "rp", gpu: "RTX 4090 24GB", pricePerHourUsd: 1.116 } });
  deps.serverless = await deployment(version.id, [runpodEp.id], { maxAttempts: 1 });
  deps.dedicated = await deployment(version.id, [dedicated.id]);
  deps.failing = await deployment(version.id, [broken.id], { maxAttempts: 2 });
  await runs(deps.serverless.slug, 2);
  // A price change mid-period: earlier attempts keep the price they ran at.
  await db().endpoint.update({ where: { id: runpodEp.id }, data: { pricePerHourUsd: 2.232 } });
  await runs(deps.serverless.slug, 2);
  await runs(deps.dedicated.slug, 3);
  await runs(deps.failing.slug, 1);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await comfy?.close();
  await failing?.close();
  await runpod?.close();
  await closeDb();
});

/** Sums over the raw runs and attempts of a deployment (runs created in the range, in a final state). */
async function raw(deploymentId: string) {
  const r = await pool().query(
    `SELECT count(*)::int AS runs, (count(*) FILTER (WHERE status = 'succeeded'))::int AS succeeded,
            (count(*) FILTER (WHERE status IN ('failed','timed_out')))::int AS failed,
            coalesce(sum("costUsd"), 0)::float8 AS cost, coalesce(sum("costColdStartUsd"), 0)::float8 AS cold, coalesce(sum("costExecutionUsd"), 0)::float8 AS exec
       FROM "Run" WHERE "deploymentId" = $1 AND status IN ('succeeded','failed','canceled','timed_out') AND "createdAt" >= $2 AND "createdAt" < $3`,
    [deploymentId, from, to],
  );
  const a = await pool().query(
    `SELECT count(*)::int AS attempts, coalesce(sum(a."costUsd"), 0)::float8 AS cost, coalesce(sum(a."billedMs"), 0)::float8 AS billed
       FROM "RunAttempt" a JOIN "Run" r ON r.id = a."runId" WHERE r."deploymentId" = $1 AND r."createdAt" >= $2 AND r."createdAt" < $3 AND a.status NOT IN ('pending','submitted','running')`,
    [deploymentId, from, to],
  );
  return { ...r.rows[0], ...a.rows[0] };
}

describe("cost per attempt, as each provider bills", () => {
  it("serverless: (cold start + execution) rounded up to whole seconds, at the price the attempt started with", async () => {
    const attempts = await db().runAttempt.findMany({ where: { run: { deploymentId: deps.serverless.id } }, orderBy: { createdAt: "asc" } });
    expect(attempts).toHaveLength(4);
    expect(attempts.map((a) => Number(a.pricePerHourUsd))).toEqual([1.116, 1.116, 2.232, 2.232]);
    for (const a of attempts) {
      expect(a.status).toBe("succeeded");
      const billed = Math.ceil(((a.coldStartMs ?? 0) + (a.executionMs ?? 0)) / 1000) * 1000;
      expect(a.billedMs).toBe(billed);
      expect(Number(a.costUsd)).toBeCloseTo((billed / 3_600_000) * Number(a.pricePerHourUsd), 6);
      expect(Number(a.costColdStartUsd) + Number(a.costExecutionUsd)).toBeCloseTo(Number(a.costUsd), 6);
    }
    // The run stores the same split.
    const run = await db().run.findUniqueOrThrow({ where: { id: attempts[0].runId } });
    expect(Number(run.costColdStartUsd) + Number(run.costExecutionUsd)).toBeCloseTo(Number(run.costUsd), 6);
  });

  it("dedicated server: execution only; failed attempts cost what they ran", async () => {
    for (const d of [deps.dedicated, deps.failing]) {
      const attempts = await db().runAttempt.findMany({ where: { run: { deploymentId: d.id } } });
      expect(attempts.length).toBeGreaterThan(0);
      for (const a of attempts) {
        expect(a.billedMs).toBe(a.executionMs ?? 0);
        expect(Number(a.costUsd)).toBeCloseTo(((a.executionMs ?? 0) / 3_600_000) * 3.6, 6);
        expect(Number(a.costColdStartUsd)).toBe(0);
      }
    }
  });
});

describe("GET /api/v1/analytics/summary agrees with the raw runs and attempts", () => {
  it("per deployment", async () => {
    for (const d of Object.values(deps)) {
      const r = await callJson("GET", `/api/v1/analytics/summary?from=${from}&to=${to}&groupBy=deployment&deployment=${d.slug}`, { key });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const g = r.body.groups.find((x: { key: string }) => x.key === d.id);
      const want = await raw(d.id);
      expect(g.runs).toBe(want.runs);
      expect(g.succeeded).toBe(want.succeeded);
      expect(g.failed).toBe(want.failed);
      expect(g.attempts).toBe(want.attempts);
      expect(g.costUsd).toBeCloseTo(want.cost, 6);
      expect(g.costByPhase.coldStart).toBeCloseTo(want.cold, 6);
      expect(g.costByPhase.execution).toBeCloseTo(want.exec, 6);
      expect(g.billedSeconds * 1000).toBeCloseTo(want.billed, 0);
      expect(r.body.total.costUsd).toBeCloseTo(want.cost, 6);
    }
    const s = await callJson("GET", `/api/v1/analytics/summary?from=${from}&to=${to}&groupBy=deployment&deployment=${deps.serverless.slug}`, { key });
    const g = s.body.groups[0];
    expect(g.successRate).toBe(1);
    expect(g.costPer1000Usd).toBeCloseTo((g.costUsd / 4) * 1000, 6);
    expect(g.p50Ms).toBeGreaterThan(0);
    // Cold starts as the provider reported them (warm workers report none).
    const colds = (await db().runAttempt.findMany({ where: { run: { deploymentId: deps.serverless.id } } })).filter((a) => a.coldStartMs !== null);
    if (colds.length) expect(g.coldStartP50Ms).not.toBeNull();
    else expect(g.coldStartP50Ms).toBeNull();
    const f = await callJson("GET", `/api/v1/analytics/summary?from=${from}&to=${to}&groupBy=provider&deployment=${deps.failing.slug}`, { key });
    expect(f.body.groups[0].successRate).toBe(0);
    expect(f.body.groups[0].costPer1000Usd).toBeNull();
    expect(f.body.groups[0].wastedCostUsd).toBeCloseTo(f.body.groups[0].costUsd, 6);
  });

  it("by day split by deployment sums to the same total, and the dedicated server's idle time is costed", async () => {
    const r = await callJson("GET", `/api/v1/analytics/summary?from=${from}&to=${to}&groupBy=day&splitBy=deployment&deployment=${deps.dedicated.slug}`, { key });
    expect(r.status).toBe(200);
    const sum = r.body.groups.reduce((a: number, g: { costUsd: number }) => a + g.costUsd, 0);
    expect(sum).toBeCloseTo((await raw(deps.dedicated.id)).cost, 6);
    expect(r.body.groups.every((g: { split: string }) => g.split === deps.dedicated.id)).toBe(true);
    const cap = r.body.capacity.find((c: { billing: string; idleUsd: number }) => c.billing === "dedicated");
    expect(cap.capacityUsd).toBeGreaterThan(0);
    expect(cap.idleUsd).toBeCloseTo(cap.capacityUsd - cap.busyUsd, 6);
    expect(cap.utilisation).toBeLessThan(1);
  });

  it("answers 400 on a bad range and 404 on an unknown deployment", async () => {
    expect((await callJson("GET", `/api/v1/analytics/summary?from=yesterday`, { key })).status).toBe(400);
    expect((await callJson("GET", `/api/v1/analytics/summary?from=${to}&to=${from}`, { key })).status).toBe(400);
    expect((await callJson("GET", `/api/v1/analytics/summary?groupBy=color`, { key })).status).toBe(400);
    expect((await callJson("GET", `/api/v1/analytics/summary?deployment=nope-nope`, { key })).status).toBe(404);
  });
});

describe("GET /api/v1/analytics/matrix", () => {
  it("has a row per endpoint with the summary's numbers and a recommendation per deployment", async () => {
    const r = await callJson("GET", `/api/v1/analytics/matrix?from=${from}&to=${to}&deployment=${deps.serverless.slug}&maxP95Ms=120000`, { key });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toHaveLength(1);
    const row = r.body.rows[0];
    expect(row).toMatchObject({ endpointId: runpodEp.id, provider: "runpod", gpu: "RTX 4090 24GB", runs: 4, succeeded: 4, successRate: 1, confidence: "low" });
    expect(row.costUsd).toBeCloseTo((await raw(deps.serverless.id)).cost, 6);
    expect(row.confidenceNote).toMatch(/4 runs: low confidence/);
    expect(r.body.recommendations[0].endpointId).toBe(runpodEp.id);
    expect(r.body.recommendations[0].text).toMatch(/cheapest endpoint meeting p95 ≤ 120 s: rp-/);
    expect(r.body.gpuRows[0]).toMatchObject({ provider: "runpod", endpoints: 1, runs: 4 });
    const none = await callJson("GET", `/api/v1/analytics/matrix?from=${from}&to=${to}&deployment=${deps.serverless.slug}&maxP95Ms=1`, { key });
    expect(none.body.recommendations[0].endpointId).toBeNull();
    expect(none.body.recommendations[0].text).toMatch(/no endpoint meets/);
  });
});
