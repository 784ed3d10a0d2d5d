// The on-call night, in Chromium: a RunPod look-alike endpoint that is stuck (`stuck` fault: jobs
// stay queued, workers throttled) is a deployment's first target; runs pile up in its queue; the
// overview and the endpoint page show it degraded with its queue depth; Restart (purge + Max Workers
// 0 → n through the RunPod management API, the calls a real restart makes) recovers it and the
// queued runs complete; Disable drains it — new runs go to the next target while the board shows
// the drain; the audit page lists each action with its outcome; a viewer sees no action buttons and
// the API refuses the actions with 403.
import fs from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import pg from "pg";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { startSandbox, type SandboxHandle } from "../sandbox/index";
import { shot, signIn } from "./helpers";

const VIEWER_EMAIL = `viewer-${Date.now().toString(36)}@flowgate.local`;
const VIEWER_PASSWORD = "viewer-e2e-password";

/** A viewer login, written straight into the e2e server's database (Flowgate has no user-admin UI yet). */
async function createViewer() {
  const dir = process.env.FLOWGATE_E2E_DATA_DIR;
  const port = process.env.FLOWGATE_E2E_PG_PORT;
  if (!dir || !port) return false;
  const password = fs.readFileSync(path.join(dir, "pg.password"), "utf8").trim();
  const client = new pg.Client({ connectionString: `postgresql://flowgate:${password}@127.0.0.1:${port}/flowgate` });
  await client.connect();
  try {
    await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", role) VALUES ($1, $2, 'Night viewer', $3, 'viewer')`, [
      `usr_e2e_viewer_${Date.now().toString(36)}`,
      VIEWER_EMAIL,
      await bcrypt.hash(VIEWER_PASSWORD, 10),
    ]);
  } finally {
    await client.end();
  }
  return true;
}

async function runsOf(api: APIRequestContext, ids: string[]) {
  return Promise.all(ids.map(async (id) => (await (await api.get(`/api/v1/runs/${id}`)).json()) as { id: string; status: string; attempts: { endpointId: string }[] }));
}

async function write(page: Page, url: string, data?: unknown) {
  return page.request.post(url, { data: data ?? {}, headers: { origin: new URL(page.url()).origin } });
}

