// The analytics page over seeded data: endpoints, a workflow and deployments through the API, then
// a week of runs and attempts written with SQL into the server's own database (the rollup triggers
// keep the hourly analytics as the engine's writes would), and health checks. The page must draw
// every chart with data, the matrix with its recommendation, and survive the filters.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { startSandbox } from "../sandbox/index";
import { shot, signIn } from "./helpers";

const WORKFLOW = path.resolve("tests/fixtures/workflows/comfyui-examples/api/lora__lora.json");

function dbUrl() {
  const dir = process.env.FLOWGATE_E2E_DATA_DIR!;
  const password = fs.readFileSync(path.join(dir, "pg.password"), "utf8").trim();
  return `postgresql://flowgate:${encodeURIComponent(password)}@127.0.0.1:${process.env.FLOWGATE_E2E_PG_PORT}/flowgate`;
}

interface Ep {
  id: string;
  provider: string;
  price: number;
  coldMs: number;
  execMs: number;
  failRate: number;
}

/** A week of runs: each run one or two attempts (a retry after a failure), written the way the engine ends them. */
async function seedRuns(c: pg.Client, deploymentId: string, versionId: string, eps: Ep[], n: number, seed: number) {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) {
    const ep = eps[i % eps.length];
    const created = new Date(Date.now() - rnd() * 6.5 * 86_400_000);
    const runId = `run_e2e_${seed}_${i}`;
    const attempts = rnd() < ep.failRate ? 2 : 1;
    // One transaction per run: the worker never sees it half-written (it would time it out).
    await c.query("BEGIN");
    await c.query(`INSERT INTO "Run" (id, "deploymentId", "workflowVersionId", status, inputs, "createdAt", "startedAt") VALUES ($1, $2, $3, 'running', '{}', $4, $4)`, [runId, deploymentId, versionId, created]);
    let t = created.getTime() + 300 + rnd() * 1500;
    for (let k = 1; k <= attempts; k++) {
      const last = k === attempts;
      const cold = ep.provider === "comfyui" ? null : rnd() < 0.3 ? Math.round(ep.coldMs * (0.5 + rnd())) : Math.round(200 + rnd() * 400);
      const exec = Math.round(ep.execMs * (0.7 + rnd() * 0.8) * (last ? 1 : 0.4));
      const queue = Math.round(200 + rnd() * 3000);
      const billed = ep.provider === "comfyui" ? exec : Math.ceil(((cold ?? 0) + exec) / 1000) * 1000;
      const cost = (billed / 3_600_000) * ep.price;
      const coldCost = ep.provider === "comfyui" ? 0 : ((cold ?? 0) / 3_600_000) * ep.price;
      const attemptId = `att_e2e_${seed}_${i}_${k}`;
      const start = new Date(t + queue);
      const end = new Date(t + queue + (cold ?? 0) + exec);
      await c.query(
        `INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, status, "createdAt", "submittedAt", "startedAt", "pricePerHourUsd") VALUES ($1, $2, $3, $4, $5, 'running', $6, $6, $7, $8)`,
        [attemptId, runId, k, ep.id, ep.provider, new Date(t), start, ep.price],
      );
      await c.query(
        `UPDATE "RunAttempt" SET status = $2::"AttemptStatus", "finishedAt" = $3, "queueMs" = $4, "coldStartMs" = $5, "executionMs" = $6, "billedMs" = $7, "costUsd" = $8, "costColdStartUsd" = $9, "costExecutionUsd" = $8::numeric - $9::numeric WHERE id = $1`,
        [attemptId, last ? "succeeded" : "failed", end, queue, cold, exec, billed, cost.toFixed(6), coldCost.toFixed(6)],
      );
      t = end.getTime() + 500;
    }
    await c.query(`UPDATE "Run" SET status = 'succeeded', "finishedAt" = $2, "costUsd" = (SELECT sum("costUsd") FROM "RunAttempt" WHERE "runId" = $1) WHERE id = $1`, [runId, new Date(t)]);
    await c.query("COMMIT");
  }
}

