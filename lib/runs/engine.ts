// The run engine: drives one run from queued to a terminal status. It holds a lease on the run
// (heartbeated), so a worker that dies leaves a lease that expires and another worker resumes the
// same provider job instead of submitting again. Only the adapter's error class is read here:
// retryable/lost → a new attempt (backoff, failover by priority), final → the run fails.
import { db, pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { applyInputs, type ApiPrompt } from "@/lib/workflow";
import { getProvider } from "@/lib/providers/registry";
import { httpRequest } from "@/lib/providers/http";
import { ProviderError, type ProviderOutput, type ProviderStatus, type InputImage } from "@/lib/providers/types";
import { toTarget } from "@/lib/endpoints/target";
import { storage } from "@/lib/storage";
import { attemptCostUsd } from "@/lib/cost";
import { slotFromRow } from "@/lib/deployments/serialize";
import { recordEvent, transition, type TransitionPatch } from "./events";
import { withTx } from "./engine/tx";
import { crashPoint, SimulatedCrash } from "./engine/faults";
import { subscribeRun } from "./listen";
import { isTerminal } from "./status";
import { openCircuits } from "./circuit";
import { enqueueDispatch } from "./create-run";
import { providerWebhookUrl } from "./provider-webhook";
import type { Endpoint, RunAttempt } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";

export const LEASE_MS = Number(process.env.FLOWGATE_LEASE_MS ?? 30_000);
const POLL_MS = Number(process.env.FLOWGATE_POLL_MS ?? 1000);
/** While nothing changes (a run waiting in a provider queue), polls back off up to this interval. */
/** Without a NOTIFY, the run's own status is still re-read this often (a missed notification). */
const STATUS_RECHECK_MS = Number(process.env.FLOWGATE_STATUS_RECHECK_MS ?? 5000);
const MAX_POLL_MS = Number(process.env.FLOWGATE_MAX_POLL_MS ?? Math.max(POLL_MS, 5000));
const MAX_STATUS_FAILURES = Number(process.env.FLOWGATE_MAX_STATUS_FAILURES ?? 5);
/** Largest output Flowgate downloads and stores (read at use). */
const maxOutputBytes = () => Number(process.env.FLOWGATE_MAX_OUTPUT_BYTES ?? 512 * 1024 * 1024);

/** HTTP answers that mean the provider refused a request before doing any of it. */
const REFUSED_STATUSES = new Set([429, 502, 503]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Wait up to `ms`; true (early) when the run reached a terminal status, false otherwise. */
async function pause(runId: string, ms: number, signal?: AbortSignal): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && !signal?.aborted) {
    const woke = await new Promise<boolean>((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        resolve(v);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, until - Date.now()));
      const unsubscribe = subscribeRun(runId, () => done(true));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (!woke) return false;
    // Our own writes notify too: only an ended run is worth waking up early for.
    const r = await pool().query<{ status: string }>(`SELECT status FROM "Run" WHERE id = $1`, [runId]);
    if (!r.rows[0] || isTerminal(r.rows[0].status as Loaded["status"])) return true;
  }
  return false;
}

export interface EngineContext {
  workerId: string;
  /** Tests and the worker's shutdown use this to stop driving (the lease then expires). */
  signal?: AbortSignal;
}

/** SQL: the run (`runRef`, e.g. `"Run".id`) has a live attempt. A run that ended (cancel, timeout)
 *  while its attempt was live still needs a worker to stop that attempt. */
export const hasActiveAttempt = (runRef: string) =>
  `EXISTS (SELECT 1 FROM "RunAttempt" a WHERE a."runId" = ${runRef} AND a.status IN ('pending','submitted','running'))`;

async function acquireLease(runId: string, workerId: string): Promise<boolean> {
  const r = await pool().query(
    `UPDATE "Run" SET "leaseOwner" = $2, "leaseExpiresAt" = now() + ($3 || ' milliseconds')::interval
     WHERE id = $1 AND (status NOT IN ('succeeded','failed','canceled','timed_out') OR ${hasActiveAttempt('"Run".id')})
       AND ("leaseOwner" IS NULL OR "leaseOwner" = $2 OR "leaseExpiresAt" < now())
     RETURNING id`,
    [runId, workerId, String(LEASE_MS)],
  );
  return (r.rowCount ?? 0) > 0;
}

async function releaseLease(runId: string, workerId: string) {
  await pool().query(`UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE id = $1 AND "leaseOwner" = $2`, [runId, workerId]);
}

/**
 * One heartbeat per worker for every lease it holds: a single UPDATE renews them all, and a run
 * missing from its result has lost its lease (another worker took over after a stall).
 */
