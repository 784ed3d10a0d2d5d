// What the run shows while it is driven: its place in a provider queue, its progress while running,
// and that it waits for an enabled target. Writes never touch a run that has ended.
import { db, pool } from "@/lib/db";
import type { ProviderStatus } from "@/lib/providers/types";
import type { RunAttempt } from "@/lib/generated/prisma/client";
import { recordEvent, transition } from "../events";
import { drainedTargets, queuedProgress, waitingForTarget } from "./decide";
import { crashPoint } from "./faults";
import type { Loaded } from "./load";

const setProgress = (runId: string, progress: unknown) =>
  pool().query(`UPDATE "Run" SET progress = $2::jsonb WHERE id = $1 AND status NOT IN ('succeeded','failed','canceled','timed_out')`, [runId, progress === null ? null : JSON.stringify(progress)]);

/** The lead attempt is queued at the provider: show its queue position (when it changed). */
export async function reportQueued(run: Loaded, st: Extract<ProviderStatus, { state: "queued" }>) {
  const queued = queuedProgress(st.queuePosition);
  if (JSON.stringify(queued) === JSON.stringify(run.progress)) return;
  await setProgress(run.id, queued);
  run.progress = queued;
}

/**
 * The lead attempt runs: record it (attempt running, run running) and its progress, at most every
 * 400 ms. `lastProgressAt` is the driver's own clock for that throttle; the new value is returned.
 */
export async function reportRunning(run: Loaded, a: RunAttempt, st: Extract<ProviderStatus, { state: "running" }>, lastProgressAt: number): Promise<number> {
  if (a.status !== "running") {
    const startedAt = new Date();
    await db().runAttempt.updateMany({ where: { id: a.id, status: { in: ["submitted", "running"] } }, data: { status: "running", startedAt, coldStartMs: st.coldStartMs ?? undefined } });
    Object.assign(a, { status: "running", startedAt, coldStartMs: st.coldStartMs ?? a.coldStartMs });
    crashPoint("attempt.running", run.id);
  }
  const progress = st.progress ? { value: st.progress.value, max: st.progress.max, nodeId: st.progress.nodeId ?? null, fraction: st.progress.fraction } : null;
  if (run.status !== "running") {
    if (await transition(run.id, "running", { startedAt: true, progress }, { attempt: a.number })) run.status = "running";
    return Date.now();
  }
  if (progress && Date.now() - lastProgressAt >= 400 && JSON.stringify(progress) !== JSON.stringify(run.progress)) {
    await pool().query(`UPDATE "Run" SET progress = $2::jsonb WHERE id = $1 AND status = 'running'`, [run.id, JSON.stringify(progress)]);
    await recordEvent(run.id, "progress", progress);
    run.progress = progress;
    return Date.now();
  }
  return lastProgressAt;
}

/** No enabled target: show it on the run (progress.waitingFor, once, with an event). */
export async function showWaitingForTarget(run: Loaded) {
  if (waitingForTarget(run.progress)) return;
  const targets = run.deployment.targets.map((t) => ({ name: t.endpoint.name }));
  const progress = {
    value: 0,
    max: 0,
    nodeId: null,
    waitingFor: "enabled_target",
    message: `Waiting for an enabled target: every target of this deployment is drained (${drainedTargets(targets)}). Enable one on the Endpoints page; the run starts then, or ends timed_out (no_target) after the deployment's timeout of ${run.deployment.timeoutSeconds} s.`,
  };
  await setProgress(run.id, progress);
  run.progress = progress;
  await recordEvent(run.id, "waiting", { reason: "no_target", endpointIds: run.deployment.targets.map((t) => t.endpointId) });
}

/** A target is available again: the run stops showing that it waits for one. */
export async function clearWaitingForTarget(run: Loaded, endpointId: string) {
  if (!waitingForTarget(run.progress)) return;
  await setProgress(run.id, null);
  run.progress = null;
  await recordEvent(run.id, "target_available", { endpointId });
}