test("the analytics page draws spend, reliability, latency and the decision matrix from seeded runs", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  const api = page.request;
  const tag = Date.now().toString(36);
  const wf = await (await api.post("/api/v1/workflows", { data: { name: `analytics ${tag}`, workflow: JSON.parse(fs.readFileSync(WORKFLOW, "utf8")) } })).json();
  const sandbox = `http://127.0.0.1:${process.env.FLOWGATE_E2E_SANDBOX_PORT}`;
  const mk = async (body: Record<string, unknown>) => {
    const r = await api.post("/api/v1/endpoints", { data: body });
    expect(r.status(), await r.text()).toBe(201);
    return (await r.json()).id as string;
  };
  const runpod = await mk({ name: `RunPod 4090 ${tag}`, provider: "runpod", config: { endpointId: "ep-e2e-4090", baseUrl: sandbox }, secret: "x", gpu: "RTX 4090 24GB", pricePerHourUsd: 1.116 });
  const runcomfy = await mk({ name: `RunComfy A100 ${tag}`, provider: "runcomfy", config: { deploymentId: "dep-e2e", baseUrl: sandbox }, secret: "x", gpu: "A100 80GB", pricePerHourUsd: 4.99 });
  const pod = await mk({ name: `Pod L40S ${tag}`, provider: "comfyui", config: { baseUrl: sandbox }, gpu: "L40S 48GB", pricePerHourUsd: 0.86 });
  const dep = async (name: string, targets: string[]) => {
    const slug = `${name.toLowerCase()}-${tag}`;
    const r = await api.post("/api/v1/deployments", {
      data: { name, slug, workflowVersionId: wf.version.id, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: targets.map((endpointId, priority) => ({ endpointId, priority })) },
    });
    expect(r.status(), await r.text()).toBe(201);
    return (await r.json()).id as string;
  };
  const portraits = await dep("Portraits", [runpod, pod]);
  const upscaler = await dep("Upscaler", [runcomfy, runpod]);

  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  try {
    // The pod has been up for the whole week (its capacity and idle cost count from then).
    await c.query(`UPDATE "EndpointPrice" SET "effectiveFrom" = now() - interval '8 days' WHERE "endpointId" = ANY($1)`, [[runpod, runcomfy, pod]]);
    await seedRuns(c, portraits, wf.version.id, [
      { id: runpod, provider: "runpod", price: 1.116, coldMs: 9000, execMs: 7000, failRate: 0.08 },
      { id: pod, provider: "comfyui", price: 0.86, coldMs: 0, execMs: 5500, failRate: 0.03 },
    ], 160, 7);
    await seedRuns(c, upscaler, wf.version.id, [
      { id: runcomfy, provider: "runcomfy", price: 4.99, coldMs: 20000, execMs: 4000, failRate: 0.05 },
      { id: runpod, provider: "runpod", price: 1.116, coldMs: 9000, execMs: 9000, failRate: 0.1 },
    ], 120, 11);
    for (const [id, okRate] of [[runpod, 0.99], [runcomfy, 0.97], [pod, 0.995]] as const) {
      await c.query(
        `INSERT INTO "EndpointHealth" (id, "endpointId", ok, "latencyMs", "checkedAt")
         SELECT 'eh_e2e_' || $1 || '_' || g, $1, (hashtext($1 || g) % 1000 + 1000) % 1000 < $2::float8 * 1000, 40, now() - g * interval '30 minutes' FROM generate_series(1, 330) g`,
        [id, okRate],
      );
    }
  } finally {
    await c.end();
  }

  await page.getByRole("link", { name: "Analytics" }).click();
  await expect(page.getByRole("heading", { name: "Analytics" })).toBeVisible();
  const totals = page.getByTestId("analytics-totals");
  await expect(totals).toContainText("Finished runs");
  await expect(totals).not.toContainText("$0.00");
  for (const chart of ["spend-per-day", "runs-success", "latency-phases", "cold-starts", "cost-per-1000", "extra-attempts", "uptime"]) {
    await expect(page.getByTestId(`chart-${chart}`).locator(".recharts-surface").first()).toBeVisible();
  }
  const matrix = page.getByTestId("decision-matrix");
  await expect(matrix).toContainText(`RunPod 4090 ${tag}`);
  await expect(matrix).toContainText("140 runs: medium confidence");
  await expect(page.getByTestId("recommendations")).toContainText("cheapest endpoint meeting p95 ≤ 60 s");
  // Sorting by runs puts the most-measured endpoint first.
  await matrix.getByRole("button", { name: "Runs", exact: true }).click();
  await matrix.getByRole("button", { name: "Runs", exact: true }).click();
  await expect(matrix.locator("tbody tr").first()).toContainText(`RunPod 4090 ${tag}`);
  // CSV export of a chart's data.
  const download = page.waitForEvent("download");
  await page.getByTestId("chart-spend-per-day").getByRole("button", { name: /CSV/ }).click();
  const file = await (await download).path();
  expect(fs.readFileSync(file!, "utf8").split("\n")[0]).toContain("day");
  await shot(page, "analytics", { fullPage: true, copyTo: "docs/screenshots/analytics.png" });
  // A filter narrows every chart: one deployment.
  await page.getByLabel("Deployment").selectOption({ label: "Upscaler" });
  await expect(matrix).not.toContainText(`Pod L40S ${tag}`);
  await expect(matrix).toContainText(`RunComfy A100 ${tag}`);
});

