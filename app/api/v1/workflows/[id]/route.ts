import { withApi, json } from "@/lib/api/with-api";
import { getWorkflow } from "@/lib/workflows/get-workflow";

// GET /api/v1/workflows/{id} – a workflow with its versions (newest first)
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getWorkflow({ ctx, input: { id: params.id } }));
});
