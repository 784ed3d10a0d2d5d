// A deployment's life in the dashboard: edit its targets (add one, move it first), timeout and
// attempts; pause (runs refused with 409) and resume; drain endpoints — the dialog warns which
// deployments are left with no enabled target, a run then waits in the queue and starts when the
// endpoint is enabled; delete with a dialog naming what happens to the runs, after which the run
// history is still readable and new runs get 410. Uses its own deployment (the seeded one is left
// as it was) and a second endpoint on the same sandbox, removed at the end.
import { expect, test, type Page } from "@playwright/test";
import { shot, signIn } from "./helpers";

async function endpointActions(page: Page, id: string) {
  await page.goto("/endpoints");
  const actions = page.getByTestId(`endpoint-actions-${id}`);
  await expect(actions).toBeVisible();
  return actions;
}

test("edit, pause/resume, drain warning and delete a deployment from the dashboard", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  const api = page.request;
  const sample = await (await api.get("/api/v1/deployments/sample-txt2img")).json();
  const local = sample.targets[0];
  const localEp = await (await api.get(`/api/v1/endpoints/${local.endpointId}`)).json();
  const slug = `lifecycle-${Date.now().toString(36)}`;
  const spareName = `Spare sandbox ${slug}`;
  const spare = await (await api.post("/api/v1/endpoints", { data: { name: spareName, provider: "comfyui", config: { baseUrl: localEp.config.baseUrl } } })).json();
  expect(spare.id).toBeTruthy();
  const created = await api.post("/api/v1/deployments", {
    data: { name: `Lifecycle ${slug}`, slug, workflowVersionId: sample.workflowVersionId, slots: sample.slots, targets: [{ endpointId: local.endpointId, priority: 0 }] },
  });
  expect(created.status(), await created.text()).toBe(201);

  try {
    // --- edit: add the spare endpoint, move it first, change timeout and attempts
    await page.goto(`/deployments/${slug}`);
    await expect(page.getByTestId("deployment-limits")).toContainText("Hedge budget 10 % (default)");
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const sheet = page.getByRole("dialog");
    await expect(sheet.getByTestId("edit-target")).toHaveCount(1);
    await sheet.getByLabel("Add a target").selectOption(spare.id);
    await sheet.getByRole("button", { name: "Add", exact: true }).click();
    await sheet.getByRole("button", { name: `Move ${spareName} up` }).click();
    await expect(sheet.getByTestId("edit-target").first()).toContainText(spareName);
    await sheet.getByLabel("Timeout (s)").fill("300");
    await sheet.getByLabel("Max attempts").fill("2");
    await sheet.getByLabel("Hedge budget (%)").fill("5");
    await shot(page, "deployment-edit");
    await sheet.getByRole("button", { name: "Save changes" }).click();
    await expect(sheet).toBeHidden();
    const targets = page.getByTestId("deployment-targets").locator("li");
    await expect(targets).toHaveCount(2);
    await expect(targets.first()).toContainText(spareName);
    await expect(targets.nth(1)).toContainText(localEp.name);
    await expect(page.getByTestId("deployment-limits")).toContainText("Timeout 300 s");
    await expect(page.getByTestId("deployment-limits")).toContainText("Max attempts 2");
    await expect(page.getByTestId("deployment-limits")).toContainText("Hedge budget 5 %");
    const saved = await (await api.get(`/api/v1/deployments/${slug}`)).json();
    expect(saved.targets.map((t: { endpointId: string }) => t.endpointId)).toEqual([spare.id, local.endpointId]);
    expect(saved).toMatchObject({ timeoutSeconds: 300, maxAttempts: 2, hedgeBudgetPercent: 5, effectiveHedgeBudgetPercent: 5 });

    // --- pause: refused with 409 and a way back; resume
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(page.getByTestId("deployment-paused")).toBeVisible();
    const refused = await api.post(`/api/v1/deployments/${slug}/runs`, { data: { inputs: { prompt: "paused" } } });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.code).toBe("deployment_paused");
    await shot(page, "deployment-paused");
    await page.getByTestId("deployment-paused").getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("deployment-paused")).toBeHidden();
    await expect(page.getByRole("button", { name: "Pause", exact: true })).toBeVisible();

    // --- drain the spare: the deployment keeps the local sandbox, so no warning
    let actions = await endpointActions(page, spare.id);
    await actions.getByRole("button", { name: "Drain" }).click();
    let dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("keeps another enabled target");
    await dialog.getByRole("button", { name: "Drain", exact: true }).click();
    await expect(actions.getByRole("button", { name: "Enable" })).toBeVisible();

    // --- drain the local sandbox too: the dialog names the deployments left without a target
    actions = await endpointActions(page, local.endpointId);
    await actions.getByRole("button", { name: "Drain" }).click();
    dialog = page.getByRole("alertdialog");
    const warning = dialog.getByTestId("drain-warning");
    await expect(warning).toContainText(slug);
    await expect(warning).toContainText("sample-txt2img");
    await expect(warning).toContainText("new runs wait in the queue up to its timeout (300 s)");
    await shot(page, "endpoint-drain-warning", { copyTo: "public/screenshots/drain-warning.png" });
    await dialog.getByRole("button", { name: "Drain anyway" }).click();
    await expect(actions.getByRole("button", { name: "Enable" })).toBeVisible();

    // a run now waits for an enabled target instead of failing at once with no_target
    const started = await api.post(`/api/v1/deployments/${slug}/runs`, { data: { inputs: { prompt: "a lighthouse that waits" } } });
    expect(started.status()).toBe(202);
    const runId = (await started.json()).id as string;
    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("run-phase")).toContainText("Waiting for an enabled target", { timeout: 30_000 });
    await expect(page.getByTestId("run-details")).toHaveAttribute("data-status", "queued");
    actions = await endpointActions(page, local.endpointId);
    await actions.getByRole("button", { name: "Enable" }).click();
    await expect(actions.getByRole("button", { name: "Drain" })).toBeVisible();
    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("run-details")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });

    // --- delete: the dialog says what happens to the runs; afterwards history is still there
    await page.goto(`/deployments/${slug}`);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    dialog = page.getByRole("alertdialog");
    const consequences = dialog.getByTestId("delete-consequences");
    await expect(consequences).toContainText("410");
    await expect(consequences).toContainText("Its 1 run and its history");
    await expect(consequences).toContainText(`The slug ${slug} cannot be used again`);
    await shot(page, "deployment-delete-dialog");
    await dialog.getByRole("button", { name: "Delete deployment" }).click();
    await expect(page.getByTestId("deployment-deleted")).toBeVisible();
    await expect(page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
    const gone = await api.post(`/api/v1/deployments/${slug}/runs`, { data: { inputs: { prompt: "too late" } } });
    expect(gone.status()).toBe(410);
    expect((await gone.json()).error.code).toBe("deployment_deleted");
    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("run-details")).toHaveAttribute("data-status", "succeeded");
    await page.goto("/deployments");
    await expect(page.getByText(`Lifecycle ${slug}`)).toHaveCount(0);
  } finally {
    // leave the seeded endpoint enabled and remove the spare (only a deleted deployment targets it)
    await api.post(`/api/v1/endpoints/${local.endpointId}/enable`);
    await api.delete(`/api/v1/deployments/${slug}`);
    await api.delete(`/api/v1/endpoints/${spare.id}`);
  }
});
