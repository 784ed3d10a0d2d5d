// The worker process: graphile-worker (Postgres job queue) drives run_dispatch jobs; a sweeper
// re-enqueues runs whose lease expired (a worker died), a health loop checks endpoints and a
// compaction loop folds the analytics rollup's old shard rows (lib/analytics/compact-rollups.ts).
// Any number of workers on any number of machines can share one database.
import os from "node:os";
import { Logger, run as runGraphile, runMigrations, type Runner } from "graphile-worker";
import { pool } from "@/lib/db";
import { log } from "@/lib/log";
import { beginDispatch, hasActiveAttempt } from "./engine";
import { DISPATCH_TASK } from "./create-run";
import { checkEndpointHealth } from "@/lib/endpoints/health";
import { WEBHOOK_TASK, deliverWebhook } from "@/lib/webhooks/deliver-webhook";
import { systemCtx } from "@/lib/context";
import { dispatchJobSql } from "@/lib/queue/add-job";
import { evaluateAlerts } from "@/lib/oncall/evaluate-alerts";
import { db } from "@/lib/db";
import { syncProviderBills } from "@/lib/analytics/sync-provider-bills";
import { compactRollups } from "@/lib/analytics/compact-rollups";

/** Hourly: fetch the last 48 hours of provider bills (cost truth). FLOWGATE_BILLS_CRON overrides the schedule; "off" disables it. */
export const BILLS_TASK = "provider_bills_sync";
const billsCron = () => process.env.FLOWGATE_BILLS_CRON ?? "7 * * * *";

