import { withApi, json } from "@/lib/api/with-api";
import { getWorkflowVersion } from "@/lib/workflows/get-workflow-version";
import { versionNumberParam } from "@/lib/workflows/get-workflow.types";

// GET /api/v1/workflows/{id}/versions/{number} – original JSON, API-format prompt, analysis
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getWorkflowVersion({ ctx, input: { workflowId: params.id, number: versionNumberParam(params.number) } }));
});
