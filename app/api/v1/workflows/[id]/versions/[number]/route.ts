import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { serializeWorkflowVersion } from "@/lib/workflows/serialize";

// GET /api/v1/workflows/{id}/versions/{number} – original JSON, API-format prompt, analysis
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ params }) => {
  const number = Number(params.number);
  if (!Number.isInteger(number) || number < 1) throw new ApiError("bad_request", "The version number must be a positive integer.");
  const v = await db().workflowVersion.findUnique({ where: { workflowId_number: { workflowId: params.id, number } } });
  if (!v) throw new ApiError("not_found", `Workflow ${params.id} has no version ${number}.`);
  return json({ workflowId: v.workflowId, ...serializeWorkflowVersion(v, { full: true }) });
});
