import { withApi, json } from "@/lib/api/with-api";
import { operateEndpoint } from "@/lib/endpoints/operate-endpoint";

// POST /api/v1/endpoints/{id}/restart – on-call action (audited)
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ ctx, params }) => {
  const result = await operateEndpoint({ ctx, input: { id: params.id, action: "restart" } });
  return json({ endpointId: params.id, action: "restart", ...result });
});
