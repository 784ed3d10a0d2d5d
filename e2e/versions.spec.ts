// Versions: upload a workflow, make a slot by clicking, deploy it; upload a changed export as
// version 2 from the workflow page, read the diff (added / removed / changed inputs), then move
// the deployment to v2 — slots that still resolve carry over, the one whose node was removed is
// re-pointed to the new node — and see the deployment serve v2.
// e2e/fixtures/lora__lora.v2.json is the LoRA example with KSampler steps 20→30 and cfg 8→6.5,
// latent width 512→768, and the negative prompt node 7 replaced by a new node 11.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

const V1 = path.resolve("tests/fixtures/workflows/comfyui-examples/api/lora__lora.json");
const V2 = path.resolve("e2e/fixtures/lora__lora.v2.json");

test("a new version shows its diff and the deployment moves to it with its slots", async ({ page }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  await signIn(page);

  // v1, with a slot made by clicking a value in the graph
  await page.getByRole("button", { name: "Upload workflow" }).click();
  await page.getByTestId("workflow-file-input").setInputFiles(V1);
  await page.getByLabel("Name").fill(`E2E versions ${stamp}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForURL(/\/workflows\/[^/?]+/);
  const workflowUrl = page.url().replace(/\?.*$/, "");
  const graph = page.getByTestId("graph-editor");
  // the graph opens at a readable zoom: find the Save node by its id first
  await expect(graph.getByText("8 nodes · 11 links")).toBeVisible({ timeout: 30_000 });
  const search = graph.getByLabel("Search nodes");
  await search.fill("#9");
  await search.press("Enter");
  await search.press("Escape");
  await page.getByTestId("widget-9-filename_prefix").click();
  await page.locator("#slot-name").fill("file_prefix");
  await page.getByTestId("slot-save").click();
  await expect(page.getByTestId("slot-list").getByLabel("Name of 9.filename_prefix")).toHaveValue("file_prefix");
  // suggestions are offers: the two prompts are added from the list, the rest stay out
  const offers = page.getByTestId("slot-offers");
  await offers.getByRole("button", { name: "Add prompt", exact: true }).click();
  await offers.getByRole("button", { name: "Add negative_prompt", exact: true }).click();
  await expect(page.getByTestId("slot-list").getByTestId("slot-item")).toHaveCount(3);

  // a pre-flight check against the sandbox marks nothing on this workflow
  await graph.getByLabel("Check on endpoint").selectOption({ label: "Local sandbox" });
  await expect(page.getByTestId("preflight-result")).toHaveText(/Runs on Local sandbox/, { timeout: 30_000 });

  // deploy v1
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const sheet = page.getByRole("dialog");
  await expect(sheet.getByTestId("deploy-slots")).toContainText("file_prefix");
  await sheet.getByLabel("Slug").fill(`e2e-versions-${stamp}`);
  const sandbox = sheet.getByLabel("Use Local sandbox");
  if (!(await sandbox.isChecked())) await sandbox.check();
  await sheet.getByTestId("deploy-submit").click();
  await page.waitForURL(`**/deployments/e2e-versions-${stamp}`, { timeout: 60_000 });

  // v2 from the workflow page
  await page.goto(workflowUrl);
  await page.getByRole("button", { name: "Upload new version" }).click();
  await page.getByTestId("workflow-file-input").setInputFiles(V2);
  await page.getByRole("button", { name: "Upload version" }).click();
  await page.waitForURL(/\?v=2/);
  await expect(page.getByText("Version 2 (latest)")).toBeAttached();

  // the diff, in the list and on the graph
  const diff = page.getByTestId("version-diff");
  await expect(diff.getByTestId("diff-added")).toContainText("#11");
  await expect(diff.getByTestId("diff-removed")).toContainText("#7");
  const changed = diff.getByTestId("diff-changed");
  await expect(changed.locator('[data-node="3"]')).toContainText("steps");
  await expect(changed.locator('[data-node="3"]')).toContainText("30");
  await expect(changed.locator('[data-node="5"]')).toContainText("768");
  for (const [id, mark] of [["11", "added"], ["3", "changed"]]) {
    await search.fill(`#${id}`);
    await search.press("Enter");
    await expect(page.locator(`[data-node-id="${id}"]`)).toHaveAttribute("data-diff", mark);
  }
  await search.press("Escape");
  await shot(page, "graph-diff-top");
  await diff.scrollIntoViewIfNeeded();
  await shot(page, "graph-diff", { copyTo: "public/screenshots/graph-diff.png" });

  // move the deployment: the removed node's slot is re-pointed to the new node
  const row = page.getByTestId("workflow-deployments").locator(`[data-slug="e2e-versions-${stamp}"]`);
  await expect(row).toContainText("v1");
  await row.getByRole("button", { name: "Move to v2" }).click();
  const move = page.getByRole("dialog");
  await expect(move.getByTestId("move-kept")).toContainText("file_prefix");
  await expect(move.getByTestId("move-kept")).toContainText("prompt");
  const unresolved = move.getByTestId("move-unresolved").locator('[data-slot="negative_prompt"]');
  await expect(unresolved).toContainText("Node 7 is not in the new version");
  await expect(move.getByTestId("move-submit")).toBeDisabled();
  await unresolved.getByLabel("New input for negative_prompt").selectOption("11.text");
  await expect(unresolved).toContainText("Becomes a string parameter on #11.text");
  await shot(page, "graph-move", { copyTo: "public/screenshots/graph-move.png" });
  await move.getByTestId("move-submit").click();
  await expect(move).toBeHidden();
  await expect(row).toContainText("v2");
  await expect(row).toContainText("Moved to version 2");

  // the deployment now serves v2, with the re-pointed parameter
  await row.getByRole("link").first().click();
  await page.waitForURL(`**/deployments/e2e-versions-${stamp}`);
  await expect(page.locator("header, main").getByText("v2", { exact: true }).first()).toBeVisible();
  await expect(page.locator("#slot-negative_prompt")).toBeVisible();
  const dep = await (await page.request.get(`/api/v1/deployments/e2e-versions-${stamp}`)).json();
  expect(dep.workflowVersion === 2 || dep.workflowVersion?.number === 2).toBe(true);
  expect(dep.slots.find((s: { name: string }) => s.name === "negative_prompt")).toMatchObject({ nodeId: "11", input: "text" });
  expect(dep.slots.map((s: { name: string }) => s.name)).toContain("file_prefix");
});
