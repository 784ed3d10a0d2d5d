// Bulk cancel / retry from the runs board: the same cancelRun / retryRun each single action uses
// (each run checked, changed and audited on its own), one after another; one run's refusal (already
// ended, not retryable) is reported for that run and does not stop the others.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { cancelRun } from "./cancel-run";
import { retryRun } from "./retry-run";
import { BulkRunsInput, type BulkRunsResult } from "./bulk-runs.types";

export async function bulkRuns({ ctx, input }: VerbArgs<BulkRunsInput>): Promise<BulkRunsResult> {
  requirePermission(ctx.actor, "runs:write");
  const { action, runIds } = BulkRunsInput.parse(input);
  const results: BulkRunsResult["results"] = [];
  for (const runId of [...new Set(runIds)]) {
    try {
      if (action === "cancel") {
        await cancelRun({ ctx, input: { runId } });
        results.push({ runId, ok: true });
      } else {
        results.push({ runId, ok: true, newRunId: (await retryRun({ ctx, input: { runId } })).runId });
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      results.push({ runId, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { action, results, succeeded, failed: results.length - succeeded };
}
