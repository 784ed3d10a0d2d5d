import { withApi, json } from "@/lib/api/with-api";
import { setEndpointDisabled } from "@/lib/endpoints/update-endpoint";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints/{id}/disable – on-call action: drain traffic away (runs skip it) (audited)
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ actor, params }) => {
  return json(serializeEndpoint(await setEndpointDisabled(actor, params.id, true)));
});
