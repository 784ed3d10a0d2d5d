// `npm run dev`: the whole product on a fresh machine with no configuration — embedded PostgreSQL,
// migrations, seed, the sandbox ComfyUI on 127.0.0.1, the worker and Next.js on :3000.
// The sandbox, the worker and Next.js are supervised: one that dies is restarted (scripts/supervisor.ts).
// While it runs, FLOWGATE_DATA_DIR/dev.json says where (the CLI reads it to find this server).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadLocalEnv } from "@/lib/env";
import { prepareDatabase } from "./prepare-database";
import { DATA_DIR } from "@/lib/db/embedded";
import { closeDb } from "@/lib/db";
import { DEV_STATE_FILE } from "@/lib/dev-state";
import { Supervisor } from "./supervisor";

const PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.FLOWGATE_SANDBOX_PORT ?? 8188);
const APP_URL = `http://localhost:${PORT}`;
let stopping = false;
let sandboxUrl: string | undefined;

const supervisor = new Supervisor({
  label: "dev",
  onFatal: () => void shutdown(1),
  onStart: () => writeState(),
});

function start(name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  return supervisor.start(name, cmd, args, { env: { ...process.env, ...env } });
}

/** FLOWGATE_DATA_DIR/dev.json: this server's URL and processes, for the CLI (and tests). */
function writeState() {
  if (stopping) return;
  const state = { pid: process.pid, url: APP_URL, sandboxUrl, processes: supervisor.pids() };
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(path.join(DATA_DIR, DEV_STATE_FILE), JSON.stringify(state, null, 2) + "\n");
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

const pg = await loadLocalEnv();
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await supervisor.stop();
  fs.rmSync(path.join(DATA_DIR, DEV_STATE_FILE), { force: true });
  await closeDb().catch(() => {});
  if (pg.owned) await pg.stop().catch(() => {});
  // The browser tests' throw-away data directory (playwright.config.ts), never one outside the temp folder.
  if (process.env.FLOWGATE_DEV_REMOVE_DATA_DIR === "1" && path.dirname(DATA_DIR) === path.resolve(os.tmpdir())) {
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

await prepareDatabase(process.env.DATABASE_URL!);

sandboxUrl = process.env.FLOWGATE_SANDBOX_URL ?? `http://127.0.0.1:${SANDBOX_PORT}`;
if (!process.env.FLOWGATE_SANDBOX_URL && process.env.FLOWGATE_SANDBOX !== "0") {
  start("sandbox", process.execPath, ["--import", "tsx", "sandbox/cli.ts", "--port", String(SANDBOX_PORT), "--exec-ms", process.env.FLOWGATE_SANDBOX_EXEC_MS ?? "3000"]);
  await waitFor(`${sandboxUrl}/system_stats`, 30_000);
}

const { seed } = await import("../prisma/seed");
await seed({ sandboxUrl: sandboxUrl! });

const env = {
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? APP_URL,
  // The sandbox and self-hosted ComfyUI servers live on private addresses in local setups.
  FLOWGATE_ALLOW_PRIVATE_URLS: process.env.FLOWGATE_ALLOW_PRIVATE_URLS ?? "endpoint",
};
// The worker runs as the same esbuild bundle as in production (`npm run worker`).
// @ts-expect-error plain ESM script without types
const { buildWorker, WORKER_NODE_ARGS } = await import("./build-worker.mjs");
start("worker", process.execPath, [...WORKER_NODE_ARGS, await buildWorker()], env);
// The Next.js server knows each request's socket address (per-address rate limits: lib/security/client-ip.ts).
const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(path.resolve("scripts/peer-address.cjs"))}`.trim();
start("next", process.execPath, ["node_modules/next/dist/bin/next", "dev", "--port", String(PORT)], { ...env, NODE_OPTIONS: nodeOptions });
writeState();
console.log(`\n  Flowgate: ${APP_URL}   sandbox ComfyUI: ${sandboxUrl}\n`);
