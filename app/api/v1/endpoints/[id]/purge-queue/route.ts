import { withApi, json } from "@/lib/api/with-api";
import { operateEndpoint } from "@/lib/endpoints/update-endpoint";

// POST /api/v1/endpoints/{id}/purge-queue – on-call action (audited)
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ actor, params }) => {
  const result = await operateEndpoint(actor, params.id, "purge-queue");
  return json({ endpointId: params.id, action: "purge-queue", ...result });
});
