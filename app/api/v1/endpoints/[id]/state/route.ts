import { withApi, json } from "@/lib/api/with-api";
import { getEndpointState } from "@/lib/endpoints/get-endpoint-state";

// GET /api/v1/endpoints/{id}/state – healthy / degraded / down / disabled, with why, queue, workers, last hour
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getEndpointState({ ctx, input: { id: params.id } }));
});
