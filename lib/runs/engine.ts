// The run engine: drives one run from queued to a terminal status. It holds a lease on the run
// (heartbeated), so a worker that dies leaves a lease that expires and another worker resumes the
// same provider job instead of submitting again.
//
// The drive loop only reads and acts: it builds a snapshot (the run, its attempts and what the
// provider says about the live ones, its targets and their circuits, the policy, the clock), asks
// the pure decision core (engine/decide.ts) for the next action and carries it out with the effect
// modules — lease, attempts (record, submit, end, complete: each change written with what it causes
// in one transaction, the outbox), prompt, outputs, progress, wait. Settings come from settings.ts.
import { log } from "@/lib/log";
import { getProvider } from "@/lib/providers/registry";
import { ProviderError, type ProviderStatus } from "@/lib/providers/types";
import { toTarget } from "@/lib/endpoints/target";
import type { Endpoint, RunAttempt } from "@/lib/generated/prisma/client";
import { transition } from "./events";
import { openCircuits } from "./circuit";
import { enqueueDispatch } from "./create-run";
import { engineSettings as settings } from "./settings";
import { acquireLeaseWithRow, holdLease, releaseLease } from "./engine/lease";
import { attemptEndpoints, RunReader, runFromLeasedRow, type Loaded } from "./engine/load";
import { decide, isLive, type Action, type AttemptView, type Observation, type Snapshot } from "./engine/decide";
import { asProviderError, completeAttempt, finishAttemptWithError, resumePendingAttempt, startAttempt, stopAttempt } from "./engine/attempts";
import { reportQueued, reportRunning, showWaitingForTarget } from "./engine/progress";
import { pause } from "./engine/wait";
import { SimulatedCrash } from "./engine/faults";
import { deploymentLatency, type DeploymentLatency } from "./engine/latency";
import { eventLoopLagMs } from "./engine/lag";
import { hedgeBudgetShareOf } from "./engine/hedge-budget";
import { withEndpointSlot } from "./engine/limit";

export { hasActiveAttempt } from "./engine/lease";
export const LEASE_MS = settings.leaseMs;

export interface EngineContext {
  workerId: string;
  /** Tests and the worker's shutdown use this to stop driving (the lease then expires). */
  signal?: AbortSignal;
}

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
  // Lease requests of a burst share one statement, which returns the run's row too.
  const row = await acquireLeaseWithRow(runId, ctx.workerId);
  if (!row) return null;
  const lease = holdLease(runId, ctx.workerId);
  let crashed = false;
  const done = (async () => {
    try {
      await drive(runId, ctx, lease.lost, await runFromLeasedRow(row));
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
      if (!crashed) {
        lease.release();
        await releaseLease(runId, ctx.workerId).catch(() => {});
        // A worker shutting down hands its runs straight to the others instead of waiting for the sweeper.
        if (ctx.signal?.aborted) await enqueueDispatch(runId).catch(() => {});
      }
    }
  })();
  return { done };
}

/** One poll of a live attempt: what the provider said, or why asking failed. */
type Polled = { a: RunAttempt; ep: Endpoint; st?: ProviderStatus; err?: ProviderError };

const attemptView = (a: RunAttempt): AttemptView => ({
  id: a.id,
  number: a.number,
  endpointId: a.endpointId,
  status: a.status,
  error: a.error as AttemptView["error"],
  submittedAt: a.submittedAt?.getTime(),
  startedAt: a.startedAt?.getTime(),
});

/** A run with no live attempt needs no latencies (its first submit does not wait for them). */
const NOTHING_LEARNED: DeploymentLatency = { byEndpoint: new Map(), spentShare: 0 };

function snapshotOf(run: Loaded, lastPollMs: number, latency: DeploymentLatency): Snapshot {
  return {
    now: Date.now(),
    jitter: Math.random(),
    run: { status: run.status, createdAt: run.createdAt.getTime(), progress: run.progress },
    attempts: run.attempts.map(attemptView),
    targets: run.deployment.targets.map((t) => ({ endpointId: t.endpointId, name: t.endpoint.name, priority: t.priority, disabled: t.endpoint.disabled, latency: latency.byEndpoint.get(t.endpointId) })),
    // The deployment's own cap (or the Flowgate default); 0 = no hedges on lateness.
    hedgeBudget: { spentShare: latency.spentShare, capShare: hedgeBudgetShareOf(run.deployment.hedgeBudgetPercent) },
    lagMs: eventLoopLagMs(),
    policy: {
      timeoutMs: run.deployment.timeoutSeconds * 1000,
      maxAttempts: run.deployment.maxAttempts,
      stuckAfterMs: run.deployment.stuckAfterSeconds * 1000,
      maxStatusFailures: settings.maxStatusFailures,
      pollMs: settings.pollMs,
      maxPollMs: settings.maxPollMs,
      targetRecheckMs: settings.targetRecheckMs,
    },
    lastPollMs,
  };
}

