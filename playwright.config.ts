// Browser tests in Debian's Chromium (Playwright cannot download browsers here). The webServer is
// the whole product (`npm run dev`: embedded PostgreSQL, migrations, seed, worker, sandbox ComfyUI),
// started for this run only: on free ports, with a fresh data directory that is deleted when it
// stops, and its own Next.js build folder (a `npm run dev` already running in this checkout holds
// `.next`). A server that already listens is never reused: to test a running Flowgate, set
// FLOWGATE_URL (and E2E_PASSWORD to its admin password).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const CI = !!process.env.CI;
const EXTERNAL_URL = process.env.FLOWGATE_URL;
const ADMIN_PASSWORD = process.env.FLOWGATE_ADMIN_PASSWORD ?? "e2e-admin-password";

/**
 * Ports and data directory, chosen once by the runner: Playwright evaluates this file again in each
 * worker process, which inherits them through the environment (and must not pick new ones).
 */
function resolveServer() {
  if (!process.env.FLOWGATE_E2E_PORT) {
    const wanted = { PORT: process.env.PORT, FLOWGATE_SANDBOX_PORT: process.env.FLOWGATE_SANDBOX_PORT, FLOWGATE_PG_PORT: process.env.FLOWGATE_PG_PORT };
    // One helper process answers both questions: which given ports are taken, and free ones for the rest.
    const probe = `
      const net = require("node:net");
      const wanted = ${JSON.stringify(Object.values(wanted).map((p) => (p ? Number(p) : 0)))};
      const listen = (port) => new Promise((resolve) => {
        const s = net.createServer();
        s.once("error", () => resolve(-1));
        s.listen(port, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
      });
      (async () => { const out = []; for (const p of wanted) out.push(await listen(p)); console.log(JSON.stringify(out)); })();`;
    const ports = JSON.parse(execFileSync(process.execPath, ["-e", probe], { encoding: "utf8" })) as number[];
    const names = Object.keys(wanted) as (keyof typeof wanted)[];
    const taken = names.filter((_, i) => ports[i] === -1);
    if (taken.length) {
      throw new Error(
        `Browser tests: ${taken.map((n) => `${n}=${wanted[n]}`).join(", ")} ${taken.length > 1 ? "are" : "is"} already in use. ` +
          "The tests start their own Flowgate and never reuse a running one: unset the variable to use a free port, " +
          "or set FLOWGATE_URL=http://localhost:<port> (and E2E_PASSWORD) to test a server you started.",
      );
    }
    process.env.FLOWGATE_E2E_PORT = String(ports[0]);
    process.env.FLOWGATE_E2E_SANDBOX_PORT = String(ports[1]);
    process.env.FLOWGATE_E2E_PG_PORT = String(ports[2]);
    let dataDir = process.env.FLOWGATE_DATA_DIR && path.resolve(process.env.FLOWGATE_DATA_DIR);
    if (!dataDir) {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowgate-e2e-"));
      // mkdtemp makes it 0700; run as root, the embedded PostgreSQL runs as its own user inside it.
      fs.chmodSync(dataDir, 0o755);
    }
    process.env.FLOWGATE_E2E_DATA_DIR = dataDir;
    process.env.FLOWGATE_E2E_TEMP_DATA = process.env.FLOWGATE_DATA_DIR ? "" : "1";
  }
  return {
    port: process.env.FLOWGATE_E2E_PORT!,
    sandboxPort: process.env.FLOWGATE_E2E_SANDBOX_PORT!,
    pgPort: process.env.FLOWGATE_E2E_PG_PORT!,
    dataDir: process.env.FLOWGATE_E2E_DATA_DIR!,
    tempData: process.env.FLOWGATE_E2E_TEMP_DATA === "1",
  };
}

const server = EXTERNAL_URL ? undefined : resolveServer();

/** ComfyUI-Manager's index files (GPL-3.0, never copied into the repo): the shared fixtures above the checkout. */
function managerIndexDir(): string | undefined {
  for (let dir = path.resolve("."); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const p = path.join(dir, "shared", "fixtures", "comfyui-manager");
    if (fs.existsSync(path.join(p, "extension-node-map.json"))) return p + "/";
  }
  return undefined;
}
const NODE_INDEX = process.env.FLOWGATE_NODE_INDEX_URL ?? managerIndexDir();

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
  reporter: [["list"]],
  use: {
    // localhost, not 127.0.0.1: the Next dev server refuses its dev assets to other origins
    baseURL: EXTERNAL_URL ?? `http://localhost:${server!.port}`,
    // page.request calls are cookie-authenticated like the dashboard's own fetches, and writes must say
    // they come from Flowgate's origin (CSRF check), as a browser's do. e2e/security.spec.ts sends a
    // foreign Origin explicitly to check the refusal.
    extraHTTPHeaders: { origin: new URL(EXTERNAL_URL ?? `http://localhost:${server!.port}`).origin },
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
  webServer: server && {
    command: "npm run dev",
    url: `http://127.0.0.1:${server.port}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    // SIGTERM lets the dev command stop PostgreSQL and remove the temporary data directory.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: server.port,
      FLOWGATE_SANDBOX_PORT: server.sandboxPort,
      FLOWGATE_PG_PORT: server.pgPort,
      FLOWGATE_DATA_DIR: server.dataDir,
      ...(server.tempData ? { FLOWGATE_DEV_REMOVE_DATA_DIR: "1" } : {}),
      NEXTAUTH_URL: `http://localhost:${server.port}`,
      // its own build folder: `next dev` allows one server per folder
      FLOWGATE_NEXT_DIST_DIR: ".next-e2e",
      FLOWGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // e2e/webhooks.spec.ts: a receiver on 127.0.0.1, and a retry schedule that ends in seconds.
      FLOWGATE_ALLOW_PRIVATE_URLS: "endpoint,webhook",
      FLOWGATE_WEBHOOK_SCHEDULE_MS: "500,1000",
      FLOWGATE_WEBHOOK_WINDOW_MS: "4000",
      ...(NODE_INDEX ? { FLOWGATE_NODE_INDEX_URL: NODE_INDEX, FLOWGATE_COMFY_REGISTRY_URL: "off" } : {}),
    },
  },
});
