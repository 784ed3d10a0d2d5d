// Cancel and retry. Cancelling marks the run; the worker driving it cancels the provider job at
// once (only ours: adapters never touch other prompts).
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError, notFound } from "@/lib/errors";
import { requireDeployment, requirePermission, type Actor } from "@/lib/auth/actor";
import { transition } from "./events";
import { isTerminal } from "./status";
import { enqueueDispatch, insertQueuedRun } from "./create-run";
import { deletedError, pausedError } from "@/lib/deployments/messages";
import { pgTransaction } from "@/lib/db/pg-transaction";
import { actorName } from "@/lib/audit/actor-name";
import { auditInsertSql } from "@/lib/audit/record";
import type pg from "pg";

/** The run's audit row on the transaction's connection. */
async function audit(client: pg.PoolClient, actor: Actor, action: string, runId: string, extra: { before: Record<string, unknown>; after: Record<string, unknown> }) {
  const args: unknown[] = [runId];
  await client.query(auditInsertSql(args, actor, action, { type: "run", idSql: "$1::text" }, "(SELECT 1) one", extra), args);
}

export async function cancelRun(actor: Actor, runId: string) {
  requirePermission(actor, "runs:write");
  const run = await db().run.findUnique({ where: { id: runId }, include: { deployment: { select: { slug: true } } } });
  if (!run) throw notFound("Run", runId);
  requireDeployment(actor, run.deployment.slug);
  if (isTerminal(run.status)) throw new ApiError("run_not_cancelable", `Run ${runId} already ended (${run.status}).`, { status: run.status });
  // The change and its audit row commit together; a run that ended meanwhile writes neither.
  const ok = await pgTransaction(async (client) => {
    const moved = await transition(runId, "canceled", { finishedAt: true, progress: null, error: { code: "canceled", message: `Canceled by ${actorName(actor)}.` } }, { by: actor.id }, client);
    if (moved) await audit(client, actor, "run.cancel", runId, { before: { status: run.status }, after: { status: "canceled" } });
    return moved;
  });
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
  requireDeployment(actor, run.deployment.slug);
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
    audit: { action: "run.retry", targetId: runId, details: { retryRunId: id } },
  });
  return id;
}
