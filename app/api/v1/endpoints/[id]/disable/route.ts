import { withApi, json } from "@/lib/api/with-api";
import { setEndpointDisabled } from "@/lib/endpoints/set-endpoint-disabled";
import { previewDisable } from "@/lib/endpoints/preview-disable";
import { serializeEndpoint } from "@/lib/endpoints/serialize";

// POST /api/v1/endpoints/{id}/disable – on-call action: drain traffic away (runs skip it) (audited).
// The answer names the deployments left with no enabled target (details.deploymentsWithoutTarget)
// and what happens to their new runs (warning). ?dryRun=true only reports that, changing nothing.
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ req, ctx, params }) => {
  if (["1", "true"].includes(new URL(req.url).searchParams.get("dryRun") ?? "")) {
    return json(await previewDisable({ ctx, input: { id: params.id } }));
  }
  const ep = await setEndpointDisabled({ ctx, input: { id: params.id, disabled: true } });
  return json({ ...serializeEndpoint(ep), warning: ep.impact?.warning ?? null, details: { deploymentsWithoutTarget: ep.impact?.deploymentsWithoutTarget ?? [] } });
});
