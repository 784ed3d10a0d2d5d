// Warm-up before the browser tests: `next dev` compiles each route on its first request, which on a
// busy 2-core CI machine can take longer than a test's expectation timeout. Visit every page and
// API route the tests use once (signed in, with generous timeouts) so the tests measure the product.
import { chromium, type FullConfig } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./helpers";

export default async function globalSetup(config: FullConfig) {
  const use = config.projects[0].use;
  const baseURL = use.baseURL!;
  const browser = await chromium.launch(use.launchOptions);
  const page = await browser.newPage({ baseURL });
  page.setDefaultTimeout(180_000);
  try {
    await page.goto("/signin");
    // Hydrated before typing: a form filled before React takes over loses what was typed (the
    // button is enabled once it has).
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Sign in" }).and(page.locator(":enabled")).waitFor();
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/workflows");
    await page.getByRole("heading", { name: "Workflows" }).waitFor();
    const api = page.request;
    const deployments = await (await api.get("/api/v1/deployments")).json();
    const sample = deployments.items?.[0];
    const paths = ["/workflows", "/deployments", "/runs", "/endpoints"];
    if (sample) paths.push(`/workflows/${sample.workflowId}`, `/deployments/${sample.slug}`);
    for (const p of paths) {
      await page.goto(p);
      await page.waitForLoadState("networkidle");
    }
    for (const p of ["/api/v1/runs", "/api/v1/endpoints", "/api/v1/openapi.json", "/api/v1/runs/none", "/api/v1/runs/none/events", "/api/v1/runs/none/outputs/none"]) {
      await api.get(p).catch(() => {});
    }
    await api.post("/api/v1/deployments", { data: {} }).catch(() => {});
    await api.post("/api/v1/deployments/none/runs", { data: {} }).catch(() => {});
  } finally {
    await browser.close();
  }
}
