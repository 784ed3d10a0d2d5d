import { withApi, json } from "@/lib/api/with-api";
import { cancelRun } from "@/lib/runs/cancel-run";
import { getRun } from "@/lib/runs/get-run";

// POST /api/v1/runs/{id}/cancel – cancel the run (and its job at the provider)
export const POST = withApi<{ id: string }>({ permission: "runs:write" }, async ({ ctx, params }) => {
  await cancelRun({ ctx, input: { runId: params.id } });
  return json(await getRun(params.id));
});
