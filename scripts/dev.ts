// `npm run dev`: the whole product on a fresh machine with no configuration — embedded PostgreSQL,
// migrations, seed, the sandbox ComfyUI on 127.0.0.1, the worker and Next.js on :3000.
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { loadLocalEnv } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { closeDb } from "@/lib/db";

const PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.FLOWGATE_SANDBOX_PORT ?? 8188);
const children: ChildProcess[] = [];
let stopping = false;

function start(name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping everything.`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
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
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  await closeDb().catch(() => {});
  if (pg.owned) await pg.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

await migrate(process.env.DATABASE_URL!);
await installQueueSchema(process.env.DATABASE_URL!);

const sandboxUrl = process.env.FLOWGATE_SANDBOX_URL ?? `http://127.0.0.1:${SANDBOX_PORT}`;
if (!process.env.FLOWGATE_SANDBOX_URL && process.env.FLOWGATE_SANDBOX !== "0") {
  start("sandbox", process.execPath, ["--import", "tsx", "sandbox/cli.ts", "--port", String(SANDBOX_PORT), "--exec-ms", process.env.FLOWGATE_SANDBOX_EXEC_MS ?? "3000"]);
  await waitFor(`${sandboxUrl}/system_stats`, 30_000);
}

const { seed } = await import("../prisma/seed");
await seed({ sandboxUrl });

const env = {
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${PORT}`,
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
console.log(`\n  Flowgate: http://localhost:${PORT}   sandbox ComfyUI: ${sandboxUrl}\n`);