class LeaseKeeper {
  private held = new Map<string, { lost: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  constructor(private workerId: string) {}

  hold(runId: string): { lost: () => boolean; release: () => void } {
    const entry = { lost: false };
    this.held.set(runId, entry);
    this.timer ??= setInterval(() => void this.renew().catch(() => {}), Math.max(1000, LEASE_MS / 3));
    return {
      lost: () => entry.lost,
      release: () => {
        if (this.held.get(runId) === entry) this.held.delete(runId);
        if (!this.held.size && this.timer) (clearInterval(this.timer), (this.timer = null));
      },
    };
  }

  private async renew() {
    const ids = [...this.held.keys()];
    if (!ids.length) return;
    const r = await pool().query<{ id: string }>(
      `UPDATE "Run" SET "leaseExpiresAt" = now() + ($3 || ' milliseconds')::interval WHERE id = ANY($1) AND "leaseOwner" = $2 RETURNING id`,
      [ids, this.workerId, String(LEASE_MS)],
    );
    const renewed = new Set(r.rows.map((x) => x.id));
    for (const id of ids) if (!renewed.has(id)) { const e = this.held.get(id); if (e) e.lost = true; }
  }
}
const keepers = new Map<string, LeaseKeeper>();

/** Drive a run to a terminal status (or until the lease is lost / the context is aborted). */
export async function dispatchRun(runId: string, ctx: EngineContext): Promise<void> {
  const driving = await beginDispatch(runId, ctx);
  await driving?.done;
}

/**
 * Take the run's lease, then drive it in the background: `done` settles when the run is terminal (or the lease is lost / the context aborted). Null when another worker holds it.
 * A worker holds thousands of runs this way without a queue slot or a timer per run.
 */
export async function beginDispatch(runId: string, ctx: EngineContext): Promise<{ done: Promise<void> } | null> {
  if (!(await acquireLease(runId, ctx.workerId))) return null;
  let keeper = keepers.get(ctx.workerId);
  if (!keeper) keepers.set(ctx.workerId, (keeper = new LeaseKeeper(ctx.workerId)));
  const lease = keeper.hold(runId);
  let crashed = false;
  const done = (async () => {
    try {
      await drive(runId, ctx, lease.lost);
    } catch (err) {
      if (err instanceof SimulatedCrash) {
        // A dead process releases nothing: the lease stays until it expires.
        crashed = true;
        lease.release();
        return;
      }
      log.error("run engine crashed on a run; the lease will expire and another pass resumes it", { runId, err: err instanceof Error ? err.stack : String(err) });
      throw err;
    } finally {
      if (crashed) return;
      lease.release();
      await releaseLease(runId, ctx.workerId).catch(() => {});
      // A worker shutting down hands its runs straight to the others instead of waiting for the sweeper.
      if (ctx.signal?.aborted) {
        await enqueueDispatch(runId).catch(() => {});
      }
    }
  })();
  return { done };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadRun>>>;

/** A run with its attempts, and its deployment (shared, read-only: see `loadDeployment`). */
async function loadRun(runId: string) {
  const run = await db().run.findUnique({ where: { id: runId }, include: { attempts: { orderBy: { number: "asc" } } } });
  if (!run) return null;
  return { ...run, deployment: await loadDeployment(run.deploymentId) };
}

function fetchDeployment(id: string) {
  return db().deployment.findUniqueOrThrow({
    where: { id },
    include: { slots: { orderBy: { position: "asc" } }, targets: { include: { endpoint: true }, orderBy: { priority: "asc" } } },
  });
}
type LoadedDeployment = Awaited<ReturnType<typeof fetchDeployment>>;

/**
 * Deployments (slots, targets, endpoints) are shared by every run of the deployment this worker
 * drives and re-read at most every DEPLOYMENT_TTL_MS: thousands of runs in flight hold one copy,
 * and a disabled endpoint or a new target reaches the engine within that time.
 */
const DEPLOYMENT_TTL_MS = Number(process.env.FLOWGATE_DEPLOYMENT_CACHE_MS ?? 2000);
const deployments = new Map<string, { at: number; value: Promise<LoadedDeployment> }>();
function loadDeployment(id: string): Promise<LoadedDeployment> {
  const now = Date.now();
  const hit = deployments.get(id);
  if (hit && now - hit.at < DEPLOYMENT_TTL_MS) return hit.value;
  for (const [k, v] of deployments) if (now - v.at >= DEPLOYMENT_TTL_MS) deployments.delete(k);
  const value = fetchDeployment(id);
  deployments.set(id, { at: now, value });
  value.catch(() => deployments.delete(id));
  return value;
}

/** Attempt statuses that may still change: every write that ends an attempt is conditional on one. */
const LIVE = ["pending", "submitted", "running"] as const satisfies readonly RunAttempt["status"][];
const ACTIVE = new Set<string>(LIVE);

async function drive(runId: string, ctx: EngineContext, leaseLost: () => boolean) {
  const l = log.child({ runId, worker: ctx.workerId });
  const statusFailures = new Map<string, number>();
  /** Per attempt: the last thing the provider said, and when it last changed. */
  const lifeSigns = new Map<string, { sig: string | undefined; at: number }>();
  let lastProgressAt = 0;
  // The full run (deployment, targets, prompt) is loaded after anything that changes attempts; a
  // plain poll tick only refreshes the run's own status and progress, one small query.
  let cached: Loaded | null = null;
  let dirty = true;
  let pollMs = POLL_MS;
  let queueMoved = false;
  let woken = false;
  let statusReadAt = 0;
  for (;;) {
    if (ctx.signal?.aborted || leaseLost()) return;
    let run: Loaded | null;
    if (dirty || !cached) {
      run = cached = await loadRun(runId);
      statusReadAt = Date.now();
    } else if (!woken && Date.now() - statusReadAt < STATUS_RECHECK_MS) {
      // Nothing said the run changed (a cancel or another worker's finish NOTIFYs and wakes us).
      run = cached;
    } else {
      statusReadAt = Date.now();
      const r = await pool().query<{ status: Loaded["status"]; progress: Loaded["progress"] }>(`SELECT status, progress FROM "Run" WHERE id = $1`, [runId]);
      if (!r.rows[0]) return;
      run = cached;
      run.status = r.rows[0].status;
      run.progress = r.rows[0].progress;
      // Ended meanwhile (cancel, or another worker finished it): act on fresh attempts, not cached ones.
      if (isTerminal(run.status)) run = cached = await loadRun(runId);
    }
    dirty = true;
    if (!run) return;
    const active = run.attempts.filter((a) => ACTIVE.has(a.status));
    const endpoints = new Map<string, Endpoint>();
    for (const a of active) {
      const ep = run.deployment.targets.find((t) => t.endpointId === a.endpointId)?.endpoint ?? (await db().endpoint.findUnique({ where: { id: a.endpointId } }));
      if (!ep) throw new Error(`attempt ${a.id} points at a missing endpoint`);
      endpoints.set(a.id, ep);
    }
    const stopAll = async (status: "canceled" | "timed_out") => {
      await Promise.all(active.map((a) => stopAttempt(run, a, endpoints.get(a.id)!, status)));
    };

    if (isTerminal(run.status)) {
      await stopAll(run.status === "timed_out" ? "timed_out" : "canceled");
      return;
    }
    const won = run.attempts.find((a) => a.status === "succeeded");
    if (won) {
      // The outputs were stored and the attempt recorded, but the driver stopped before the run's
      // own status moved (a crash, the database going away): finish that step, nothing else.
      await Promise.all(active.map((a) => stopAttempt(run, a, endpoints.get(a.id)!, "canceled", { code: "hedge_lost", message: `Attempt ${won.number} had already succeeded; this one was cancelled at the provider.` })));
      await transition(runId, "succeeded", { finishedAt: true, startedAt: true, progress: null }, { attempt: won.number, recovered: true });
      return;
    }
    const deadline = run.createdAt.getTime() + run.deployment.timeoutSeconds * 1000;
    if (Date.now() >= deadline) {
      await stopAll("timed_out");
      await transition(runId, "timed_out", {
        finishedAt: true,
        progress: null,
        error: waitingForTarget(run) && !active.length
          ? {
              code: "no_target",
              message: `No target endpoint of this deployment was enabled within its timeout of ${run.deployment.timeoutSeconds} s (${drainedTargets(run)} drained), so the run never started. Enable one on the Endpoints page, then retry the run.`,
            }
          : { code: "timed_out", message: `The run did not finish within the deployment's timeout of ${run.deployment.timeoutSeconds} s; it was cancelled at the provider.` },
      });
      l.warn("run timed out");
      return;
    }

    if (!active.length) {
      const done = await startAttempt(run, ctx, deadline, l);
      if (done === "stop") return;
      // A clean submit updated the cached run itself; anything else reloads it.
      if (done === "submitted") dirty = false;
      continue;
    }

    const pending = active.find((a) => a.status === "pending");
    if (pending) {
      // A worker died between recording the attempt and the provider accepting it.
      await resumePendingAttempt(run, pending, endpoints.get(pending.id)!, l);
      continue;
    }

    // Poll every live attempt: usually one, two while a hedge races the attempt it hedges.
    const polled = await Promise.all(
      active.map(async (a) => {
        const ep = endpoints.get(a.id)!;
        try {
          const st = await getProvider(ep.provider).status(toTarget(ep), a.providerJobId!);
          statusFailures.delete(a.id);
          return { a, ep, st };
        } catch (err) {
          return { a, ep, err: asProviderError(err) };
        }
      }),
    );

    // A success wins the race: store it, then cancel the loser.
    const win = polled.find((p) => p.st?.state === "succeeded");
    if (win) {
      const done = await completeAttempt(run, win.a, win.ep, win.st as Extract<ProviderStatus, { state: "succeeded" }>, l);
      if (done) {
        for (const p of polled) if (p !== win) await stopAttempt(run, p.a, p.ep, "canceled", { code: "hedge_lost", message: `Attempt ${win.a.number} finished first; this one was cancelled at the provider.` });
        return;
      }
      continue;
    }

    let ended = false;
    for (const p of polled) {
      if (p.err) {
        const n = (statusFailures.get(p.a.id) ?? 0) + 1;
        statusFailures.set(p.a.id, n);
        if (p.err.errorClass === "final" || n >= MAX_STATUS_FAILURES) {
          await finishAttemptWithError(run, p.a, p.ep, p.err, l);
          ended = true;
        }
      } else if (p.st!.state === "failed") {
        await finishAttemptWithError(run, p.a, p.ep, p.st!.error, l);
        ended = true;
      } else if (p.st!.state === "canceled") {
        await finishAttemptWithError(run, p.a, p.ep, new ProviderError("lost", "canceled_at_provider", "The provider reports the job was cancelled, but Flowgate did not cancel it."), l);
        ended = true;
      }
    }
    // An attempt ended: reload (the run may have failed for good; a hedge may still be racing).
    if (ended) continue;

    type Live = (typeof polled)[number] & { st: Extract<ProviderStatus, { state: "queued" | "running" }> };
    const live = polled.filter((p): p is Live => !!p.st && (p.st.state === "queued" || p.st.state === "running"));
    const now = Date.now();
    for (const p of polled) {
      // Any change in what the provider says is a sign of life; silence (or errors) is not.
      const sig = p.st?.state === "queued" ? JSON.stringify([p.st.state, p.st.queuePosition]) : p.st?.state === "running" ? JSON.stringify([p.st.state, p.st.progress]) : undefined;
      const seen = lifeSigns.get(p.a.id);
      if (!seen) lifeSigns.set(p.a.id, { sig, at: (p.a.submittedAt ?? p.a.createdAt).getTime() });
      else if (sig !== undefined && sig !== seen.sig) lifeSigns.set(p.a.id, { sig, at: now });
    }

    // Two racing and one has started: the one still queued lost the race to a GPU.
    const started = live.find((p) => p.st.state === "running");
    if (started && live.length > 1) {
      for (const p of live) if (p !== started && p.st.state === "queued") await stopAttempt(run, p.a, p.ep, "canceled", { code: "hedge_lost", message: `Attempt ${started.a.number} started first on another endpoint; this one was cancelled while still queued.` });
      continue;
    }

    // The attempt to report on: the one running, else the newest.
    const lead = started ?? polled.filter((p) => p.st).at(-1);
    if (lead?.st?.state === "queued") {
      const queued = { value: 0, max: 1, nodeId: null, queuePosition: lead.st.queuePosition ?? null };
      queueMoved = JSON.stringify(queued) !== JSON.stringify(run.progress);
      if (queueMoved) {
        await pool().query(`UPDATE "Run" SET progress = $2::jsonb WHERE id = $1 AND status NOT IN ('succeeded','failed','canceled','timed_out')`, [runId, JSON.stringify(queued)]);
        run.progress = queued;
      }
    } else if (lead?.st?.state === "running") {
      const { a, st } = lead as Live & { st: Extract<ProviderStatus, { state: "running" }> };
      if (a.status !== "running") {
        const startedAt = new Date();
        await db().runAttempt.updateMany({ where: { id: a.id, status: { in: ["submitted", "running"] } }, data: { status: "running", startedAt, coldStartMs: st.coldStartMs ?? undefined } });
        Object.assign(a, { status: "running", startedAt, coldStartMs: st.coldStartMs ?? a.coldStartMs });
        crashPoint("attempt.running", runId);
      }
      const progress = st.progress ? { value: st.progress.value, max: st.progress.max, nodeId: st.progress.nodeId ?? null, fraction: st.progress.fraction } : null;
      if (run.status !== "running") {
        if (await transition(runId, "running", { startedAt: true, progress }, { attempt: a.number })) run.status = "running";
        lastProgressAt = Date.now();
      } else if (progress && Date.now() - lastProgressAt >= 400 && JSON.stringify(progress) !== JSON.stringify(run.progress)) {
        await pool().query(`UPDATE "Run" SET progress = $2::jsonb WHERE id = $1 AND status = 'running'`, [runId, JSON.stringify(progress)]);
        await recordEvent(runId, "progress", progress);
        run.progress = progress;
        lastProgressAt = Date.now();
      }
    }

    // Hedge: the only live attempt shows no sign of life (stuck in a queue, no progress while
    // running, or its provider unreachable) for the deployment's stuck threshold: race a second
    // attempt on another healthy target. The first to finish wins; the other is cancelled.
    const stuckMs = run.deployment.stuckAfterSeconds * 1000;
    if (active.length === 1) {
      const only = polled[0];
      const quiet = now - (lifeSigns.get(only.a.id)?.at ?? now);
      const providerSaysStuck = only.st?.state === "queued" && only.st.stuck === true;
      if ((providerSaysStuck || quiet >= stuckMs) && attemptsLeft(run)) {
        const reason = only.st?.state === "queued" ? "stuck_in_queue" : only.st ? "no_progress" : "unreachable";
        const hedge = await startAttempt(run, ctx, deadline, l, { hedgeOf: only.a, reason });
        if (hedge !== "no_target") {
          statusFailures.clear();
          if (hedge === "submitted") dirty = false;
          continue;
        }
      }
    }

    dirty = false; // a plain poll tick: nothing about the attempts changed
    // Polls back off while a run only waits in a provider queue, but never past the moment it
    // would count as stuck; a NOTIFY for the run (cancel, another worker) cuts the wait short.
    const waiting = lead?.st?.state === "queued" && !queueMoved;
    pollMs = waiting ? Math.min(MAX_POLL_MS, Math.round(pollMs * 1.5)) : polled.some((p) => p.err) ? Math.min(POLL_MS * 2 ** (Math.max(...statusFailures.values(), 0)), 5000) : POLL_MS;
    const quietest = Math.min(...polled.map((p) => lifeSigns.get(p.a.id)?.at ?? now));
    const hedgeAt = quietest + stuckMs;
    woken = await pause(runId, Math.min(pollMs, deadline - Date.now(), hedgeAt > Date.now() ? hedgeAt - Date.now() + 10 : Infinity), ctx.signal);
  }
}

function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError("retryable", "provider_call_failed", err instanceof Error ? err.message : String(err), { cause: err });
}

/** Choose the target for the next attempt: by priority, skipping disabled endpoints and failing over
 *  away from endpoints this run already failed on while an untried one remains. */
async function pickTarget(run: Loaded, exclude: Set<string> = new Set()): Promise<Endpoint | null> {
  const enabled = run.deployment.targets.filter((t) => !t.endpoint.disabled && !exclude.has(t.endpointId));
  if (!enabled.length) return null;
  const failures = new Map<string, number>();
  for (const a of run.attempts) failures.set(a.endpointId, (failures.get(a.endpointId) ?? 0) + 1);
  // Open circuits go last (never excluded: a run with only broken targets still tries one).
  const open = enabled.length > 1 ? await openCircuits(enabled.map((t) => t.endpointId)) : new Set<string>();
  const rank = (t: (typeof enabled)[number]) => [open.has(t.endpointId) ? 1 : 0, failures.get(t.endpointId) ?? 0, t.priority];
  const sorted = [...enabled].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return sorted[0].endpoint;
}

/** How often a run waiting for an enabled target looks again (the deployment cache refreshes every 2 s). */
const TARGET_RECHECK_MS = Number(process.env.FLOWGATE_TARGET_RECHECK_MS ?? 2000);

const waitingForTarget = (run: Loaded) => (run.progress as { waitingFor?: string } | null)?.waitingFor === "enabled_target";
const drainedTargets = (run: Loaded) => run.deployment.targets.map((t) => `"${t.endpoint.name}"`).join(", ") || "none configured";

/**
 * No enabled target: show it on the run (progress.waitingFor, once, with an event) and wait a
 * little; the caller reloads the run and its deployment and tries again until the deadline.
 */
async function waitForTarget(run: Loaded, deadline: number, ctx: EngineContext) {
  if (!waitingForTarget(run)) {
    const progress = {
      value: 0,
      max: 0,
      nodeId: null,
      waitingFor: "enabled_target",
      message: `Waiting for an enabled target: every target of this deployment is drained (${drainedTargets(run)}). Enable one on the Endpoints page; the run starts then, or ends timed_out (no_target) after the deployment's timeout of ${run.deployment.timeoutSeconds} s.`,
    };
    await pool().query(`UPDATE "Run" SET progress = $2::jsonb WHERE id = $1 AND status NOT IN ('succeeded','failed','canceled','timed_out')`, [run.id, JSON.stringify(progress)]);
    run.progress = progress;
    await recordEvent(run.id, "waiting", { reason: "no_target", endpointIds: run.deployment.targets.map((t) => t.endpointId) });
  }
  await pause(run.id, Math.min(TARGET_RECHECK_MS, deadline - Date.now()), ctx.signal);
}

/** Attempts that count against the deployment's max: a hedge that lost its race did not fail, nor did an attempt an on-call restart / purge interrupted. */
const countedAttempts = (run: Loaded) => run.attempts.filter((a) => !(a.status === "canceled" && (a.error as { code?: string } | null)?.code === "hedge_lost") && !isOnCall(a)).length;
/** Room for another attempt; hedges are bounded too (at most max × 2 attempts in all). */
const attemptsLeft = (run: Loaded) => countedAttempts(run) < run.deployment.maxAttempts && run.attempts.length < run.deployment.maxAttempts * 2;

/**
 * Record and submit the next attempt. A retry waits out an exponential backoff with jitter when it
 * goes back to an endpoint this run already tried; a failover to a fresh endpoint goes at once.
 * A hedge (`hedgeOf`) races the given live attempt on another endpoint and never fails the run.
 */
async function startAttempt(
  run: Loaded,
  ctx: EngineContext,
  deadline: number,
  l: ReturnType<typeof log.child>,
  hedge?: { hedgeOf: RunAttempt; reason: string },
): Promise<"stop" | "submitted" | "failed" | "no_target"> {
  const n = run.attempts.length;
  if (!attemptsLeft(run)) {
    if (hedge) return "no_target";
    const last = run.attempts[n - 1]?.error as { code?: string; message?: string; nodeId?: string } | null;
    await transition(run.id, "failed", {
      finishedAt: true,
      progress: null,
      error: {
        code: last?.code ?? "attempts_exhausted",
        message: `All ${countedAttempts(run)} attempt(s) failed. Last error: ${last?.message ?? "unknown"}`,
        ...(last?.nodeId ? { nodeId: last.nodeId } : {}),
        details: { attempts: n },
      },
    });
    return "stop";
  }
  const busy = new Set(run.attempts.filter((a) => ACTIVE.has(a.status)).map((a) => a.endpointId));
  const endpoint = await pickTarget(run, busy);
  if (!endpoint) {
    if (hedge) return "no_target";
    // Every target is drained: the run waits in the queue for one to be enabled, up to the
    // deployment's timeout (then timed_out / no_target, see drive). Re-checked every few seconds.
    await waitForTarget(run, deadline, ctx);
    return "failed";
  }
  if (waitingForTarget(run)) {
    await pool().query(`UPDATE "Run" SET progress = NULL WHERE id = $1 AND status NOT IN ('succeeded','failed','canceled','timed_out')`, [run.id]);
    run.progress = null;
    await recordEvent(run.id, "target_available", { endpointId: endpoint.id });
  }
  const tries = run.attempts.filter((a) => a.endpointId === endpoint.id).length;
  if (tries > 0 && !hedge) {
    const backoff = Math.min(30_000, 1000 * 2 ** (tries - 1)) * (0.5 + Math.random());
    await sleep(Math.min(backoff, deadline - Date.now()));
  }
  const attemptId = newId("att");
  // Record the attempt before talking to the provider: a crash from here on is recoverable.
  const attempt = await insertAttempt(run.id, attemptId, n + 1, endpoint, ctx.workerId, !!hedge);
  if (!attempt) {
    l.warn("not starting an attempt: the lease moved to another worker or another attempt is live", { attempt: n + 1 });
    return "failed";
  }
  run.attempts.push(attempt);
  crashPoint("attempt.recorded", run.id);
  const previous = run.attempts[n - 1];
  if (!hedge && previous && isOnCall(previous)) {
    // Finish the interrupted attempt's story: where its run went next.
    const suffix = ` Retried on "${endpoint.name}" as attempt ${n + 1}.`;
    await pool().query(
      `UPDATE "RunAttempt" SET error = jsonb_set(error, '{message}', to_jsonb((error->>'message') || $2::text)) WHERE id = $1 AND position('Retried on' in error->>'message') = 0`,
      [previous.id, suffix],
    );
    const e = previous.error as { message?: string };
    if (e?.message && !e.message.includes("Retried on")) e.message += suffix;
  }
  if (hedge) {
    l.info("hedging a stalled attempt on another endpoint", { attempt: n + 1, hedges: hedge.hedgeOf.number, reason: hedge.reason, endpointId: endpoint.id });
    await recordEvent(run.id, "attempt", { attempt: n + 1, status: "pending", hedgeOf: hedge.hedgeOf.number, reason: hedge.reason, endpointId: endpoint.id });
  } else {
    await transition(run.id, "dispatching", {}, { attempt: n + 1, endpointId: endpoint.id });
  }
  return (await submitAttempt(run, attempt, endpoint, l, { resume: false })) ? "submitted" : "failed";
}

/**
 * Insert an attempt only while this worker holds the run's lease and (unless hedging) no other
 * attempt is live, in one statement: a worker that lost its lease, or two drivers racing after a
 * hand-over, can never start a second attempt next to a live one.
 */
async function insertAttempt(runId: string, id: string, number: number, endpoint: Endpoint, workerId: string, hedge: boolean): Promise<RunAttempt | null> {
  // RETURNING * instead of a second read on the submit path: pg reads the columns as Prisma does
  // (text, int, enum, timestamptz as Date, NULL) except the numeric cost, which comes back as text.
  const r = await pool().query<Omit<RunAttempt, "costUsd"> & { costUsd: string }>(
    `INSERT INTO "RunAttempt" (id, "runId", number, "endpointId", provider, status)
     SELECT $1, $2, $3, $4, $5, 'pending' FROM "Run" r
     WHERE r.id = $2 AND r."leaseOwner" = $6 AND r."leaseExpiresAt" > now()
       AND ($7 OR NOT ${hasActiveAttempt("r.id")})
     ON CONFLICT ("runId", number) DO NOTHING
     RETURNING *`,
    [id, runId, number, endpoint.id, endpoint.provider, workerId, hedge],
  );
  const row = r.rows[0];
  return row ? { ...row, costUsd: new Prisma.Decimal(row.costUsd) } : null;
}

async function resumePendingAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, l: ReturnType<typeof log.child>) {
  const provider = getProvider(endpoint.provider);
  if (provider.capabilities(toTarget(endpoint)).idempotentSubmit) {
    l.info("resubmitting a pending attempt (the provider dedupes by our job id)", { attempt: attempt.number });
    await submitAttempt(run, attempt, endpoint, l, { resume: true });
  } else {
    const r = await db().runAttempt.updateMany({
      where: { id: attempt.id, status: "pending" },
      data: { status: "lost", finishedAt: new Date(), error: { code: "submit_interrupted", message: "A worker stopped while submitting this attempt; it may have reached the provider once. Retrying on a new attempt." } },
    });
    if (r.count === 0) return; // another worker moved it on meanwhile; the caller reloads
    await recordEvent(run.id, "attempt", { attempt: attempt.number, status: "lost", possibleDuplicate: true });
  }
}

