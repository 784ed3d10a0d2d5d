import { withApi, json } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { getCostPreview } from "@/lib/provision/get-cost-preview";
import { versionNumberParam } from "@/lib/workflows/get-workflow.types";

// GET /api/v1/workflows/{id}/versions/{number}/cost-preview?workersMin=N – expected cost per run and
// per 1,000 runs on candidate GPUs (measured from earlier runs, else labelled estimates), idle cost per day
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ req, ctx, params }) => {
  const raw = new URL(req.url).searchParams.get("workersMin") ?? "0";
  const workersMin = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || workersMin > 100) throw new ApiError("bad_request", "workersMin must be an integer from 0 to 100.");
  return json(await getCostPreview({ ctx, input: { workflowId: params.id, number: versionNumberParam(params.number), workersMin } }));
});
