import { withApi, json } from "@/lib/api/with-api";
import { retryRun } from "@/lib/runs/cancel-run";
import { getRun } from "@/lib/runs/get-run";

// POST /api/v1/runs/{id}/retry – a new run with the same inputs
export const POST = withApi<{ id: string }>({ permission: "runs:write" }, async ({ actor, params }) => {
  const id = await retryRun(actor, params.id);
  return json(await getRun(id), 202);
});
