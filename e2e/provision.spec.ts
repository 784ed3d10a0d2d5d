// Provisioning from the workflow page: the seed scenario's Z-Image Danrisi workflow lists RES4LYF
// (from ComfyUI-Manager's index, read from ../shared at run time) and its three models with their
// folders; a model's source given on the page is remembered, and the worker recipe downloads as a zip.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

const DANRISI = path.resolve("tests/fixtures/workflows/seed-scenarios/z-image-danrisi.api.json");
const LORA = path.resolve("tests/fixtures/workflows/comfyui-examples/api/lora__lora.json");

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

test("Create RunPod endpoint: template and endpoint through the REST look-alike, registered, and a run through it succeeds", async ({ page }) => {
  test.setTimeout(240_000);
  const { spawn } = await import("node:child_process");
  const KEY = "rp-e2e-key-0123456789";
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/cli.ts", "--provider", "runpod", "--port", "0", "--api-key", KEY, "--build-ms", "2000", "--exec-ms", "500"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const sandboxUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", () => reject(new Error(`sandbox exited: ${out}`)));
    });
    const stamp = Date.now().toString(36);
    await signIn(page);
    const up = await page.request.post("/api/v1/workflows", { data: { name: `E2E RunPod ${stamp}`, workflow: JSON.parse((await import("node:fs")).readFileSync(LORA, "utf8")) } });
    expect(up.status()).toBe(201);
    const wf = await up.json();
    await page.goto(`/workflows/${wf.id}`);
    await page.getByRole("button", { name: "Create RunPod endpoint" }).click();
    const sheet = page.getByRole("dialog", { name: "Create RunPod endpoint" });
    await sheet.getByLabel("Worker image").fill("docker.io/acme/flowgate-lora:v1");
    await sheet.getByLabel("RunPod API key").fill(KEY);
    await sheet.getByLabel("Workers max").fill("2");
    await sheet.getByText("RunPod API URLs (advanced)").click();
    await sheet.getByLabel("REST API").fill(`${sandboxUrl}/v1`);
    await sheet.getByLabel("Serverless API").fill(sandboxUrl);
    await sheet.getByRole("button", { name: "Create endpoint" }).click();
    await expect(sheet.getByTestId("provision-done")).toBeVisible({ timeout: 60_000 });
    const steps = sheet.getByTestId("provision-steps");
    for (const s of ["template", "endpoint", "register", "workers"]) await expect(steps).toContainText(`✓ ${s}`);
    await steps.scrollIntoViewIfNeeded();
    await shot(page, "provision-runpod-endpoint", { copyTo: "docs/screenshots/provision-runpod-endpoint.png" });

    // a run through the new endpoint
    const eps = await (await page.request.get("/api/v1/endpoints?limit=200")).json();
    const ep = eps.items.find((e: { name: string }) => e.name === `E2E RunPod ${stamp} (RunPod)`);
    expect(ep?.provider).toBe("runpod");
    const slug = `e2e-rp-${stamp}`;
    const dep = await page.request.post("/api/v1/deployments", {
      data: { name: slug, slug, workflowVersionId: wf.version.id, slots: [{ name: "prompt", nodeId: "6", input: "text", type: "string" }], targets: [{ endpointId: ep.id, priority: 0 }] },
    });
    expect(dep.status(), await dep.text()).toBe(201);
    const run = await page.request.post(`/api/v1/deployments/${slug}/runs`, { data: { inputs: { prompt: "through RunPod" }, wait: 60 } });
    const body = await run.json();
    expect(body.status, JSON.stringify(body).slice(0, 400)).toBe("succeeded");
  } finally {
    child.kill("SIGTERM");
  }
});