/** Workflow versions never change, so their prompts are shared by every run in this process. */
const prompts = new Map<string, Promise<ApiPrompt>>();
function versionPrompt(versionId: string): Promise<ApiPrompt> {
  let p = prompts.get(versionId);
  if (!p) {
    p = db().workflowVersion.findUniqueOrThrow({ where: { id: versionId }, select: { prompt: true } }).then((v) => v.prompt as unknown as ApiPrompt);
    p.catch(() => prompts.delete(versionId));
    prompts.set(versionId, p);
    if (prompts.size > 100) prompts.delete(prompts.keys().next().value!);
  }
  return p;
}

async function resolvedPrompt(run: Loaded): Promise<{ prompt: ApiPrompt; images: InputImage[] }> {
  const slots = run.deployment.slots.map(slotFromRow);
  const inputs = (run.inputs ?? {}) as Record<string, unknown>;
  const images: InputImage[] = [];
  const imageNames: Record<string, string> = {};
  const values: Record<string, unknown> = { ...inputs };
  for (const slot of slots) {
    const v = inputs[slot.name] as { storageKey?: string; contentType?: string } | undefined;
    if (slot.type !== "image" || !v?.storageKey) continue;
    const obj = await storage().get(v.storageKey);
    if (!obj) throw new ProviderError("final", "input_missing", `The stored input image for "${slot.name}" is gone from storage.`);
    const data = Buffer.from(await new Response(obj.stream()).arrayBuffer());
    const ext = v.storageKey.split(".").pop() ?? "png";
    // Unique per run so no run ever sees another run's input with the same file name.
    const name = `fg_${run.id}_${slot.name}.${ext}`;
    images.push({ name, data, contentType: v.contentType });
    imageNames[slot.name] = name;
    delete values[slot.name];
  }
  // Seeds left empty are drawn once and recorded, so retries and failovers run the same prompt.
  const previous = (run.resolvedInputs ?? null) as Record<string, unknown> | null;
  const base = previous ? { ...values, ...Object.fromEntries(Object.entries(previous).filter(([k]) => !(k in imageNames))) } : values;
  const applied = applyInputs(await versionPrompt(run.workflowVersionId), slots, base, { imageNames });
  if (!previous) {
    const resolved = { ...applied.resolved };
    for (const k of Object.keys(imageNames)) resolved[k] = inputs[k];
    await db().run.update({ where: { id: run.id }, data: { resolvedInputs: resolved as Prisma.InputJsonValue } });
  }
  return { prompt: applied.prompt, images };
}

