import { withApi, json } from "@/lib/api/with-api";
import { setDeploymentPaused } from "@/lib/deployments/set-deployment-paused";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments/{slug}/pause – refuse new runs (409 deployment_paused) until resumed (audited)
export const POST = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ ctx, params }) => {
  return json(serializeDeployment(await setDeploymentPaused({ ctx, input: { slug: params.slug, paused: true } })));
});
