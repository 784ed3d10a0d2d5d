// Provisioning from the workflow page: the seed scenario's Z-Image Danrisi workflow lists RES4LYF
// (from ComfyUI-Manager's index, read from ../shared at run time) and its three models with their
// folders; a model's source given on the page is remembered, and the worker recipe downloads as a zip.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

const DANRISI = path.resolve("tests/fixtures/workflows/seed-scenarios/z-image-danrisi.api.json");

test("the workflow page lists packs and models, takes a model's URL, and downloads the recipe", async ({ page }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  await signIn(page);
  await page.getByRole("button", { name: "Upload workflow" }).click();
  await page.getByTestId("workflow-file-input").setInputFiles(DANRISI);
  await page.getByLabel("Name").fill(`Z-Image Danrisi ${stamp}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForURL(/\/workflows\/[^/?]+/);

  const card = page.getByTestId("requirements");
  await expect(card.getByTestId("pack-row")).toHaveCount(1, { timeout: 60_000 });
  await expect(card.getByTestId("pack-row")).toContainText("RES4LYF");
  await expect(card.getByTestId("pack-row")).toContainText("ClownsharKSampler_Beta, Sigmas Rescale");
  await expect(card.getByTestId("model-row")).toHaveCount(3);
  await expect(card.getByTestId("model-row").nth(0)).toContainText("z_image_turbo_bf16.safetensors");
  await expect(card.getByTestId("model-row").nth(0)).toContainText("diffusion_models");
  await expect(card.getByTestId("requirements-summary")).toContainText("3 to resolve");

  // give the VAE's source: remembered, the row turns into a link
  const vae = card.getByTestId("model-row").filter({ hasText: "z-image-turbo-vae.safetensors" });
  await vae.getByLabel("Download URL of z-image-turbo-vae.safetensors").fill("https://huggingface.co/Comfy-Org/z_image_turbo/resolve/main/split_files/vae/ae.safetensors");
  await vae.getByRole("button", { name: "Save" }).click();
  await expect(vae.getByRole("link", { name: /split_files\/vae\/ae\.safetensors/ })).toBeVisible();
  await expect(card.getByTestId("requirements-summary")).toContainText("2 to resolve");
  await card.scrollIntoViewIfNeeded();
  await shot(page, "provision-requirements", { copyTo: "docs/screenshots/provision-requirements.png" });

  // cost preview: no runs of this workflow yet, so every line is an estimate; warm workers priced per day
  const cost = page.getByTestId("cost-preview");
  await expect(cost).toContainText("No runs yet: every figure is an estimate");
  await cost.getByLabel("workersMin").fill("1");
  await expect(cost.getByRole("row", { name: /RTX 4090 24 GB/ })).toContainText("$26.40");
  await cost.scrollIntoViewIfNeeded();
  await shot(page, "provision-cost-preview", { copyTo: "docs/screenshots/provision-cost-preview.png" });

  const [download] = await Promise.all([page.waitForEvent("download"), card.getByTestId("download-recipe").click()]);
  expect(download.suggestedFilename()).toMatch(/^flowgate-z-image-danrisi-[a-z0-9]+-v1\.zip$/);
  const res = await page.request.get(`${new URL(page.url()).pathname.replace("/workflows/", "/api/v1/workflows/")}/versions/1/recipe?provider=runpod`);
  const recipe = await res.json();
  expect(recipe.dockerfile).toContain("RUN comfy-node-install 'res4lyf'");
  expect(recipe.dockerfile).toContain("--relative-path 'models/vae' --filename 'z-image-turbo-vae.safetensors'");
});