/** Submit and record the attempt; true when the provider accepted it (the cached run is updated). */
async function submitAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, l: ReturnType<typeof log.child>, opts: { resume: boolean }): Promise<boolean> {
  const started = Date.now();
  try {
    const { prompt, images } = await resolvedPrompt(run);
    const provider = getProvider(endpoint.provider);
    const target = toTarget(endpoint);
    const job = { runId: run.id, attemptId: attempt.id, prompt, images, webhookUrl: providerWebhookUrl(attempt.id), resume: opts.resume };
    // A transient error (a 5xx, a dropped connection) is retried within the attempt instead of
    // spending a whole attempt on it — by a provider that dedupes by our job id for any transient
    // error, by one that cannot only when its answer says it refused the request before doing
    // anything (429, 502, 503), so a retry can never start the job twice.
    const idempotent = provider.capabilities(target).idempotentSubmit;
    let providerJobId = "";
    for (let i = 1; ; i++) {
      try {
        // A retry looks first: the failed try may have reached the provider after all.
        ({ providerJobId } = await provider.submit(target, { ...job, resume: job.resume || i > 1 }, { signal: AbortSignal.timeout(120_000) }));
        break;
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        const pe = asProviderError(err);
        const refused = REFUSED_STATUSES.has(Number((pe.details as { status?: unknown } | undefined)?.status));
        if (pe.errorClass !== "retryable" || i >= 3 || (!idempotent && !refused)) throw pe;
        await sleep(150 * 2 ** (i - 1) * (0.5 + Math.random()));
      }
    }
    crashPoint("attempt.sent", run.id);
    const submitted = { providerJobId, status: "submitted" as const, submittedAt: new Date(), uploadMs: Date.now() - started };
    // Only from pending: an attempt someone else already ended must never come back to life.
    const r = await db().runAttempt.updateMany({ where: { id: attempt.id, status: "pending" }, data: submitted });
    if (r.count === 0) {
      l.warn("attempt changed under us while submitting (another worker); not recording the submit", { attempt: attempt.number });
      return false;
    }
    Object.assign(attempt, submitted);
    if (await transition(run.id, "submitted", {}, { attempt: attempt.number, providerJobId })) run.status = "submitted";
    l.info("attempt submitted", { attempt: attempt.number, endpointId: endpoint.id, providerJobId });
    crashPoint("attempt.submitted", run.id);
    return true;
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    await finishAttemptWithError(run, attempt, endpoint, asProviderError(err), l);
    return false;
  }
}

