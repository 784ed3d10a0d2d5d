// Cancel and retry. Cancelling marks the run; the worker driving it cancels the provider job at
// once (only ours: adapters never touch other prompts).
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError, notFound } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/auth/actor";
import { transition } from "./events";
import { isTerminal } from "./status";
import { enqueueDispatch, insertQueuedRun } from "./create-run";
import { deletedError, pausedError } from "@/lib/deployments/messages";

export async function cancelRun(actor: Actor, runId: string) {
  requirePermission(actor, "runs:write");
  const run = await db().run.findUnique({ where: { id: runId } });
  if (!run) throw notFound("Run", runId);
  if (isTerminal(run.status)) throw new ApiError("run_not_cancelable", `Run ${runId} already ended (${run.status}).`, { status: run.status });
  const ok = await transition(runId, "canceled", { finishedAt: true, progress: null, error: { code: "canceled", message: `Canceled by ${actor.type === "user" ? actor.email : actor.type === "apiKey" ? `API key "${actor.name}"` : "the system"}.` } }, { by: actor.id });
  if (!ok) {
    const again = await db().run.findUnique({ where: { id: runId } });
    throw new ApiError("run_not_cancelable", `Run ${runId} already ended (${again?.status}).`, { status: again?.status });
  }
  // Make sure some worker sees it promptly to cancel at the provider, even if none holds the lease.
  await enqueueDispatch(runId);
}

export async function retryRun(actor: Actor, runId: string): Promise<string> {
  requirePermission(actor, "runs:write");
  const run = await db().run.findUnique({ where: { id: runId }, include: { deployment: true } });
  if (!run) throw notFound("Run", runId);
  if (!isTerminal(run.status) || run.status === "succeeded") {
    throw new ApiError("run_not_retryable", `Only failed, canceled or timed-out runs can be retried (this one is ${run.status}).`, { status: run.status });
  }
  if (run.deployment.deletedAt) throw deletedError(run.deployment.slug, run.deployment.deletedAt);
  if (run.deployment.paused) throw pausedError(run.deployment.slug);
  const id = newId("run");
  await insertQueuedRun({
    id,
    deploymentId: run.deploymentId,
    workflowVersionId: run.deployment.workflowVersionId,
    inputs: run.inputs,
    webhookUrl: run.webhookUrl,
    actor,
    eventData: { retryOf: runId },
  });
  return id;
}
