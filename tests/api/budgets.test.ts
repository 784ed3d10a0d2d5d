// Monthly budgets: set through PATCH /deployments/{slug}; the month's spend (from the rollup) past
// 80 % is a warning, and a spent hard-stop budget refuses new runs with 402 budget_exceeded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, pool } from "@/lib/db";
import { systemCtx } from "@/lib/context";
import { listBudgetWarnings } from "@/lib/analytics/budgets";
import { deployment, loraVersion, sandboxEndpoint } from "../helpers/world";
import { startSandbox, type SandboxHandle } from "@/sandbox/index";

let key: string;
let dep: { id: string; slug: string };
let sandbox: SandboxHandle;

beforeAll(async () => {
  process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
  key = (await createApiKey({ name: "budgets", role: "admin" })).key;
  sandbox = await startSandbox({ execMs: 100 });
  const ep = await sandboxEndpoint(sandbox.url);
  dep = await deployment((await loraVersion()).id, [ep.id]);
});
afterAll(async () => {
  await sandbox?.close();
  await closeDb();
});

/** This month's spend as the rollup would hold it after runs that cost `usd`. */
async function spend(usd: number) {
  await pool().query(
    `INSERT INTO "AnalyticsHourly" (hour, "deploymentId", "endpointId", provider, shard, "costUsd") VALUES (date_trunc('hour', now()), $1, '', '', 0, $2)
     ON CONFLICT (hour, "deploymentId", "endpointId", provider, shard) DO UPDATE SET "costUsd" = "AnalyticsHourly"."costUsd" + EXCLUDED."costUsd"`,
    [dep.id, usd],
  );
}

describe("monthly budgets", () => {
  it("warns at 80 %, and a spent hard-stop budget refuses new runs with 402 naming the budget", async () => {
    const set = await callJson("PATCH", `/api/v1/deployments/${dep.slug}`, { key, body: { monthlyBudgetUsd: 10, budgetHardStop: true } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ monthlyBudgetUsd: 10, budgetHardStop: true });
    await spend(7.5);
    expect((await listBudgetWarnings({ ctx: systemCtx(), input: {} })).find((w) => w.deploymentId === dep.id)).toBeUndefined();
    await spend(1);
    expect((await listBudgetWarnings({ ctx: systemCtx(), input: {} })).find((w) => w.deploymentId === dep.id)).toMatchObject({ level: 80, spentUsd: 8.5, budgetUsd: 10, percent: 85 });
    const ok = await callJson("POST", `/api/v1/deployments/${dep.slug}/runs`, { key, body: { inputs: { prompt: "under budget" } } });
    expect(ok.status).toBe(202);
    await spend(1.5);
    const refused = await callJson("POST", `/api/v1/deployments/${dep.slug}/runs`, { key, body: { inputs: { prompt: "over budget" } } });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("budget_exceeded");
    expect(refused.body.error.message).toContain(`"${dep.slug}" has spent $10.00 of its $10.00 budget`);
    expect(refused.body.error.details).toMatchObject({ budgetUsd: 10, spentUsd: 10 });
    expect((await listBudgetWarnings({ ctx: systemCtx(), input: {} })).find((w) => w.deploymentId === dep.id)).toMatchObject({ level: 100, hardStop: true });
    // Without the hard stop the deployment keeps running (warnings only).
    await callJson("PATCH", `/api/v1/deployments/${dep.slug}`, { key, body: { budgetHardStop: false } });
    expect((await callJson("POST", `/api/v1/deployments/${dep.slug}/runs`, { key, body: { inputs: { prompt: "soft budget" } } })).status).toBe(202);
  });
});

describe("budget alerts", () => {
  it("each line crossed (80 %, 100 %) is its own alert condition, and the overview lists the warning", async () => {
    const { currentConditions } = await import("@/lib/oncall/evaluate-alerts");
    const { getOverview } = await import("@/lib/oncall/get-overview");
    const { ALERT_DEFAULTS } = await import("@/lib/oncall/get-alert-settings");
    const other = await deployment((await loraVersion()).id, [(await sandboxEndpoint(sandbox.url)).id]);
    await callJson("PATCH", `/api/v1/deployments/${other.slug}`, { key, body: { monthlyBudgetUsd: 20 } });
    const mine = async () => (await currentConditions(systemCtx(), ALERT_DEFAULTS)).filter((c) => c.key.startsWith(`budget:${other.id}:`));
    expect(await mine()).toEqual([]);
    const add = (usd: number) =>
      pool().query(
        `INSERT INTO "AnalyticsHourly" (hour, "deploymentId", "endpointId", provider, shard, "costUsd") VALUES (date_trunc('hour', now()), $1, '', '', 1, $2)
         ON CONFLICT (hour, "deploymentId", "endpointId", provider, shard) DO UPDATE SET "costUsd" = "AnalyticsHourly"."costUsd" + EXCLUDED."costUsd"`,
        [other.id, usd],
      );
    await add(17);
    const at80 = await mine();
    expect(at80.map((c) => c.key.split(":").pop())).toEqual(["80"]);
    expect(at80[0]).toMatchObject({ severity: "warning", href: `/deployments/${other.slug}` });
    expect(at80[0]!.message).toContain("$17.00 of its $20.00");
    await add(4);
    expect((await mine()).map((c) => c.key.split(":").pop())).toEqual(["80", "100"]);
    const overview = await getOverview({ ctx: systemCtx(), input: {} });
    expect(overview.budgetWarnings.find((w) => w.href === `/deployments/${other.slug}`)).toMatchObject({ kind: "budget_100" });
  });
});
