// `npm start` (after `npm run build`): production. Requires DATABASE_URL, NEXTAUTH_SECRET and
// FLOWGATE_SECRET_KEY; applies migrations, then runs the worker and `next start`, each supervised:
// one that dies is restarted with backoff (scripts/supervisor.ts); only a failure on first start
// (e.g. the port is taken) stops both.
import { loadLocalSecrets } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { installQueueSchema } from "@/lib/runs/worker";
import { Supervisor } from "./supervisor";
// @ts-expect-error plain ESM script without types
import { buildWorker, WORKER_NODE_ARGS } from "./build-worker.mjs";

(process.env as Record<string, string>).NODE_ENV = "production";
loadLocalSecrets();
await migrate(process.env.DATABASE_URL!);
await installQueueSchema(process.env.DATABASE_URL!);
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
supervisor.start("next", process.execPath, ["node_modules/next/dist/bin/next", "start", "--port", process.env.PORT ?? "3000"]);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void shutdown(0));