export interface WorkerHandle {
  workerId: string;
  /** Runs this worker is driving right now. */
  inFlight(): number;
  /** Settles when the queue runner stops; rejects when it gave up (e.g. the database was gone too long). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function installQueueSchema(connectionString: string) {
  await runMigrations({ connectionString, logger: quietLogger() });
}

function quietLogger() {
  // graphile-worker's Logger takes a factory; route its messages through our structured log.
  return new Logger(() => (level: string, message: string) => {
    // The small runner pools above are deliberate (see startWorker): not worth a warning per start.
    if (message.includes("having maxPoolSize")) return;
    if (level === "error") log.error(`queue: ${message}`);
    else if (level === "warning") log.warn(`queue: ${message}`);
  });
}

export async function startWorker(opts: { connectionString?: string; concurrency?: number; maxRuns?: number; workerId?: string; sweepMs?: number; healthMs?: number } = {}): Promise<WorkerHandle> {
  const connectionString = opts.connectionString ?? process.env.DATABASE_URL!;
  const workerId = opts.workerId ?? `w_${os.hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const abort = new AbortController();
  const driving = new Map<string, Promise<void>>();
  const maxRuns = opts.maxRuns ?? Number(process.env.FLOWGATE_WORKER_MAX_RUNS ?? 10_000);
  // Two queue runners with their own slots: a runner only takes jobs of the tasks it knows, so slow
  // or dead webhook receivers can never hold the slots that start runs.
  // Each queue runner's own pool stays small: with the local queue a runner needs a connection for
  // its LISTEN, one fetch at a time and its batched completions, not one per slot. A worker process
  // then holds about FLOWGATE_DB_POOL × 2 + 2 × FLOWGATE_QUEUE_POOL connections (pg + Prisma + the
  // two runners), so more worker processes fit under one server's max_connections.
  const common = { connectionString, noHandleSignals: true, pollInterval: 1000, logger: quietLogger(), maxPoolSize: Number(process.env.FLOWGATE_QUEUE_POOL ?? 4) };
  // This runner also takes the hourly bill sync (graphile cron: one run per schedule tick across all workers).
  const webhooks: Runner = await runGraphile({
    ...common,
    concurrency: Number(process.env.FLOWGATE_WEBHOOK_CONCURRENCY ?? 10),
    ...(billsCron() !== "off" ? { crontab: `${billsCron()} ${BILLS_TASK} ?max=1` } : {}),
    taskList: {
      [BILLS_TASK]: async () => {
        const r = await syncProviderBills({ ctx: systemCtx(), input: {} });
        for (const e of r.endpoints) if (e.status === "failed") log.warn("provider bill sync failed", { endpointId: e.endpointId, code: e.error?.code, message: e.error?.message });
      },
      [WEBHOOK_TASK]: async (payload) => {
        const deliveryId = (payload as { deliveryId?: string })?.deliveryId;
        if (typeof deliveryId === "string") await deliverWebhook({ ctx: systemCtx(), input: { deliveryId } });
      },
    },
  });
  // A burst of queued runs is picked up in batches: the pool locks up to `pickup` dispatch jobs in
  // one query and hands them to its slots locally (each job only takes the run's lease, and the
  // lease requests of one tick share one statement); completions are batched the same way. A
  // worker that dies with jobs in its local queue leaves them locked, but never its runs: the
  // sweeper re-queues any run nobody holds a lease on.
  const pickup = Number(process.env.FLOWGATE_WORKER_PICKUP_BATCH ?? 100);
  const runner: Runner = await runGraphile({
    ...common,
    preset: { worker: { ...(pickup > 1 ? { localQueue: { size: pickup } } : {}), completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    // Queue slots only start runs; runs in flight are bounded by maxRuns.
    concurrency: opts.concurrency ?? Number(process.env.FLOWGATE_WORKER_CONCURRENCY ?? 10),
    taskList: {
      [DISPATCH_TASK]: async (payload) => {
        const runId = (payload as { runId?: string })?.runId;
        if (typeof runId !== "string" || driving.has(runId)) return;
        // The job only hands the run over: it ends once the lease is ours, and the run is driven
        // in the background, so a worker holds thousands of runs without a queue slot each.
        while (driving.size >= maxRuns) await Promise.race(driving.values());
        if (driving.has(runId)) return;
        // Claimed here before any await, so two jobs for one run never drive it twice in this process.
        const claim = beginDispatch(runId, { workerId, signal: abort.signal });
        const settled = claim
          .then((run) => run?.done)
          .catch(() => {})
          .finally(() => driving.delete(runId));
        driving.set(runId, settled);
        await claim; // a failure to take the lease (database down) fails the job: graphile-worker retries it
      },
    },
  });

  const sweepMs = opts.sweepMs ?? Number(process.env.FLOWGATE_SWEEP_MS ?? 5000);
  const sweeper = setInterval(() => void sweep().catch((err) => log.warn("sweep failed", { err: String(err) })), sweepMs);
  const healthMs = opts.healthMs ?? Number(process.env.FLOWGATE_HEALTH_MS ?? 30_000);
  const health = healthMs > 0 ? setInterval(() => void checkAll().catch(() => {}), healthMs) : null;
  // Any number of workers may run it: one pass at a time holds the lock, the others skip.
  const compactMs = Number(process.env.FLOWGATE_ROLLUP_COMPACT_MS ?? 300_000);
  const compact = compactMs > 0 ? setInterval(() => void compactRollups({ ctx: systemCtx(), input: {} }).catch((err) => log.warn("rollup compaction failed", { err: String(err) })), compactMs) : null;
  log.info("worker started", { workerId });

  return {
    workerId,
    inFlight: () => driving.size,
    done: Promise.all([runner.promise, webhooks.promise]).then(() => {}),
    async stop() {
      clearInterval(sweeper);
      if (health) clearInterval(health);
      if (compact) clearInterval(compact);
      abort.abort();
      await Promise.all([runner.stop().catch(() => {}), webhooks.stop().catch(() => {})]);
      // Each run releases its lease and re-queues itself for another worker on the way out.
      await Promise.allSettled([...driving.values()]);
    },
  };
}

/** Re-enqueue non-terminal runs nobody is driving (lease expired or never taken after a crash). */
export async function sweep() {
  await pool().query(
    `SELECT ${dispatchJobSql("$1", "r.id")}
     FROM "Run" r
     WHERE (r.status NOT IN ('succeeded','failed','canceled','timed_out') OR ${hasActiveAttempt("r.id")})
       AND ("leaseExpiresAt" < now() OR ("leaseOwner" IS NULL AND r."createdAt" < now() - interval '15 seconds'))
       AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = r.id AND j.locked_at IS NULL)
     LIMIT 500`,
    [DISPATCH_TASK],
  );
}

let checking = false;
async function checkAll() {
  // A round may outlast the interval (re-checks while starved widen timeouts): never two at once.
  if (checking) return;
  checking = true;
  try {
    await checkRound();
  } finally {
    checking = false;
  }
}

async function checkRound() {
  const endpoints = await db().endpoint.findMany({ where: { disabled: false } });
  await Promise.all(endpoints.map((ep) => checkEndpointHealth(ep)));
  // Alerts read the checks just stored (endpoint down / recovered, stuck runs, failure rate).
  await evaluateAlerts(systemCtx(), { appUrl: process.env.NEXTAUTH_URL }).catch((err) => log.warn("alert evaluation failed", { err: String(err) }));
}
