// Retry a failed, canceled or timed-out run as a new run with the same inputs and webhook.
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError, notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { isTerminal } from "./status";
import { insertQueuedRun } from "./create-run";
import { deletedError, pausedError } from "@/lib/deployments/messages";
import { RetryRunInput, type RetryRunOutput } from "./retry-run.types";

export async function retryRun({ ctx, input }: VerbArgs<RetryRunInput>): Promise<RetryRunOutput> {
  const { actor } = ctx;
  requirePermission(actor, "runs:write");
  const { runId } = RetryRunInput.parse(input);
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
    audit: { action: "run.retry", targetId: runId, details: { retryRunId: id } },
  });
  return { runId: id };
}
