// `npm run worker`: one run-engine worker process. Start as many as you like against one database.
import { startWorker } from "@/lib/runs/worker";
import { loadLocalEnv } from "@/lib/env";
import { log } from "@/lib/log";

await loadLocalEnv();
const worker = await startWorker();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    log.info("worker stopping", { signal: sig });
    void worker.stop().finally(() => process.exit(0));
  });
}
