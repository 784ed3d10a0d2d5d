// The main path a user takes: sign in → upload a workflow → make `prompt` a slot → deploy to the
// Local sandbox → run from the deployment page → watch progress → see the output image.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

const FIXTURE = path.resolve("tests/fixtures/workflows/comfyui-examples/api/lora__lora.json");

test("upload, deploy to the sandbox and run with a prompt", async ({ page }) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  await signIn(page);
  await shot(page, "workflows");

  // Upload
  await page.getByRole("button", { name: "Upload workflow" }).click();
  await page.getByTestId("workflow-file-input").setInputFiles(FIXTURE);
  await page.getByLabel("Name").fill(`E2E LoRA ${stamp}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForURL(/\/workflows\/[^/?]+/);

  // Graph with the version's nodes; the prompt input becomes the `prompt` slot
  const graph = page.getByTestId("graph-editor");
  await expect(graph).toBeVisible();
  // the graph opens at a readable zoom, so not every node is on screen (or mounted) at first
  await expect(graph.getByText("8 nodes · 11 links")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("widget-6-text").click();
  const name = page.locator("#slot-name");
  await expect(name).toBeVisible();
  await name.fill("prompt");
  await page.getByTestId("slot-save").click();
  await expect(page.getByTestId("slot-list").getByLabel("Name of 6.text")).toHaveValue("prompt");
  await shot(page, "workflow", { copyTo: "public/screenshots/workflow.png" });

  // Linked inputs are refused with the reason
  await page.locator('[data-node-id="3"]').getByRole("button", { name: "model" }).click();
  await expect(page.getByText("cannot be an API parameter")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).first().click();

  // Deploy to the Local sandbox
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const sheet = page.getByRole("dialog");
  await sheet.getByLabel("Slug").fill(`e2e-lora-${stamp}`);
  const sandbox = sheet.getByLabel("Use Local sandbox");
  if (!(await sandbox.isChecked())) await sandbox.check();
  await shot(page, "deploy-dialog");
  await sheet.getByTestId("deploy-submit").click();
  // either the deployment page opens, or the refusal shown in the sheet fails the test with its text
  const refused = sheet.getByRole("alert");
  await Promise.race([
    page.waitForURL(`**/deployments/e2e-lora-${stamp}`),
    refused.waitFor({ timeout: 60_000 }).then(async () => {
      throw new Error(`Deploy was refused: ${await refused.innerText()}`);
    }),
  ]);

  // Run with a prompt and watch it live
  const prompt = page.locator("#slot-prompt");
  await expect(prompt).toBeVisible();
  await prompt.fill("a lighthouse on a cliff at dawn, watercolor");
  await page.getByTestId("run-submit").click();
  const details = page.getByTestId("run-details");
  await expect(details).toBeVisible();
  await expect(page.getByTestId("run-progress")).toBeVisible();
  await shot(page, "deployment-running");
  // the workflow graph beside the run lights up the node the run reports as executing (KSampler #3);
  // `data-executed` keeps every node seen executing, so the check holds even after the run ended
  const runGraph = page.getByTestId("run-graph");
  await expect(runGraph.getByText("8 nodes · 11 links")).toBeVisible();
  await expect(runGraph).toHaveAttribute("data-executed", /(^|,)3(,|$)/, { timeout: 120_000 });
  if ((await details.getAttribute("data-status")) === "running" && (await runGraph.locator('[data-run-state="executing"]').count()) > 0) {
    await runGraph.scrollIntoViewIfNeeded();
    await shot(page, "graph-running", { copyTo: "public/screenshots/graph-run.png" });
  }
  await expect(details).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(runGraph.locator('[data-node-id="3"]')).toHaveAttribute("data-run-state", "done");

  const img = page.getByTestId("run-output-image").first();
  await expect(img).toBeVisible();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await shot(page, "deployment", { fullPage: true });
  await shot(page, "deployment-top", { copyTo: "public/screenshots/deployment.png" });

  // The run is listed and has its own page
  const runHref = await details.getByRole("link").first().getAttribute("href");
  await page.goto("/runs");
  await expect(page.getByTestId("runs-table")).toBeVisible();
  await shot(page, "runs");
  await page.goto(runHref!);
  await expect(page.getByTestId("run-details")).toHaveAttribute("data-status", "succeeded");
  await shot(page, "run", { fullPage: true });

  await page.goto("/endpoints");
  await expect(page.getByText("Local sandbox").first()).toBeVisible();
  // Other specs add endpoints to the same server: test the sandbox's own row.
  await page.getByRole("row", { name: /^Local sandbox/ }).first().getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connected to Local sandbox/)).toBeVisible({ timeout: 20_000 });
  await shot(page, "endpoints");

  await page.goto("/deployments");
  await shot(page, "deployments");
});
