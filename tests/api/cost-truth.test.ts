// Cost truth over real HTTP: runs through the engine on a RunPod look-alike endpoint, the bill
// fetched from the look-alike's GET /v1/billing/endpoints (computed there from the jobs it ran),
// checked against hand computation from the jobs' own /status times; the comparison's computed side
// against the attempts; a hostile billing answer; who may sync.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRun } from "@/lib/runs/create-run";
import { systemCtx } from "@/lib/context";
import { db } from "@/lib/db";
import { createApiKey } from "@/lib/auth/api-keys";
import { callJson } from "../helpers/api";
import { pool } from "@/lib/db";
import { BILLS_TASK } from "@/lib/runs/worker";
import { deployment, engineWorld, loraWorkflow, sandboxEndpoint, until, waitForTerminal } from "../helpers/world";

const w = engineWorld();
const KEY = "rp-billing-key";
const PRICE = 3.6; // $/GPU-hour = $0.001 per second
const IDLE_S = 2;
const RUNS = 3;
let engineer: string;
let viewer: string;
let hostile: http.Server;
let hostileUrl = "";
let hostileMode: "garbage" | "huge" = "garbage";

beforeAll(async () => {
  engineer = (await createApiKey({ name: "cost-truth engineer", role: "engineer" })).key;
  viewer = (await createApiKey({ name: "cost-truth viewer", role: "viewer" })).key;
  // A backend that answers RunPod's billing route with something that is not a bill.
  hostile = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    if (hostileMode === "huge") res.end(JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ amount: 1, time: new Date(i * 3_600_000).toISOString(), endpointId: "x".repeat(40) }))));
    else res.end(JSON.stringify([{ amount: "a lot", time: "yesterday", endpointId: "<script>" }]));
  });
  await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", () => r()));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => hostile.close(() => r())));

