import { withApi, json, readJson } from "@/lib/api/with-api";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import type { UpdateEndpointInput } from "@/lib/endpoints/update-endpoint.types";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// GET /api/v1/endpoints/{id} – one endpoint with its latest health
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getEndpoint({ ctx, input: { id: params.id } }));
});

// PATCH /api/v1/endpoints/{id} – edit name, config, secret (write-only), GPU, price
export const PATCH = withApi<{ id: string }>({ permission: "endpoints:write" }, async ({ req, ctx, params }) => {
  // The verb parses the body (400 validation_failed on a bad field).
  const changes = (await readJson(req)) as UpdateEndpointInput["changes"];
  const ep = await updateEndpoint({ ctx, input: { id: params.id, changes } });
  return json(serializeEndpoint(ep));
});

// DELETE /api/v1/endpoints/{id} – only when no deployment targets it and it has no run history
export const DELETE = withApi<{ id: string }>({ permission: "endpoints:write" }, async ({ ctx, params }) => {
  await deleteEndpoint({ ctx, input: { id: params.id } });
  return new Response(null, { status: 204 });
});
