// Issue #18: API keys made in the browser work from scripts as their scopes say. A read-only key
// created on the keys page lists deployments (200), is refused a run (403), and once revoked on the
// page gets 401. The deployment page shows the snippets and the MCP configuration for this origin.
import { expect, test } from "@playwright/test";
import { shot, signIn } from "./helpers";

test("a read-only key from the keys page reads, cannot run, and stops working when revoked", async ({ page, baseURL }) => {
  await signIn(page);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

  const name = `e2e read-only ${Date.now()}`;
  await page.getByRole("button", { name: "Create key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await expect(dialog.getByLabel("scope read")).toBeChecked();
  await shot(page, "keys-create");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = (await dialog.getByTestId("new-key").textContent())!.trim();
  expect(key).toMatch(/^fg_[0-9a-f]{12}_/);
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("read");
  await expect(row).toContainText("active");

  const auth = { Authorization: `Bearer ${key}` };
  const list = await page.request.get("/api/v1/deployments", { headers: auth });
  expect(list.status()).toBe(200);
  const slug = (await list.json()).items[0]?.slug ?? "any";
  const run = await page.request.post(`/api/v1/deployments/${slug}/runs`, { headers: auth, data: { inputs: {} } });
  expect(run.status()).toBe(403);
  expect((await run.json()).error.code).toBe("forbidden");

  // Last use (time and address) shows up in the list.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("just now", { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await shot(page, "keys", { copyTo: "public/screenshots/keys.png" });

  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("revoked");
  const after = await page.request.get("/api/v1/deployments", { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("api_key_revoked");
  expect(baseURL).toBeTruthy();
});

test("the deployment page shows copy-paste snippets and the MCP configuration for this origin", async ({ page, baseURL }) => {
  await signIn(page);
  const list = await (await page.request.get("/api/v1/deployments")).json();
  test.skip(!list.items?.length, "no deployment seeded");
  const d = list.items[0];
  await page.goto(`/deployments/${d.slug}`);
  await expect(page.getByTestId("contract-curl")).toContainText(`/api/v1/deployments/${d.slug}/runs`);
  for (const s of d.slots ?? []) await expect(page.getByTestId("contract-curl")).toContainText(`"${s.name}"`);
  await expect(page.getByTestId("mcp-claudeDesktop")).toContainText(`${new URL(baseURL!).origin}/api/mcp`);
  await page.getByRole("tab", { name: "Cursor" }).click();
  await expect(page.getByTestId("mcp-cursor")).toContainText("Authorization");
  // The contract card alone (a full-page shot misplaces the fixed sidebar).
  const card = page.getByRole("heading", { name: "API contract" }).locator("xpath=ancestor::*[contains(@class, 'rounded-lg')][1]");
  await card.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await card.screenshot({ path: "test-results/screenshots/deployment-snippets.png" });
  if (process.env.FLOWGATE_SCREENSHOTS === "1") await card.screenshot({ path: "public/screenshots/deployment-snippets.png" });
  const guide = await page.request.get("/llms.txt");
  expect(guide.status()).toBe(200);
  expect(guide.headers()["content-type"]).toContain("text/plain");
});
