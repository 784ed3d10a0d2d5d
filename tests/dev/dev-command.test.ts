// `npm run dev` as a user runs it (scripts/dev.ts, on free ports and a fresh data directory):
// - a worker killed from outside is restarted by the supervisor; the app stays up;
// - the dev command records its URL for the CLI (dev.json) and removes it on Ctrl-C;
// - a second start on the same data directory and build folder works: /signin loads once (no
//   reload loop) and signing in lands on /workflows.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DevState } from "../../lib/dev-state";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PASSWORD = "dev-command-test-password";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowgate-devtest-"));
fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as its own user under root
const [port, sandboxPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
const url = `http://localhost:${port}`;
let dev: ChildProcess | undefined;
let output = "";

function startDev() {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL; // its own embedded PostgreSQL in dataDir, not the tests' database
  delete env.NEXTAUTH_URL;
  Object.assign(env, {
    PORT: String(port),
    FLOWGATE_SANDBOX_PORT: String(sandboxPort),
    FLOWGATE_PG_PORT: String(pgPort),
    FLOWGATE_DATA_DIR: dataDir,
    FLOWGATE_STORAGE_DIR: path.join(dataDir, "outputs"),
    FLOWGATE_ADMIN_PASSWORD: PASSWORD,
    FLOWGATE_NEXT_DIST_DIR: ".next-e2e",
    FLOWGATE_LOG_LEVEL: "warn",
  });
  // its own process group, like a terminal: Ctrl-C reaches the dev command and all its children
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  dev = child;
  return child;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve(fn()).catch(() => undefined);
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- dev output ---\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const healthy = () => waitFor("/api/health", async () => ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) })).ok ? true : undefined), 240_000);
const state = () => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, "dev.json"), "utf8")) as DevState;
  } catch {
    return undefined;
  }
};
const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopDev(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
  const child = dev;
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  process.kill(-child.pid!, signal);
  const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
  if (code === "timeout") {
    process.kill(-child.pid!, "SIGKILL");
    throw new Error(`npm run dev did not stop within 30 s\n${output.slice(-3000)}`);
  }
  return code;
}

afterAll(async () => {
  await stopDev().catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("npm run dev", () => {
  it("starts Next.js without Turbopack's on-disk dev cache (a restored cache left /signin reloading in a loop)", async () => {
    // @ts-expect-error plain ESM config without types
    const { default: config } = (await import("../../next.config.mjs")) as { default: { experimental?: Record<string, unknown> } };
    expect(config.experimental?.turbopackFileSystemCacheForDev).toBe(false);
  });

  it("restarts a worker that dies, records its URL, and works again after a restart", { timeout: 600_000 }, async () => {
    startDev();
    await healthy();
    const first = await waitFor("dev.json", () => state(), 10_000);
    expect(first.url).toBe(url);
    expect(first.pid).toBe(dev!.pid);
    const worker = first.processes.worker!;
    const next = first.processes.next!;
    expect(alive(worker)).toBe(true);

    // a worker that dies comes back, and the rest of the stack stays up
    process.kill(worker, "SIGKILL");
    const restarted = await waitFor("a new worker", () => {
      const pid = state()?.processes.worker;
      return pid && pid !== worker && alive(pid) ? pid : undefined;
    }, 30_000);
    expect(restarted).not.toBe(worker);
    expect(output).toMatch(/\[dev\] worker exited \(SIGKILL\).*restarting in/);
    expect(state()!.processes.next).toBe(next);
    expect(alive(dev!.pid)).toBe(true);
    expect((await fetch(`${url}/api/health`)).ok).toBe(true);

    // Ctrl-C: everything stops, the record goes
    expect(await stopDev("SIGINT")).toBe(0);
    expect(alive(restarted)).toBe(false);
    expect(alive(next)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "dev.json"))).toBe(false);

    // the second start: same data directory, same build folder
    output = "";
    startDev();
    await healthy();
    if (!fs.existsSync(CHROMIUM)) {
      const res = await fetch(`${url}/signin`);
      expect(res.status).toBe(200);
      return;
    }
    const { chromium } = await import("@playwright/test");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const page = await browser.newPage();
      let loads = 0;
      page.on("load", () => loads++);
      await page.goto(`${url}/signin`, { timeout: 180_000 });
      const button = page.getByRole("button", { name: "Sign in" });
      await button.and(page.locator(":enabled")).waitFor({ timeout: 120_000 });
      // left alone for a while, the page must not reload itself (the report: 108 loads in 20 s)
      await page.waitForTimeout(8000);
      expect(loads).toBe(1);
      await page.getByLabel("Email").fill("admin@flowgate.local");
      await page.getByLabel("Password").fill(PASSWORD);
      await button.click();
      await page.waitForURL("**/workflows", { timeout: 120_000 });
    } finally {
      await browser.close();
    }
  });
});
