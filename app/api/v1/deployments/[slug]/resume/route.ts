import { withApi, json } from "@/lib/api/with-api";
import { setDeploymentPaused } from "@/lib/deployments/set-deployment-paused";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments/{slug}/resume – accept new runs again (audited)
export const POST = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ ctx, params }) => {
  return json(serializeDeployment(await setDeploymentPaused({ ctx, input: { slug: params.slug, paused: false } })));
});
