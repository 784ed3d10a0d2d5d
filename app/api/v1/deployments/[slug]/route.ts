import { withApi, json, readJson } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { deploymentInclude, updateDeployment } from "@/lib/deployments/create-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";

// GET /api/v1/deployments/{slug} – one deployment with slots, targets and its input schema
export const GET = withApi<{ slug: string }>({ permission: "read" }, async ({ params }) => {
  const d = await db().deployment.findUnique({ where: { slug: params.slug }, include: deploymentInclude });
  if (!d) throw notFound("Deployment", params.slug);
  return json(serializeDeployment(d));
});

// PATCH /api/v1/deployments/{slug} – targets, timeouts, pause, slots, or a new workflow version
export const PATCH = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ req, actor, params }) => {
  const d = await updateDeployment(actor, params.slug, await readJson(req));
  return json(serializeDeployment(d));
});