describe("cost truth", () => {
  it("fetches RunPod's bill, which equals the jobs' worker time by hand; the comparison's computed side is the attempts' cost", async () => {
    const rp = await w.sandbox({ provider: "runpod", apiKey: KEY, execMs: 1300, billingPricePerHourUsd: PRICE, billingIdleTimeoutS: IDLE_S });
    const rpId = `ctep${Date.now().toString(36)}`;
    const ep = await sandboxEndpoint(rp.url, { provider: "runpod", config: { endpointId: rpId, baseUrl: rp.url }, secret: KEY, pricePerHourUsd: PRICE });
    const d = await deployment(w.versionId, [ep.id]);
    for (let i = 0; i < RUNS; i++) {
      const { runId } = await createRun({ ctx: systemCtx(), input: { slug: d.slug, body: { inputs: { prompt: `billed ${i}` } } } });
      expect((await waitForTerminal(runId, 40_000)).status).toBe("succeeded");
    }
    const attempts = await db().runAttempt.findMany({ where: { endpointId: ep.id } });
    expect(attempts).toHaveLength(RUNS);

    // By hand, from what the look-alike reports for each job: (executionTime + idle timeout) rounded up to the second × price.
    let handBilledS = 0;
    let handComputedS = 0;
    for (const a of attempts) {
      const st = await (await fetch(`${rp.url}/v2/${rpId}/status/${a.providerJobId}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
      expect(st.status).toBe("COMPLETED");
      handBilledS += Math.ceil((st.executionTime + IDLE_S * 1000) / 1000);
      handComputedS += Math.ceil(st.executionTime / 1000);
    }
    const handBilled = (handBilledS * PRICE) / 3600;
    const attemptsUsd = attempts.reduce((s, a) => s + Number(a.costUsd), 0);
    expect(attemptsUsd).toBeCloseTo((handComputedS * PRICE) / 3600, 6);

    const sync = await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { endpointId: ep.id } });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body.endpoints).toMatchObject([{ endpointId: ep.id, status: "ok" }]);
    expect(sync.body.endpoints[0].billedUsd).toBeCloseTo(handBilled, 5);
    const rows = await db().providerBill.findMany({ where: { endpointId: ep.id } });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.reduce((s, r) => s + Number(r.amountUsd), 0)).toBeCloseTo(handBilled, 5);
    expect(rows.every((r) => r.bucketEnd.getTime() - r.bucketStart.getTime() === 3_600_000)).toBe(true);

    const truth = await callJson("GET", `/api/v1/analytics/cost-truth?endpoint=${ep.id}`, { key: viewer });
    expect(truth.status, JSON.stringify(truth.body)).toBe(200);
    const row = truth.body.endpoints[0];
    expect(row.computedUsd).toBeCloseTo(attemptsUsd, 6);
    expect(row.billedUsd).toBeCloseTo(handBilled, 5);
    // The difference is exactly RunPod's idle timeout after each job, which Flowgate does not model per attempt.
    expect(row.differenceUsd).toBeCloseTo((RUNS * IDLE_S * PRICE) / 3600, 5);
    expect(row.differencePercent).toBeCloseTo((100 * (handBilled - attemptsUsd)) / attemptsUsd, 1);
    expect(row.lastFetchedAt).toBe(sync.body.fetchedAt);
    expect(row.buckets.reduce((s: number, b: { attempts: number }) => s + b.attempts, 0)).toBe(RUNS);
    expect(truth.body.total.differenceUsd).toBeCloseTo(row.differenceUsd, 6);
    console.log(`cost truth: ${RUNS} runs, computed $${row.computedUsd} (${handComputedS} s), billed $${row.billedUsd} (${handBilledS} s), difference $${row.differenceUsd} (${row.differencePercent} %)`);

    // A second sync replaces, never doubles, the stored bill; and it is audited.
    await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { endpointId: ep.id } });
    const again = await db().providerBill.findMany({ where: { endpointId: ep.id } });
    expect(again.reduce((s, r) => s + Number(r.amountUsd), 0)).toBeCloseTo(handBilled, 5);
    expect(await db().auditLog.count({ where: { action: "analytics.bills_sync", targetId: ep.id, outcome: "ok" } })).toBe(2);
  });

  it("refuses a hostile billing answer (invalid records, then an oversized body) with a clear error and stores nothing", async () => {
    const ep = await sandboxEndpoint(hostileUrl, { provider: "runpod", config: { endpointId: "hostile1", baseUrl: hostileUrl }, secret: "k" });
    hostileMode = "garbage";
    const bad = await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { endpointId: ep.id } });
    expect(bad.status).toBe(503);
    expect(bad.body.error.code).toBe("provider_response_invalid");
    expect(bad.body.error.message).toMatch(/not a RunPod billing answer/);
    expect(bad.body.error.details).toMatchObject({ endpointId: ep.id, providerCode: "billing_response_invalid" });
    hostileMode = "huge";
    const huge = await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { endpointId: ep.id } });
    expect(huge.status).toBe(503);
    expect(huge.body.error.code).toBe("provider_response_invalid");
    expect(await db().providerBill.count({ where: { endpointId: ep.id } })).toBe(0);
    // Syncing every endpoint reports it as failed beside the others instead of failing the whole sync.
    const all = await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer });
    expect(all.status).toBe(200);
    expect(all.body.endpoints.find((e: { endpointId: string }) => e.endpointId === ep.id)).toMatchObject({ status: "failed", error: { code: "output_too_large" } });
    expect(await db().providerBill.count({ where: { endpointId: ep.id } })).toBe(0);
  });

  it("lets a viewer read the comparison but not sync; a non-RunPod endpoint is not supported; bad input is a 400", async () => {
    const denied = await callJson("POST", "/api/v1/analytics/bills/sync", { key: viewer });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("forbidden");
    const comfy = await sandboxEndpoint("http://127.0.0.1:9");
    const ns = await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { endpointId: comfy.id } });
    expect(ns.status).toBe(422);
    expect(ns.body.error.code).toBe("not_supported");
    expect((await callJson("GET", "/api/v1/analytics/cost-truth?from=nope", { key: viewer })).status).toBe(400);
    expect((await callJson("POST", "/api/v1/analytics/bills/sync", { key: engineer, body: { from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z" } })).status).toBe(400);
  });

  it("the worker runs the bill sync as its periodic task (here enqueued by hand instead of waiting for the hour)", async () => {
    const rp = await w.sandbox({ provider: "runpod", apiKey: KEY, billingPricePerHourUsd: PRICE });
    const ep = await sandboxEndpoint(rp.url, { provider: "runpod", config: { endpointId: `cron${Date.now().toString(36)}`, baseUrl: rp.url }, secret: KEY });
    await pool().query("SELECT graphile_worker.add_job($1)", [BILLS_TASK]);
    const row = await until(() => db().auditLog.findFirst({ where: { action: "analytics.bills_sync", targetId: ep.id } }), 20_000, () => "the worker did not sync bills");
    expect(row).toMatchObject({ actorType: "system", outcome: "ok" });
  });

  it("the look-alike's billing route: bearer auth, hour and day buckets, endpoint filter, time range, bad parameters", async () => {
    const rp = await w.sandbox({ provider: "runpod", apiKey: KEY, execMs: 300, billingPricePerHourUsd: { epa: 7.2, epb: 3.6 } });
    const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
    for (const id of ["epa", "epb", "epb"]) {
      const job = await (await fetch(`${rp.url}/v2/${id}/runsync`, { method: "POST", headers: auth, body: JSON.stringify({ input: { workflow: loraWorkflow } }) })).json();
      expect(job.status).toBe("COMPLETED");
    }
    const bill = async (q: string, headers: Record<string, string> = auth) => {
      const r = await fetch(`${rp.url}/v1/billing/endpoints?${q}`, { headers });
      return { status: r.status, body: await r.json() };
    };
    expect((await bill("bucketSize=hour", {})).status).toBe(401);
    expect((await bill("bucketSize=minute")).status).toBe(400);
    expect((await bill("grouping=gpuTypeId")).status).toBe(400);
    expect((await bill("startTime=yesterday")).status).toBe(400);
    const day = await bill("bucketSize=day");
    expect(day.status).toBe(200);
    // 0.3 s jobs bill 1 s each: epa 1 s × $7.20/h, epb 2 s × $3.60/h.
    const per = (id: string) => day.body.filter((r: { endpointId: string }) => r.endpointId === id);
    const sum = (rows: { amount: number; timeBilledMs: number }[]) => ({ amount: Math.round(rows.reduce((a, r) => a + r.amount, 0) * 1e6) / 1e6, ms: rows.reduce((a, r) => a + r.timeBilledMs, 0) });
    expect(sum(per("epa"))).toEqual({ amount: 0.002, ms: 1000 });
    expect(sum(per("epb"))).toEqual({ amount: 0.002, ms: 2000 });
    expect(day.body.every((r: { time: string; diskSpaceBilledGB: number }) => r.time.endsWith("T00:00:00.000Z") && r.diskSpaceBilledGB === 0)).toBe(true);
    const hour = await bill("bucketSize=hour&endpointId=epb");
    expect(hour.body.map((r: { endpointId: string }) => r.endpointId)).toEqual(hour.body.map(() => "epb"));
    expect(hour.body.reduce((s: number, r: { timeBilledMs: number }) => s + r.timeBilledMs, 0)).toBe(2000);
    expect(hour.body.every((r: { time: string }) => r.time.endsWith(":00:00.000Z"))).toBe(true);
    expect((await bill(`startTime=${new Date(Date.now() + 86_400_000).toISOString()}&endTime=${new Date(Date.now() + 2 * 86_400_000).toISOString()}`)).body).toEqual([]);
  });
});
