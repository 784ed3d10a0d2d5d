import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { deploymentInclude } from "@/lib/deployments/create-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";
import { deletedError } from "@/lib/deployments/update-deployment";
import { deploymentOpenapiDocument } from "@/lib/api/openapi";

// GET /api/v1/deployments/{slug}/openapi.json – one deployment, its slots as the request schema
export const GET = withApi<{ slug: string }>({ permission: "read" }, async ({ params }) => {
  const d = await db().deployment.findUnique({ where: { slug: params.slug }, include: deploymentInclude });
  if (!d) throw notFound("Deployment", params.slug);
  if (d.deletedAt) throw deletedError(d.slug, d.deletedAt);
  return json(deploymentOpenapiDocument(serializeDeployment(d)));
});
