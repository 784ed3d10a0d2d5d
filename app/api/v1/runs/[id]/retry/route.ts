import { withApi, json } from "@/lib/api/with-api";
import { retryRun } from "@/lib/runs/retry-run";
import { getRun } from "@/lib/runs/get-run";

// POST /api/v1/runs/{id}/retry – a new run with the same inputs
export const POST = withApi<{ id: string }>({ permission: "runs:write" }, async ({ ctx, params }) => {
  const { runId } = await retryRun({ ctx, input: { runId: params.id } });
  return json(await getRun(runId), 202);
});