async function finishAttemptWithError(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, err: ProviderError, l: ReturnType<typeof log.child>) {
  // An attempt lost while someone restarted or purged its endpoint was interrupted by that person,
  // not by the provider on its own: say so (and who), keeping what the provider said in details.
  const oncall = err.errorClass === "final" ? null : await onCallActionDuring(endpoint.id, attempt);
  const error = oncall
    ? {
        code: oncall.code,
        message: `Interrupted by an on-call ${oncall.what} of "${endpoint.name}" by ${oncall.actorName} at ${oncall.at.toISOString()}.`,
        class: err.errorClass,
        details: { auditId: oncall.auditId, action: oncall.action, actor: oncall.actor, providerCode: err.code, providerMessage: err.message },
      }
    : { code: err.code, message: err.message, class: err.errorClass, ...(err.nodeId ? { nodeId: err.nodeId } : {}), ...(err.details ? { details: err.details } : {}) };
  // A final error fails the run in the same transaction that ends the attempt.
  const fail: TransitionPatch | undefined =
    err.errorClass === "final"
      ? { finishedAt: true, progress: null, error: { code: err.code, message: err.message, ...(err.nodeId ? { nodeId: err.nodeId } : {}), ...(err.details ? { details: err.details } : {}) } }
      : undefined;
  if (!(await endAttempt(run, attempt, endpoint, err.errorClass === "lost" ? "lost" : "failed", error, fail))) return;
  l.warn("attempt failed", { attempt: attempt.number, endpointId: endpoint.id, class: err.errorClass, code: err.code, message: err.message });
}

