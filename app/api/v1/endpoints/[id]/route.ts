import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// GET /api/v1/endpoints/{id} – one endpoint with its latest health
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ params }) => {
  const ep = await db().endpoint.findUnique({ where: { id: params.id }, include: { healthChecks: { orderBy: { checkedAt: "desc" }, take: 1 } } });
  if (!ep) throw notFound("Endpoint", params.id);
  return json(serializeEndpoint(ep));
});
