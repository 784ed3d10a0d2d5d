// Browser tests in Debian's Chromium (Playwright cannot download browsers here). The webServer is
// the whole product (`npm run dev`: embedded PostgreSQL, migrations, seed, worker, sandbox ComfyUI).
import { defineConfig } from "@playwright/test";

const CI = !!process.env.CI;
const PORT = process.env.PORT ?? "3000";
const ADMIN_PASSWORD = process.env.FLOWGATE_ADMIN_PASSWORD ?? "e2e-admin-password";

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "./test-results",
  timeout: 120_000,
  expect: { timeout: CI ? 30_000 : 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: CI ? [["list"]] : [["list"]],
  use: {
    // localhost, not 127.0.0.1: the Next dev server refuses its dev assets to other origins
    baseURL: process.env.FLOWGATE_URL ?? `http://localhost:${PORT}`,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: process.env.FLOWGATE_URL
    ? undefined
    : {
        command: "npm run dev",
        url: `http://127.0.0.1:${PORT}/api/health`,
        reuseExistingServer: !CI,
        timeout: 180_000,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          FLOWGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
          // e2e/webhooks.spec.ts: a receiver on 127.0.0.1, and a retry schedule that ends in seconds.
          FLOWGATE_ALLOW_PRIVATE_URLS: "endpoint,webhook",
          FLOWGATE_WEBHOOK_SCHEDULE_MS: "500,1000",
          FLOWGATE_WEBHOOK_WINDOW_MS: "4000",
        },
      },
});