function observation(p: Polled, failures: number): Observation {
  if (p.err) return { state: "unreachable", errorClass: p.err.errorClass, failures };
  const st = p.st!;
  if (st.state === "queued") return { state: "queued", queuePosition: st.queuePosition, stuck: st.stuck };
  if (st.state === "failed") return { state: "failed", errorClass: st.error.errorClass };
  return { state: st.state };
}

/** The error an `end` action records for a polled attempt. */
function endError(p: Polled): ProviderError {
  if (p.err) return p.err;
  if (p.st?.state === "failed") return p.st.error;
  return new ProviderError("lost", "canceled_at_provider", "The provider reports the job was cancelled, but Flowgate did not cancel it.");
}

async function drive(runId: string, ctx: EngineContext, leaseLost: () => boolean, leased: Loaded | null) {
  const l = log.child({ runId, worker: ctx.workerId });
  const reader = new RunReader(runId, settings.statusRecheckMs, leased);
  const tracking: Tracking = { statusFailures: new Map(), lifeSigns: new Map() };
  let lastProgressAt = 0;
  let dirty = true;
  let pollMs = settings.pollMs;
  let woken = false;
  for (;;) {
    if (ctx.signal?.aborted || leaseLost()) return;
    const run = await reader.read({ fresh: dirty, woken });
    dirty = true;
    if (!run) return;
    const live = run.attempts.filter(isLive);
    const endpoints = await attemptEndpoints(run, live);
    const byId = new Map(run.attempts.map((a) => [a.id, a]));
    const stop = (ids: string[], status: "canceled" | "timed_out", error?: { code: string; message: string }) =>
      Promise.all(ids.map((id) => stopAttempt(run, byId.get(id)!, endpoints.get(id)!, status, error)));
    const { action, polled } = await decideWithFacts(snapshotOf(run, pollMs, live.length ? await deploymentLatency(run.deploymentId) : NOTHING_LEARNED), live, endpoints, tracking);

    switch (action.kind) {
      case "done":
        return;
      case "cancel":
        await stop(action.attemptIds, action.as.status, action.as.error);
        if (action.then === "stop") return;
        continue;
      case "succeed": {
        const won = byId.get(action.attemptId)!;
        if (action.recovered) {
          // The outputs were stored and the attempt recorded, but the driver stopped before the run's
          // own status moved: finish that step, nothing else.
          await stop(action.losers, "canceled", action.loserError);
          await transition(runId, "succeeded", { finishedAt: true, startedAt: true, progress: null }, { attempt: won.number, recovered: true });
          return;
        }
        const p = polled.get(won.id)!;
        if (await completeAttempt(run, won, p.ep, p.st as Extract<ProviderStatus, { state: "succeeded" }>, l)) {
          for (const id of action.losers) await stopAttempt(run, byId.get(id)!, endpoints.get(id)!, "canceled", action.loserError);
          return;
        }
        continue;
      }
      case "timeout":
        await stop(action.cancel, "timed_out");
        await transition(runId, "timed_out", { finishedAt: true, progress: null, error: action.error });
        l.warn("run timed out");
        return;
      case "fail":
        await transition(runId, "failed", { finishedAt: true, progress: null, error: action.error });
        return;
      case "waitForTarget":
        // Every target is drained: the run waits in the queue for one to be enabled, up to the
        // deployment's timeout (then timed_out / no_target). Re-checked every few seconds.
        await showWaitingForTarget(run);
        await pause(run.id, action.ms, ctx.signal);
        continue;
      case "submit": {
        const endpoint = run.deployment.targets.find((t) => t.endpointId === action.endpointId)!.endpoint;
        // A clean submit updated the cached run itself; anything else reloads it.
        if ((await startAttempt(run, endpoint, ctx.workerId, l, { delayMs: action.delayMs })) === "submitted") dirty = false;
        continue;
      }
      case "resume": {
        // A worker died between recording the attempt and the provider accepting it.
        const a = byId.get(action.attemptId)!;
        await resumePendingAttempt(run, a, endpoints.get(a.id)!, l);
        continue;
      }
      case "end":
        // An attempt ended: reload (the run may have failed for good; a hedge may still be racing).
        for (const e of action.attempts) {
          const p = polled.get(e.id)!;
          await finishAttemptWithError(run, p.a, p.ep, endError(p), l);
        }
        continue;
      case "hedge": {
        lastProgressAt = await report(run, polled, leadOf(polled), lastProgressAt);
        const endpoint = run.deployment.targets.find((t) => t.endpointId === action.endpointId)!.endpoint;
        const reason = action.reason;
        const hedged = await startAttempt(run, endpoint, ctx.workerId, l, { delayMs: 0, hedge: { hedgeOf: byId.get(action.of)!, reason } });
        tracking.statusFailures.clear();
        if (hedged === "submitted") dirty = false;
        continue;
      }
      case "wait":
        lastProgressAt = await report(run, polled, action.lead, lastProgressAt);
        dirty = false; // a plain poll tick: nothing about the attempts changed
        pollMs = action.pollMs;
        // A ComfyUI socket that comes back after dropping (a restart wiped the queue) cuts the wait short.
        woken = await pause(runId, action.ms, ctx.signal, [...endpoints.values()].filter((e) => e.provider === "comfyui").map((e) => e.id));
        continue;
      case "poll":
      case "checkCircuits":
        throw new Error(`the decision core asked for ${action.kind} twice`);
    }
  }
}

