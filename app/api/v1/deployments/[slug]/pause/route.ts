import { withApi, json } from "@/lib/api/with-api";
import { setDeploymentPaused } from "@/lib/deployments/update-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments/{slug}/pause – refuse new runs (409 deployment_paused) until resumed (audited)
export const POST = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ actor, params }) => {
  return json(serializeDeployment(await setDeploymentPaused(actor, params.slug, true)));
});
