// `npm start` (after `npm run build`): production. Requires DATABASE_URL, NEXTAUTH_SECRET and
// FLOWGATE_SECRET_KEY; applies migrations, then runs the worker and `next start`, each supervised:
// one that dies is restarted with backoff (scripts/supervisor.ts); only a failure on first start
// (e.g. the port is taken) stops both.
import path from "node:path";
import { loadLocalSecrets } from "@/lib/env";
import { prepareDatabase } from "./prepare-database";
import { closeDb } from "@/lib/db";
import { Supervisor } from "./supervisor";
// @ts-expect-error plain ESM script without types
import { buildWorker, WORKER_NODE_ARGS } from "./build-worker.mjs";

(process.env as Record<string, string>).NODE_ENV = "production";
loadLocalSecrets();
await prepareDatabase(process.env.DATABASE_URL!);
await closeDb();
const workerBundle: string = await buildWorker();

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await supervisor.stop();
  process.exit(code);
}
const supervisor = new Supervisor({ label: "start", onFatal: () => void shutdown(1) });
supervisor.start("worker", process.execPath, [...(WORKER_NODE_ARGS as string[]), workerBundle]);
// --require: each request gets its socket's address (per-address rate limits: lib/security/client-ip.ts).
supervisor.start("next", process.execPath, ["--require", path.resolve("scripts/peer-address.cjs"), "node_modules/next/dist/bin/next", "start", "--port", process.env.PORT ?? "3000"]);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void shutdown(0));
