import { withApi, json, readJson } from "@/lib/api/with-api";
import { deleteEndpoint, updateEndpoint } from "@/lib/endpoints/update-endpoint";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// GET /api/v1/endpoints/{id} – one endpoint with its latest health
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getEndpoint({ ctx, input: { id: params.id } }));
});

// PATCH /api/v1/endpoints/{id} – edit name, config, secret (write-only), GPU, price
export const PATCH = withApi<{ id: string }>({ permission: "endpoints:write" }, async ({ req, actor, params }) => {
  const ep = await updateEndpoint(actor, params.id, await readJson(req));
  return json(serializeEndpoint(ep));
});

// DELETE /api/v1/endpoints/{id} – only when no deployment targets it and it has no run history
export const DELETE = withApi<{ id: string }>({ permission: "endpoints:write" }, async ({ actor, params }) => {
  await deleteEndpoint(actor, params.id);
  return new Response(null, { status: 204 });
});
