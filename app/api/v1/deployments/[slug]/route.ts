import { withApi, json, readJson } from "@/lib/api/with-api";
import { getDeployment } from "@/lib/deployments/get-deployment";
import { updateDeployment } from "@/lib/deployments/update-deployment";
import type { UpdateDeploymentInput } from "@/lib/deployments/update-deployment.types";
import { deleteDeployment } from "@/lib/deployments/delete-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";

// GET /api/v1/deployments/{slug} – one deployment with slots, targets, its input schema and run
// counts; a deleted one too (status "deleted", deletedAt), so its history stays explorable
export const GET = withApi<{ slug: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await getDeployment({ ctx, input: { slug: params.slug } }));
});

// PATCH /api/v1/deployments/{slug} – targets, timeouts, pause, slots, or a new workflow version
export const PATCH = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ req, ctx, params }) => {
  // The verb parses the body (400 validation_failed on a bad field).
  const changes = (await readJson(req)) as UpdateDeploymentInput["changes"];
  const d = await updateDeployment({ ctx, input: { slug: params.slug, changes } });
  return json(serializeDeployment(d));
});

// DELETE /api/v1/deployments/{slug} – out of service (new runs → 410 deployment_deleted); runs and
// their history stay readable; runs in flight finish; the slug is not reused
export const DELETE = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ ctx, params }) => {
  const r = await deleteDeployment({ ctx, input: { slug: params.slug } });
  return json({ ...serializeDeployment(r.deployment), runCounts: { total: r.runs, inFlight: r.runsInFlight } });
});
