// `npm start` (after `npm run build`): production. Requires DATABASE_URL, NEXTAUTH_SECRET and
// FLOWGATE_SECRET_KEY; applies migrations, then runs the worker and `next start`.
import path from "node:path";
import { spawn } from "node:child_process";
import { loadLocalSecrets } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { sealLegacyEndpointCredentials } from "@/lib/endpoints/credentials";
import { closeDb } from "@/lib/db";
// @ts-expect-error plain ESM script without types
import { buildWorker, WORKER_NODE_ARGS } from "./build-worker.mjs";

(process.env as Record<string, string>).NODE_ENV = "production";
loadLocalSecrets();
await migrate(process.env.DATABASE_URL!);
await installQueueSchema(process.env.DATABASE_URL!);
// Data migration: endpoint header values / URL credentials stored in clear before they were secrets.
await sealLegacyEndpointCredentials();
await closeDb();
const workerBundle: string = await buildWorker();
const procs = [
  spawn(process.execPath, [...(WORKER_NODE_ARGS as string[]), workerBundle], { stdio: "inherit" }),
  // --require: each request gets its socket's address (per-address rate limits: lib/security/client-ip.ts).
  spawn(process.execPath, ["--require", path.resolve("scripts/peer-address.cjs"), "node_modules/next/dist/bin/next", "start", "--port", process.env.PORT ?? "3000"], { stdio: "inherit" }),
];
for (const p of procs) p.on("exit", (code) => { for (const q of procs) q.kill("SIGTERM"); process.exit(code ?? 1); });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => procs.forEach((p) => p.kill(sig)));