/** Attempt error codes for an attempt an operator's on-call action interrupted (not counted against maxAttempts). */
const ONCALL_CODES = new Set(["oncall_restart", "oncall_purge"]);
const isOnCall = (a: RunAttempt) => ONCALL_CODES.has((a.error as { code?: string } | null)?.code ?? "");

/**
 * The latest on-call restart / purge of the endpoint since the attempt was recorded (pending or
 * done, not failed). A purge only drops queued jobs, so it never explains a running attempt's end.
 */
async function onCallActionDuring(endpointId: string, attempt: RunAttempt) {
  const actions = attempt.status === "running" ? ["endpoint.restart"] : ["endpoint.restart", "endpoint.purge-queue"];
  const row = await db().auditLog.findFirst({
    where: { targetType: "endpoint", targetId: endpointId, action: { in: actions }, createdAt: { gte: attempt.createdAt } },
    orderBy: { createdAt: "desc" },
  });
  if (!row) return null;
  const restart = row.action === "endpoint.restart";
  const name = (row.data as { actorName?: string } | null)?.actorName ?? (row.actorType === "system" ? "Flowgate (system)" : `${row.actorType} ${row.actorId}`);
  return {
    code: restart ? "oncall_restart" : "oncall_purge",
    what: restart ? "restart" : "queue purge",
    action: row.action,
    auditId: row.id,
    at: row.createdAt,
    actorName: name,
    actor: { type: row.actorType, id: row.actorId, name },
  };
}

