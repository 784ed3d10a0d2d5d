import { withApi, json } from "@/lib/api/with-api";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { setEndpointDisabled } from "@/lib/endpoints/update-endpoint";
import { drainImpact } from "@/lib/endpoints/drain";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints/{id}/disable – on-call action: drain traffic away (runs skip it) (audited).
// The answer names the deployments left with no enabled target (details.deploymentsWithoutTarget)
// and what happens to their new runs (warning). ?dryRun=true only reports that, changing nothing.
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ req, actor, params }) => {
  if (["1", "true"].includes(new URL(req.url).searchParams.get("dryRun") ?? "")) {
    requirePermission(actor, "endpoints:operate");
    if (!(await db().endpoint.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("Endpoint", params.id);
    const impact = await drainImpact(params.id);
    return json({ dryRun: true, endpointId: params.id, warning: impact.warning, details: { deploymentsWithoutTarget: impact.deploymentsWithoutTarget } });
  }
  const ep = await setEndpointDisabled(actor, params.id, true);
  return json({ ...serializeEndpoint(ep), warning: ep.impact?.warning ?? null, details: { deploymentsWithoutTarget: ep.impact?.deploymentsWithoutTarget ?? [] } });
});
