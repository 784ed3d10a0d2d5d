import { withApi, json } from "@/lib/api/with-api";
import { getDeploymentOpenapi } from "@/lib/deployments/get-deployment-openapi";

// GET /api/v1/deployments/{slug}/openapi.json – one deployment, its slots as the request schema
export const GET = withApi<{ slug: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getDeploymentOpenapi({ ctx, input: { slug: params.slug } }));
});
