// Benchmark of the graph editor at scale: uploads generated workflows of 1,000 and 2,000 nodes
// (bench/graph-workflow.ts) to a running Flowgate, opens each workflow page in Chromium and reads
// the editor's performance marks (fg:graph:data → fg:graph:rendered), then scripts wheel-zoom and
// drag-pan while counting frames with requestAnimationFrame (mean/p95/max frame time, dropped frames).
// Against a running server: npm run bench:graph -- [--url http://localhost:3000]; or, after
// `npm run build`, `--serve` starts the production build itself (embedded PostgreSQL, migrations,
// seed, `next start` on PORT). Flags: [--sizes 1000,2000] [--runs 3] [--json].
// Writes bench/results/graph.json.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { generateApiWorkflow } from "./graph-workflow";

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[i + 1] : "true") : undefined;
};
const JSON_OUT = argv.includes("--json");
const URL_BASE = flag("url") ?? process.env.FLOWGATE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const SIZES = (flag("sizes") ?? "1000,2000").split(",").map(Number);
const RUNS = Number(flag("runs") ?? 3);
const EMAIL = process.env.E2E_EMAIL ?? "admin@flowgate.local";
const PASSWORD = process.env.E2E_PASSWORD ?? process.env.FLOWGATE_ADMIN_PASSWORD ?? "e2e-admin-password";
const ROOT = path.resolve(import.meta.dirname, "..");

const SERVE = argv.includes("--serve");

const log = (msg: string) => !JSON_OUT && console.error(msg);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface FrameStats {
  frames: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  dropped: number;
  durationMs: number;
}

function frameStats(stamps: number[]): FrameStats {
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  const sorted = [...gaps].sort((a, b) => a - b);
  const frame = 1000 / 60;
  return {
    frames: gaps.length,
    meanMs: round(gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length)),
    p95Ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    // frames a 60 Hz display would have shown that never came
    dropped: gaps.reduce((a, g) => a + Math.max(0, Math.round(g / frame) - 1), 0),
    durationMs: round((stamps[stamps.length - 1] ?? 0) - (stamps[0] ?? 0), 0),
  };
}

async function recordFrames(page: Page, action: () => Promise<void>): Promise<FrameStats> {
  // a string, not a function: tsx's name helpers do not exist in the page
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (t) => {
      if (!window.__recording) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await action();
  const stamps = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames;
  });
  return frameStats(stamps);
}

async function wheel(page: Page, steps: number, dy: number) {
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(16);
  }
}

async function drag(page: Page, x: number, y: number, dx: number, dy: number, steps: number) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x + (dx * i) / steps, y + (dy * i) / steps);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** The production build on PORT, with just what the graph pages need (no worker, no sandbox). */
async function serveProduction(): Promise<{ stop: () => Promise<void> }> {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  process.env.FLOWGATE_ADMIN_PASSWORD ??= PASSWORD;
  const { loadLocalEnv } = await import("../lib/env");
  const { migrate } = await import("../lib/db/migrate");
  const { closeDb } = await import("../lib/db");
  const pg = await loadLocalEnv();
  await migrate(process.env.DATABASE_URL!);
  const { seed } = await import("../prisma/seed");
  await seed({ quiet: true });
  await closeDb();
  const port = new URL(URL_BASE).port || "3000";
  const next: ChildProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "--port", port], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXTAUTH_URL: URL_BASE },
  });
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${URL_BASE}/api/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {}
    if (Date.now() > until || next.exitCode !== null) throw new Error("`next start` did not come up");
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`production build on ${URL_BASE}`);
  return {
    stop: async () => {
      next.kill("SIGTERM");
      if (pg.owned) await pg.stop().catch(() => {});
    },
  };
}

