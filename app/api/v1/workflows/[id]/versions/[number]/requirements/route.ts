import { withApi, json } from "@/lib/api/with-api";
import { getRequirements } from "@/lib/provision/get-requirements";
import { versionNumberParam } from "@/lib/workflows/get-workflow.types";

// GET /api/v1/workflows/{id}/versions/{number}/requirements – custom node packs, models (folder,
// source), unknown classes: what an endpoint needs to run this version
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getRequirements({ ctx, input: { workflowId: params.id, number: versionNumberParam(params.number) } }));
});
