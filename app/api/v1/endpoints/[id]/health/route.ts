import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { checkEndpointHealth } from "@/lib/endpoints/health";

// GET /api/v1/endpoints/{id}/health – check the endpoint now ("Test connection")
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ params }) => {
  const ep = await db().endpoint.findUnique({ where: { id: params.id } });
  if (!ep) throw notFound("Endpoint", params.id);
  const report = await checkEndpointHealth(ep);
  return json({ endpointId: ep.id, ...report, checkedAt: new Date().toISOString() });
});