async function main() {
  const server = SERVE ? await serveProduction() : null;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const context = await browser.newContext({ baseURL: URL_BASE, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto("/signin");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/workflows");

  const results = [];
  for (const size of SIZES) {
    const prompt = generateApiWorkflow(size);
    const res = await page.request.post("/api/v1/workflows", { data: { name: `Bench graph ${size} nodes`, workflow: prompt } });
    if (!res.ok()) throw new Error(`upload of ${size} nodes failed: ${res.status()} ${await res.text()}`);
    const wf = (await res.json()) as { id: string; version: { number: number } };
    const edges = Object.values(prompt).reduce((a, n) => a + Object.values(n.inputs).filter(Array.isArray).length, 0);
    log(`${size} nodes, ${edges} links: workflow ${wf.id}`);

    const renders: { renderMs: number; fromNavigationMs: number; domNodes: number }[] = [];
    let interaction: Record<string, FrameStats> = {};
    for (let r = 0; r < RUNS + 1; r++) {
      const p = await context.newPage();
      p.setDefaultTimeout(120_000);
      await p.goto(`/workflows/${wf.id}?v=${wf.version.number}`);
      await p.waitForFunction(() => performance.getEntriesByName("fg:graph:render").length > 0, undefined, { timeout: 120_000, polling: 50 });
      const m = await p.evaluate(() => {
        const measure = performance.getEntriesByName("fg:graph:render")[0];
        const rendered = performance.getEntriesByName("fg:graph:rendered")[0];
        return { renderMs: measure.duration, fromNavigationMs: rendered.startTime, domNodes: document.querySelectorAll(".react-flow__node").length };
      });
      // the first open compiles the page in `next dev` and warms caches: not counted
      if (r > 0) renders.push(m);
      log(`  open ${r === 0 ? "(warm-up)" : r}: data→rendered ${round(m.renderMs)} ms, navigation→rendered ${round(m.fromNavigationMs)} ms, ${m.domNodes} nodes in the DOM`);

      if (r === RUNS) {
        const pane = await p.locator(".react-flow__pane").boundingBox();
        if (!pane) throw new Error("no React Flow pane");
        const cx = pane.x + pane.width / 2;
        const cy = pane.y + pane.height / 2;
        await p.mouse.move(cx, cy);
        interaction = {
          zoomIn: await recordFrames(p, () => wheel(p, 30, -120)),
          panDetail: await recordFrames(p, () => drag(p, cx, cy, -400, -250, 40)),
          zoomOut: await recordFrames(p, () => wheel(p, 30, 120)),
          panOverview: await recordFrames(p, () => drag(p, cx, cy, 300, 200, 40)),
        };
        const zoom = await p.evaluate(() => {
          const t = (document.querySelector(".react-flow__viewport") as HTMLElement | null)?.style.transform ?? "";
          return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? NaN);
        });
        log(`  interaction (final zoom ${round(zoom, 3)}): ${JSON.stringify(interaction)}`);
      }
      await p.close();
    }
    const all = Object.values(interaction);
    results.push({
      nodes: size,
      links: edges,
      renderMs: { median: round(median(renders.map((x) => x.renderMs))), max: round(Math.max(...renders.map((x) => x.renderMs))) },
      navigationToRenderedMs: { median: round(median(renders.map((x) => x.fromNavigationMs))) },
      domNodesAtFit: renders[0]?.domNodes,
      interaction,
      worstP95FrameMs: Math.max(...all.map((s) => s.p95Ms)),
      droppedFrames: all.reduce((a, s) => a + s.dropped, 0),
      framesTotal: all.reduce((a, s) => a + s.frames, 0),
    });
  }
  await browser.close();
  await server?.stop();

  const out = {
    benchmark: "graph",
    at: new Date().toISOString(),
    url: URL_BASE,
    runs: RUNS,
    targets: { renderMs: 1000, p95FrameMs: 33 },
    server: SERVE ? "production build (next start)" : "as given by --url",
    note: "data→rendered = fg:graph:data (prompt reaches the editor) to fg:graph:rendered (laid out, installed, fitted and painted); Chromium headless, --disable-gpu, 2 shared cores",
    results,
  };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/graph.json"), JSON.stringify(out, null, 2) + "\n");
  if (JSON_OUT) console.log(JSON.stringify(out, null, 2));
  else
    for (const r of results)
      console.log(
        `${r.nodes} nodes: render ${r.renderMs.median} ms (navigation→rendered ${r.navigationToRenderedMs.median} ms), worst p95 frame ${r.worstP95FrameMs} ms, ${r.droppedFrames}/${r.framesTotal} frames dropped`,
      );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