test("stuck RunPod endpoint: see it, restart it, drain it, audit it; a viewer cannot act", async ({ page, browser }) => {
  test.setTimeout(300_000);
  let runpod: SandboxHandle | undefined;
  let runpodId: string | undefined;
  try {
    runpod = await startSandbox({ provider: "runpod", execMs: 300, stuck: true, workers: 2, apiKey: "rp-e2e-key" });
    await signIn(page);
    const api = page.request;
    const sample = await (await api.get("/api/v1/deployments/sample-txt2img")).json();
    const local = sample.targets[0];
    const slug = `oncall-${Date.now().toString(36)}`;
    const name = `RunPod ${slug}`;
    const ep = await write(page, "/api/v1/endpoints", {
      name,
      provider: "runpod",
      config: { endpointId: "sbx-e2e", baseUrl: runpod.url, managementUrl: `${runpod.url}/v1` },
      secret: "rp-e2e-key",
      gpu: "A100-80GB",
      pricePerHourUsd: 2.17,
    });
    expect(ep.status(), await ep.text()).toBe(201);
    runpodId = (await ep.json()).id as string;
    // RunPod only while runs pile up (the engine routes new runs away from an endpoint whose last
    // check failed, when there is another target); the local sandbox is added as the second target
    // before the drain. No hedging within the test (stuckAfterSeconds 3600).
    const dep = await write(page, "/api/v1/deployments", {
      name: `On-call ${slug}`,
      slug,
      workflowVersionId: sample.workflowVersionId,
      slots: sample.slots,
      targets: [{ endpointId: runpodId, priority: 0 }],
      stuckAfterSeconds: 3600,
      timeoutSeconds: 600,
    });
    expect(dep.status(), await dep.text()).toBe(201);

    // --- runs pile up in the stuck queue
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await write(page, `/api/v1/deployments/${slug}/runs`, { inputs: { prompt: `night ${i}` } });
      expect(r.status(), await r.text()).toBe(202);
      runIds.push((await r.json()).id);
    }
    await expect
      .poll(async () => (await (await api.get(`/api/v1/endpoints/${runpodId}/state`)).json()).queuedAtProvider, { timeout: 60_000 })
      .toBe(3);
    // A health check now (what the worker's health loop does every 30 s; an operator's GET checks now).
    expect((await api.get(`/api/v1/endpoints/${runpodId}/health`)).status()).toBe(200);

    // --- the overview says what needs attention, with the queue depth, and links to the endpoint
    await page.goto("/");
    const attention = page.getByTestId("attention-endpoints");
    const row = attention.getByRole("link", { name: new RegExp(name) });
    await expect(row).toContainText("Degraded");
    await expect(row).toContainText("queue 3");
    await expect(page.getByTestId("oncall-banner")).toContainText(`${name} is degraded`);
    await shot(page, "oncall-overview", { copyTo: "public/screenshots/oncall-overview.png", fullPage: true });
    await row.click();

    // --- the endpoint page: degraded, queue depth 3, workers throttled, in-flight runs
    await page.waitForURL(`**/endpoints/${runpodId}`);
    await expect(page.getByTestId("endpoint-state").first()).toHaveText("Degraded");
    await expect(page.getByTestId("queue-depth")).toHaveText("3");
    await expect(page.getByTestId("state-reasons")).toContainText("no worker can start");
    await expect(page.getByTestId("workers")).toContainText("throttled");
    await expect(page.getByTestId("restart-does")).toContainText("Max Workers set to 0, then back");
    await expect(page.getByTestId("runs-table").locator("tbody tr")).toHaveCount(3);
    await shot(page, "oncall-endpoint-degraded", { copyTo: "public/screenshots/oncall-endpoint.png", fullPage: true });

    // --- Restart: confirmed, the provider's answer shown, the queued runs complete
    await page.getByTestId("endpoint-actions").getByRole("button", { name: "Restart" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Restart this endpoint?");
    await dialog.getByRole("button", { name: "Restart" }).click();
    await expect(page.getByTestId("action-result")).toContainText("cycled workers (max workers 0 → 2)");
    await expect.poll(async () => (await runsOf(api, runIds)).map((r) => r.status), { timeout: 120_000 }).toEqual(["succeeded", "succeeded", "succeeded"]);
    await page.getByTestId("endpoint-actions").getByRole("button", { name: "Check now" }).click();
    await expect(page.getByTestId("endpoint-state").first()).toHaveText("Healthy", { timeout: 20_000 });

    // --- the runs board (one live stream) lists them; two cancelled runs are retried in bulk
    const canceled: string[] = [];
    runpod.setFaults({ stuck: true }); // they wait in its queue, so the cancel finds them in flight
    for (let i = 0; i < 2; i++) {
      const r = await write(page, `/api/v1/deployments/${slug}/runs`, { inputs: { prompt: `cancel me ${i}` } });
      const id = (await r.json()).id as string;
      expect((await write(page, `/api/v1/runs/${id}/cancel`)).status()).toBe(200);
      canceled.push(id);
    }
    runpod.setFaults({ stuck: false });
    await page.goto(`/runs?deployment=${slug}`);
    await expect(page.getByTestId("runs-live")).toHaveText("Live");
    await expect(page.getByTestId("run-row")).toHaveCount(5);
    await expect(page.locator('[data-testid="run-row"][data-status="succeeded"]')).toHaveCount(3);
    for (const id of canceled) await page.getByLabel(`Select ${id}`).check();
    await page.getByTestId("bulk-actions").getByRole("button", { name: "Retry selected" }).click();
    await expect(page.getByTestId("bulk-result")).toContainText("Retried 2 run(s)");
    // the two new runs arrive through the list stream, and finish live
    await expect(page.getByTestId("run-row")).toHaveCount(7, { timeout: 30_000 });
    await expect(page.locator('[data-testid="run-row"][data-status="succeeded"]')).toHaveCount(5, { timeout: 60_000 });
    await shot(page, "oncall-runs-board", { copyTo: "public/screenshots/oncall-runs.png" });
    await page.goto(`/runs/${runIds[0]}`);
    await expect(page.getByTestId("timeline-lane")).toHaveCount(2);
    await expect(page.getByTestId("run-attempts")).toContainText("Interrupted by an on-call restart");
    await shot(page, "oncall-run", { copyTo: "public/screenshots/oncall-run.png", fullPage: true });
    await page.goto(`/endpoints/${runpodId}`);

    // --- Disable (drain): new runs go to the next target; the board shows the drain
    const patched = await page.request.patch(`/api/v1/deployments/${slug}`, {
      data: { targets: [{ endpointId: runpodId, priority: 0 }, { endpointId: local.endpointId, priority: 1 }] },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    await page.getByTestId("endpoint-actions").getByRole("button", { name: "Disable" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable", exact: true }).click();
    await expect(page.getByTestId("action-result")).toContainText("Disabled");
    await expect(page.getByTestId("endpoint-state").first()).toHaveText("Disabled (draining)");
    const next = await write(page, `/api/v1/deployments/${slug}/runs`, { inputs: { prompt: "after the drain" } });
    const nextId = (await next.json()).id as string;
    await expect.poll(async () => (await runsOf(api, [nextId]))[0].status, { timeout: 60_000 }).toBe("succeeded");
    const [drained] = await runsOf(api, [nextId]);
    expect(drained.attempts.map((a) => a.endpointId)).toEqual([local.endpointId]);
    await page.goto("/endpoints");
    await expect(page.getByRole("row", { name: new RegExp(name) }).getByTestId("endpoint-state")).toHaveText("Disabled (draining)");
    await shot(page, "oncall-endpoints-board", { copyTo: "public/screenshots/oncall-endpoints.png" });

    // --- the audit page lists each action with its outcome
    await page.goto("/audit");
    await page.getByLabel("Target id").fill(runpodId);
    const rows = page.getByTestId("audit-row");
    await expect(rows.filter({ hasText: "endpoint.restart" })).toContainText("ok");
    await expect(rows.filter({ hasText: "endpoint.disable" })).toContainText("ok");
    await expect(rows.filter({ hasText: "endpoint.create" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "endpoint.restart" }).getByRole("link")).toHaveAttribute("href", `/endpoints/${runpodId}`);
    await shot(page, "oncall-audit", { copyTo: "public/screenshots/oncall-audit.png" });

    await page.goto("/alerts");
    await expect(page.getByTestId("alert-settings")).toBeVisible();
    await shot(page, "oncall-alerts", { copyTo: "public/screenshots/oncall-alerts.png" });

    // --- a viewer sees the boards without action buttons, and the API refuses the actions
    if (await createViewer()) {
      const ctx = await browser.newContext();
      const viewer = await ctx.newPage();
      await viewer.goto("/signin");
      await expect(viewer.getByRole("button", { name: "Sign in" })).toBeEnabled({ timeout: 60_000 });
      await viewer.getByLabel("Email").fill(VIEWER_EMAIL);
      await viewer.getByLabel("Password").fill(VIEWER_PASSWORD);
      await viewer.getByRole("button", { name: "Sign in" }).click();
      await viewer.waitForURL("**/workflows");
      await viewer.goto(`/endpoints/${runpodId}`);
      await expect(viewer.getByTestId("endpoint-state").first()).toHaveText("Disabled (draining)");
      await expect(viewer.getByTestId("queue-depth")).toBeVisible();
      await expect(viewer.getByTestId("endpoint-actions")).toHaveCount(0);
      await expect(viewer.getByRole("button", { name: "Restart" })).toHaveCount(0);
      await viewer.goto("/endpoints");
      await expect(viewer.getByRole("row", { name: new RegExp(name) })).toBeVisible();
      await expect(viewer.getByTestId(`endpoint-actions-${runpodId}`)).toHaveCount(0);
      await expect(viewer.getByRole("button", { name: "Add endpoint" })).toHaveCount(0);
      for (const action of ["restart", "purge-queue", "disable", "enable"]) {
        const refused = await write(viewer, `/api/v1/endpoints/${runpodId}/${action}`);
        expect(refused.status(), action).toBe(403);
        expect((await refused.json()).error.code).toBe("forbidden");
      }
      await ctx.close();
    }
  } finally {
    // the look-alike stops with the test: leave its endpoint drained so nothing is routed to it
    if (runpodId) await write(page, `/api/v1/endpoints/${runpodId}/disable`).catch(() => {});
    await runpod?.close();
  }
});
