// `npm run worker`: one run-engine worker process. Start as many as you like against one database.
import { startWorker } from "@/lib/runs/worker";
import { loadLocalEnv } from "@/lib/env";
import { log } from "@/lib/log";

await loadLocalEnv();

// The database may still be starting (a fresh container, a restart): keep trying for a while.
async function startWithRetry() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWorker();
    } catch (err) {
      if (attempt >= 30) throw err;
      log.warn("worker could not start yet; retrying", { attempt, err: err instanceof Error ? err.message : String(err) });
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5000)));
    }
  }
}
const worker = await startWithRetry();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    log.info("worker stopping", { signal: sig });
    void worker.stop().finally(() => process.exit(0));
  });
}
