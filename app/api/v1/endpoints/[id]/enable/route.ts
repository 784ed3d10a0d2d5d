import { withApi, json } from "@/lib/api/with-api";
import { setEndpointDisabled } from "@/lib/endpoints/set-endpoint-disabled";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints/{id}/enable – on-call action: take traffic again (audited)
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ ctx, params }) => {
  return json(serializeEndpoint(await setEndpointDisabled({ ctx, input: { id: params.id, disabled: false } })));
});