test("the Cost truth card sets Flowgate's computed spend beside the RunPod look-alike's bill for runs it really ran", async ({ page }) => {
  test.setTimeout(180_000);
  const KEY = "rp-e2e-billing";
  // $3.60 per GPU-hour ($0.001 a second) and a 2 s idle timeout billed after each job.
  const runpod = await startSandbox({ provider: "runpod", apiKey: KEY, execMs: 1200, billingPricePerHourUsd: 3.6, billingIdleTimeoutS: 2 });
  try {
    await signIn(page);
    const api = page.request;
    const tag = Date.now().toString(36);
    const wf = await (await api.post("/api/v1/workflows", { data: { name: `cost truth ${tag}`, workflow: JSON.parse(fs.readFileSync(WORKFLOW, "utf8")) } })).json();
    const ep = await api.post("/api/v1/endpoints", { data: { name: `RunPod billed ${tag}`, provider: "runpod", config: { endpointId: `ct${tag}`, baseUrl: runpod.url }, secret: KEY, gpu: "RTX 4090 24GB", pricePerHourUsd: 3.6 } });
    expect(ep.status(), await ep.text()).toBe(201);
    const endpointId = (await ep.json()).id as string;
    const slug = `cost-truth-${tag}`;
    const d = await api.post("/api/v1/deployments", { data: { name: `Cost truth ${tag}`, slug, workflowVersionId: wf.version.id, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId }] } });
    expect(d.status(), await d.text()).toBe(201);
    for (let i = 0; i < 3; i++) {
      const r = await (await api.post(`/api/v1/deployments/${slug}/runs`, { data: { inputs: { prompt: `billed run ${i}` }, wait: 40 } })).json();
      expect(r.status, JSON.stringify(r.error)).toBe("succeeded");
    }

    await page.goto("/analytics");
    const card = page.getByTestId("cost-truth");
    await expect(card).toContainText("No provider bills yet");
    await card.getByRole("button", { name: "Fetch bills now" }).click();
    await expect(card.getByRole("status")).toContainText("Fetched");
    // After a reload: the stored bills, 3 × (2 s execution + 2 s idle) billed against 3 × 2 s computed.
    await page.reload();
    await expect(card).toContainText(`RunPod billed ${tag}`);
    const row = card.locator("tbody tr", { hasText: `RunPod billed ${tag}` });
    await expect(row).toContainText("$0.0060");
    await expect(row).toContainText("$0.0120");
    await expect(row).toContainText("+$0.0060 (+100 %)");
    await expect(card.locator(".recharts-surface").first()).toBeVisible();
    const download = page.waitForEvent("download");
    await card.getByRole("button", { name: /CSV/ }).click();
    expect(fs.readFileSync((await (await download).path())!, "utf8").split("\n")[0]).toContain("billedUsd");
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await card.screenshot({ path: "test-results/screenshots/analytics-cost-truth.png" });
    if (process.env.FLOWGATE_SCREENSHOTS === "1") await card.screenshot({ path: "docs/screenshots/analytics-cost-truth.png" });
  } finally {
    await runpod.close();
  }
});
