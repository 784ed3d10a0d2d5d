// `npm run worker`: one run-engine worker process. Start as many as you like against one database.
import { startWorker } from "@/lib/runs/worker";
import { loadLocalEnv } from "@/lib/env";
import { log } from "@/lib/log";

await loadLocalEnv();

// A library promise rejected during a database outage must not take the whole worker (and every
// run it watches) down; log it. Leases and the sweeper recover whatever it interrupted.
process.on("unhandledRejection", (err) => {
  log.error("unhandled rejection in the worker (continuing)", { err: err instanceof Error ? err.stack : String(err) });
});

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
let worker = await startWithRetry();
let stopping = false;

// If the queue runner gives up (the database was unreachable for too long), start a fresh one
// instead of dying: runs in flight are resumed through their leases.
async function supervise(): Promise<void> {
  for (;;) {
    try {
      await worker.done;
      if (stopping) return;
    } catch (err) {
      if (stopping) return;
      log.error("queue runner stopped with an error; restarting the worker", { err: err instanceof Error ? err.message : String(err) });
    }
    await worker.stop().catch(() => {});
    worker = await startWithRetry();
  }
}
void supervise();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    log.info("worker stopping", { signal: sig });
    stopping = true;
    void worker.stop().finally(() => process.exit(0));
  });
}
