import { expect, type Page } from "@playwright/test";

export const ADMIN_EMAIL = process.env.E2E_EMAIL ?? "admin@flowgate.local";
export const ADMIN_PASSWORD = process.env.E2E_PASSWORD ?? process.env.FLOWGATE_ADMIN_PASSWORD ?? "e2e-admin-password";

export async function signIn(page: Page) {
  await page.goto("/signin");
  // The button is enabled once React has hydrated the form; text typed before that is lost.
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled({ timeout: 60_000 });
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/workflows");
  await expect(page.getByRole("heading", { name: "Workflows" })).toBeVisible();
}

/**
 * A screenshot into test-results/screenshots/ (untracked, per run). `copyTo` names a README image
 * (public/screenshots/…): it is rewritten only by `npm run screenshots` (FLOWGATE_SCREENSHOTS=1),
 * never by `npm test`.
 */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean; copyTo?: string } = {}) {
  // let images, fonts and the graph settle before capturing
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: opts.fullPage ?? false });
  if (opts.copyTo && process.env.FLOWGATE_SCREENSHOTS === "1") await page.screenshot({ path: opts.copyTo, fullPage: opts.fullPage ?? false });
}
