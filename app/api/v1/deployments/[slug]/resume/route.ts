import { withApi, json } from "@/lib/api/with-api";
import { setDeploymentPaused } from "@/lib/deployments/update-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments/{slug}/resume – accept new runs again (audited)
export const POST = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ actor, params }) => {
  return json(serializeDeployment(await setDeploymentPaused(actor, params.slug, false)));
});
