// Signing in. On a cold dev server the first /api/auth requests are slow, and one of them can
// replace the csrf cookie after the form fetched its token: next-auth then refuses the sign-in
// with only `?csrf=true` in its answer (no error), and the form used to go on to /workflows, where
// the missing session bounced it back to /signin (the webhooks.spec flake). The refusal is replayed
// here by sending a stale token once.
import { expect, test } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./helpers";

async function fillAndSubmit(page: import("@playwright/test").Page, password: string) {
  await page.goto("/signin");
  const button = page.getByRole("button", { name: "Sign in" });
  await expect(button).toBeEnabled({ timeout: 60_000 });
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(password);
  await button.click();
}

test("a sign-in whose csrf token was refused is retried and starts a session", async ({ page }) => {
  let refused = 0;
  await page.route(
    "**/api/auth/callback/credentials",
    async (route) => {
      refused++;
      const body = route.request().postData() ?? "";
      await route.continue({ postData: body.replace(/csrfToken=[^&]*/, "csrfToken=stale") });
    },
    { times: 1 },
  );
  await fillAndSubmit(page, ADMIN_PASSWORD);
  await page.waitForURL("**/workflows");
  await expect(page.getByRole("heading", { name: "Workflows" })).toBeVisible();
  expect(refused).toBe(1);
  // the session is real: another dashboard page opens without a detour through /signin
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/runs$/);
});

test("a wrong password is reported on the form", async ({ page }) => {
  await fillAndSubmit(page, "not-the-password");
  await expect(page.getByText("That email and password do not match an account")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});