/** Cancel a live attempt at the provider and record it (with the GPU time it used, if it ran). */
async function stopAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, status: "canceled" | "timed_out", error?: { code: string; message: string }) {
  if (attempt.providerJobId) {
    await getProvider(endpoint.provider).cancel(toTarget(endpoint), attempt.providerJobId).catch((err: unknown) =>
      log.warn("cancel at provider failed", { runId: run.id, err: err instanceof Error ? err.message : String(err) }),
    );
  }
  await endAttempt(run, attempt, endpoint, status, error);
}

/**
 * Record a live attempt as ended (failed, lost, canceled, timed out) with its execution time and
 * cost, added to the run's. Only an attempt that is still live: never overwrite one another worker
 * already finished. False when it was not live any more. An error is also a run event.
 */
async function endAttempt(
  run: Loaded,
  attempt: RunAttempt,
  endpoint: Endpoint,
  status: "failed" | "lost" | "canceled" | "timed_out",
  error?: Record<string, unknown>,
  failRun?: TransitionPatch,
): Promise<boolean> {
  const finishedAt = new Date();
  const executionMs = attempt.startedAt ? finishedAt.getTime() - attempt.startedAt.getTime() : null;
  const cost = costOf(endpoint, executionMs, attempt.coldStartMs);
  // The attempt's end, its cost on the run, its event and (a final error) the run's failure: one transaction.
  const ended = await withTx(async (c) => {
    const r = await c.query(
      `UPDATE "RunAttempt" SET status = $2::"AttemptStatus", "finishedAt" = $3, "executionMs" = $4, "costUsd" = $5, error = COALESCE($6::jsonb, error)
        WHERE id = $1 AND status IN ('pending','submitted','running')`,
      [attempt.id, status, finishedAt, executionMs, cost, error ? JSON.stringify(error) : null],
    );
    if (!r.rowCount) return false;
    if (cost > 0) await c.query(`UPDATE "Run" SET "costUsd" = "costUsd" + $2 WHERE id = $1`, [run.id, cost]);
    if (error) await recordEvent(run.id, "attempt", { attempt: attempt.number, status, error }, c);
    if (failRun) await transition(run.id, "failed", failRun, {}, c);
    return true;
  });
  Object.assign(attempt, { status, finishedAt, ...(error ? { error } : {}) });
  return ended;
}

const costOf = (endpoint: Endpoint, executionMs: number | null, coldStartMs: number | null) =>
  attemptCostUsd({ provider: endpoint.provider, executionMs, coldStartMs }, endpoint.pricePerHourUsd === null ? null : Number(endpoint.pricePerHourUsd));

/**
 * An output's bytes. A URL a backend returned is a URL a hostile backend chose: it is downloaded
 * through lib/net under the `output` purpose (a private address is refused unless it is on the
 * endpoint's own configured origin and endpoints may be private), every redirect hop re-checked, the
 * body cut off at FLOWGATE_MAX_OUTPUT_BYTES.
 */
