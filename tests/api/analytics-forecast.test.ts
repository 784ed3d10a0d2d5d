// GET /api/v1/analytics/forecast over rollup rows seeded with SQL, as of a fixed time, against
// hand-computed numbers: the month so far, the 7-day rate, the projection, the budget, and the
// measured cost per succeeded run per endpoint (last 30 days).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, pool } from "@/lib/db";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";

const AT = "2026-06-16T12:00:00.000Z";
let key: string;
let dep: { id: string; slug: string };
let quiet: { id: string; slug: string };
let ep1: { id: string };
let ep2: { id: string };
let sandbox: SandboxHandle;

async function rollup(hour: string, deploymentId: string, endpointId: string, costUsd: number, succeeded: number) {
  await pool().query(
    `INSERT INTO "AnalyticsHourly" (hour, "deploymentId", "endpointId", provider, shard, "costUsd", succeeded, runs) VALUES ($1, $2, $3, 'comfyui', 0, $4, $5, $5)`,
    [hour, deploymentId, endpointId, costUsd, succeeded],
  );
}

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  key = (await createApiKey({ name: "forecast", role: "viewer" })).key;
  const admin = (await createApiKey({ name: "forecast-admin", role: "admin" })).key;
  sandbox = await startSandbox({ execMs: 100 });
  ep1 = await sandboxEndpoint(sandbox.url);
  ep2 = await sandboxEndpoint(sandbox.url);
  const v = await loraVersion();
  dep = await deployment(v.id, [ep1.id, ep2.id]);
  quiet = await deployment(v.id, [ep2.id]);
  const set = await callJson("PATCH", `/api/v1/deployments/${dep.slug}`, { key: admin, body: { monthlyBudgetUsd: 296 } });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  await rollup("2026-05-20T00:00:00Z", dep.id, ep1.id, 5, 5); // last month: cost per run only
  await rollup("2026-06-02T10:00:00Z", dep.id, ep1.id, 80, 40); // this month, before the rate window
  await rollup("2026-06-09T11:00:00Z", dep.id, "", 2, 0); // the hour before the window opens (09T12:00)
  await rollup("2026-06-10T00:00:00Z", dep.id, ep1.id, 30, 20); // in the window
  await rollup("2026-06-16T11:00:00Z", dep.id, ep1.id, 40, 15); // in the window
  await rollup("2026-06-16T12:00:00Z", dep.id, ep1.id, 1000, 10); // at AT: after the forecast's time
});
afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

describe("GET /api/v1/analytics/forecast", () => {
  it("projects spent + 7-day rate × time left, flags the budget, and measures cost per run per endpoint", async () => {
    const r = await callJson("GET", `/api/v1/analytics/forecast?deployment=${dep.slug}&at=${AT}`, { key });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ asOf: AT, month: "2026-06", daysInMonth: 30, remainingDays: 14.5, rateWindowFrom: "2026-06-09T12:00:00.000Z", costPerRunFrom: "2026-05-17T12:00:00.000Z" });
    expect(r.body.deployments).toHaveLength(1);
    const d = r.body.deployments[0];
    // spent: 80 + 2 + 30 + 40 = 152; window: 30 + 40 = 70 over 7 days = 10/day; 152 + 10 × 14.5 = 297 > 296
    expect(d).toMatchObject({ slug: dep.slug, spentUsd: 152, rateWindowSpentUsd: 70, rateUsdPerDay: 10, projectedUsd: 297, budgetUsd: 296, projectedPercent: 100.3, overBudget: true });
    // ep1 over 30 days: (5 + 80 + 30 + 40) / (5 + 40 + 20 + 15) = 155 / 80 = 1.9375; ep2 (a target) never ran
    expect(d.endpoints).toEqual([
      expect.objectContaining({ endpointId: ep1.id, succeeded: 80, costUsd: 155, costPerRunUsd: 1.9375, confidence: "medium" }),
      expect.objectContaining({ endpointId: ep2.id, succeeded: 0, costUsd: 0, costPerRunUsd: null, confidence: "none" }),
    ]);
  });

  it("a deployment without spend or budget projects 0 with nulls; all deployments are listed by default", async () => {
    const r = await callJson("GET", `/api/v1/analytics/forecast?at=${AT}`, { key });
    expect(r.status).toBe(200);
    const q = r.body.deployments.find((x: any) => x.deploymentId === quiet.id);
    expect(q).toMatchObject({ spentUsd: 0, rateUsdPerDay: 0, projectedUsd: 0, budgetUsd: null, projectedPercent: null, overBudget: null });
    expect(r.body.deployments.some((x: any) => x.deploymentId === dep.id)).toBe(true);
  });

  it("bad input is a 4xx, not a 500", async () => {
    expect((await callJson("GET", "/api/v1/analytics/forecast?at=not-a-time", { key })).status).toBe(400);
    const missing = await callJson("GET", "/api/v1/analytics/forecast?deployment=no-such-deployment", { key });
    expect(missing.status).toBe(404);
  });
});