/** What the loop remembers about live attempts across ticks. */
interface Tracking {
  /** Consecutive failed status calls per attempt. */
  statusFailures: Map<string, number>;
  /** Per attempt: the last thing the provider said, and when it last changed. */
  lifeSigns: Map<string, { sig: string | undefined; at: number }>;
}

/** Decide; fetch what the core asks for first (the provider's status of live attempts, circuit state) and decide again. */
async function decideWithFacts(snap: Snapshot, live: RunAttempt[], endpoints: Map<string, Endpoint>, tracking: Tracking) {
  let polled = new Map<string, Polled>();
  let action: Action = decide(snap);
  if (action.kind === "poll") {
    polled = await pollLive(live, endpoints, tracking);
    snap = {
      ...snap,
      attempts: snap.attempts.map((v) => {
        const p = polled.get(v.id);
        return p ? { ...v, observed: observation(p, tracking.statusFailures.get(v.id) ?? 0), lastSignAt: tracking.lifeSigns.get(v.id)?.at } : v;
      }),
    };
    action = decide(snap);
  }
  if (action.kind === "checkCircuits") {
    const open = await openCircuits(snap.targets.filter((t) => !t.disabled).map((t) => t.endpointId));
    snap = { ...snap, targets: snap.targets.map((t) => ({ ...t, circuitOpen: open.has(t.endpointId) })) };
    action = decide(snap);
  }
  return { action, polled };
}

/** Ask the provider about every live attempt (usually one, two while a hedge races the attempt it hedges), tracking failures and signs of life. */
async function pollLive(live: RunAttempt[], endpoints: Map<string, Endpoint>, { statusFailures, lifeSigns }: Tracking) {
  const polled = await Promise.all(
    live.map(async (a): Promise<Polled> => {
      const ep = endpoints.get(a.id)!;
      try {
        // Bounded per endpoint: a worker with thousands of runs in flight keeps a few connections busy instead of opening one per run.
        const st = await withEndpointSlot(ep.id, () => getProvider(ep.provider).status(toTarget(ep), a.providerJobId!), "status");
        statusFailures.delete(a.id);
        return { a, ep, st };
      } catch (err) {
        statusFailures.set(a.id, (statusFailures.get(a.id) ?? 0) + 1);
        return { a, ep, err: asProviderError(err) };
      }
    }),
  );
  const now = Date.now();
  for (const p of polled) {
    // Any change in what the provider says is a sign of life; silence (or errors) is not.
    const sig = p.st?.state === "queued" ? JSON.stringify([p.st.state, p.st.queuePosition]) : p.st?.state === "running" ? JSON.stringify([p.st.state, p.st.progress]) : undefined;
    const seen = lifeSigns.get(p.a.id);
    if (!seen) lifeSigns.set(p.a.id, { sig, at: (p.a.submittedAt ?? p.a.createdAt).getTime() });
    else if (sig !== undefined && sig !== seen.sig) lifeSigns.set(p.a.id, { sig, at: now });
  }
  return new Map(polled.map((p) => [p.a.id, p]));
}

/** The attempt to report on: the one running, else the newest that answered. */
function leadOf(polled: Map<string, Polled>): string | null {
  const answering = [...polled.values()].filter((p) => p.st?.state === "queued" || p.st?.state === "running");
  return (answering.find((p) => p.st!.state === "running") ?? answering.at(-1))?.a.id ?? null;
}

async function report(run: Loaded, polled: Map<string, Polled>, leadId: string | null, lastProgressAt: number): Promise<number> {
  const lead = leadId ? polled.get(leadId) : undefined;
  if (lead?.st?.state === "queued") await reportQueued(run, lead.st);
  else if (lead?.st?.state === "running") return reportRunning(run, lead.a, lead.st, lastProgressAt);
  return lastProgressAt;
}