async function fetchOutput(o: ProviderOutput, endpoint: Endpoint): Promise<Buffer> {
  const limit = maxOutputBytes();
  if (o.data) {
    if (o.data.length > limit) throw new ProviderError("final", "output_too_large", `Output ${o.filename} is ${o.data.length} bytes; the limit is ${limit}.`);
    return o.data;
  }
  if (!o.url) throw new ProviderError("final", "output_missing", `Output ${o.filename} has neither data nor URL.`);
  const cfg = (endpoint.config ?? {}) as Record<string, unknown>;
  let res;
  try {
    res = await httpRequest(o.url, {
      purpose: "output",
      sameOriginAs: typeof cfg.baseUrl === "string" ? cfg.baseUrl : undefined,
      headers: o.headers,
      timeoutMs: 300_000,
      maxBytes: limit,
      what: `downloading output ${o.filename}`,
    });
  } catch (err) {
    if (err instanceof ProviderError && err.code === "output_too_large") {
      throw new ProviderError("final", "output_too_large", `Output ${o.filename} is larger than the ${limit}-byte limit (FLOWGATE_MAX_OUTPUT_BYTES).`, { details: { limit } });
    }
    throw err;
  }
  if (res.status < 200 || res.status >= 300) {
    throw new ProviderError(res.status === 404 ? "lost" : "retryable", "output_download_failed", `Downloading output ${o.filename} answered HTTP ${res.status}.`);
  }
  return res.body;
}

function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "output";
  return base.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "").slice(0, 120) || "output";
}

/** True when the run is finished with this attempt (succeeded, or another worker already completed it). */
async function completeAttempt(run: Loaded, attempt: RunAttempt, endpoint: Endpoint, st: Extract<ProviderStatus, { state: "succeeded" }>, l: ReturnType<typeof log.child>): Promise<boolean> {
  const t0 = Date.now();
  // Outputs go to storage first; the run is `succeeded` only once every output is safely stored.
  const stored: Prisma.RunOutputCreateManyInput[] = [];
  for (const [i, o] of st.outputs.entries()) {
    let lastErr: unknown;
    for (let tryNo = 0; tryNo < 3; tryNo++) {
      try {
        const data = await fetchOutput(o, endpoint);
        const id = newId("out");
        const filename = safeName(o.filename);
        const ext = filename.includes(".") ? filename.split(".").pop() : "bin";
        const storageKey = `outputs/${run.id}/${String(i).padStart(3, "0")}-${id}.${ext}`;
        await storage().put(storageKey, data, o.contentType);
        stored.push({ id, runId: run.id, attemptId: attempt.id, nodeId: o.nodeId, filename, contentType: o.contentType, kind: o.kind, sizeBytes: data.length, storageKey });
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        if (err instanceof ProviderError && err.errorClass === "final") break;
        await sleep(200 * 2 ** tryNo);
      }
    }
    if (lastErr) {
      const pe = lastErr instanceof ProviderError ? lastErr : new ProviderError("final", "storage_failed", `Could not store output ${o.filename}: ${(lastErr as Error).message}`);
      await finishAttemptWithError(run, attempt, endpoint, pe, l);
      return false;
    }
  }
  const finishedAt = new Date();
  const executionMs = st.executionMs ?? (attempt.startedAt ? finishedAt.getTime() - attempt.startedAt.getTime() : attempt.submittedAt ? finishedAt.getTime() - attempt.submittedAt.getTime() : 0);
  const cost = costOf(endpoint, executionMs, st.coldStartMs ?? attempt.coldStartMs);
  crashPoint("outputs.stored", run.id);
  // Claim the attempt's completion, record its outputs and move the run to succeeded with its cost,
  // event, NOTIFY and webhook job in ONE transaction: if another worker (after a lease hand-over)
  // already completed or stopped it, record nothing twice.
  const claimed = await withTx(async (c) => {
    // One success per run, even with two drivers racing after a lease hand-over (or a hedge and the
    // attempt it hedges finishing together): completions of one run are serialised on its row.
    const locked = await c.query<{ status: string }>(`SELECT status::text AS status FROM "Run" WHERE id = $1 FOR UPDATE`, [run.id]);
    if (!locked.rows[0] || isTerminal(locked.rows[0].status)) return false;
    const already = await c.query(`SELECT 1 FROM "RunAttempt" WHERE "runId" = $1 AND status = 'succeeded' LIMIT 1`, [run.id]);
    if (already.rowCount) return false;
    const won = await c.query(
      `UPDATE "RunAttempt" SET status = 'succeeded', "finishedAt" = $2, "startedAt" = $3, "executionMs" = $4, "queueMs" = $5, "coldStartMs" = $6, "downloadMs" = $7, "costUsd" = $8
        WHERE id = $1 AND status IN ('pending','submitted','running')`,
      [
        attempt.id,
        finishedAt,
        attempt.startedAt ?? attempt.submittedAt ?? finishedAt,
        executionMs,
        st.queueMs ?? (attempt.startedAt && attempt.submittedAt ? attempt.startedAt.getTime() - attempt.submittedAt.getTime() : null),
        st.coldStartMs ?? attempt.coldStartMs,
        Date.now() - t0,
        cost,
      ],
    );
    if (!won.rowCount) return false;
    if (stored.length) {
      const col = <K extends keyof (typeof stored)[number]>(k: K) => stored.map((o) => o[k]);
      await c.query(
        `INSERT INTO "RunOutput" (id, "runId", "attemptId", "nodeId", filename, "contentType", kind, "sizeBytes", "storageKey")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])`,
        [col("id"), col("runId"), col("attemptId"), col("nodeId"), col("filename"), col("contentType"), col("kind"), col("sizeBytes"), col("storageKey")],
      );
    }
    await transition(run.id, "succeeded", { finishedAt: true, startedAt: true, progress: null, addCostUsd: cost }, { attempt: attempt.number, outputs: stored.length }, c);
    crashPoint("run.succeeded.uncommitted", run.id);
    return true;
  });
  if (!claimed) {
    l.warn("attempt was already finished by another worker; not recording it again", { attempt: attempt.number });
    return false;
  }
  crashPoint("run.succeeded", run.id);
  l.info("run succeeded", { attempt: attempt.number, outputs: stored.length });
  return true;
}
