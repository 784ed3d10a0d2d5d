// Cancel a run. Cancelling marks the run; the worker driving it cancels the provider job at once
// (only ours: adapters never touch other prompts).
import { db } from "@/lib/db";
import { ApiError, notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { transition } from "./events";
import { isTerminal } from "./status";
import { enqueueDispatch } from "./create-run";
import { pgTransaction } from "@/lib/db/pg-transaction";
import { actorName } from "@/lib/audit/actor-name";
import { auditRun } from "./run-audit";
import { CancelRunInput } from "./cancel-run.types";

export async function cancelRun({ ctx, input }: VerbArgs<CancelRunInput>): Promise<void> {
  const { actor } = ctx;
  requirePermission(actor, "runs:write");
  const { runId } = CancelRunInput.parse(input);
  const run = await db().run.findUnique({ where: { id: runId } });
  if (!run) throw notFound("Run", runId);
  if (isTerminal(run.status)) throw new ApiError("run_not_cancelable", `Run ${runId} already ended (${run.status}).`, { status: run.status });
  // The change and its audit row commit together; a run that ended meanwhile writes neither.
  const ok = await pgTransaction(async (client) => {
    const moved = await transition(runId, "canceled", { finishedAt: true, progress: null, error: { code: "canceled", message: `Canceled by ${actorName(actor)}.` } }, { by: actor.id }, client);
    if (moved) await auditRun(client, actor, "run.cancel", runId, { before: { status: run.status }, after: { status: "canceled" } });
    return moved;
  });
  if (!ok) {
    const again = await db().run.findUnique({ where: { id: runId } });
    throw new ApiError("run_not_cancelable", `Run ${runId} already ended (${again?.status}).`, { status: again?.status });
  }
  // Make sure some worker sees it promptly to cancel at the provider, even if none holds the lease.
  await enqueueDispatch(runId);
}
