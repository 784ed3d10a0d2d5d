import { withApi, json, readJson } from "@/lib/api/with-api";
import { createDeployment } from "@/lib/deployments/create-deployment";
import type { CreateDeploymentInputArg } from "@/lib/deployments/create-deployment.types";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { listDeploymentsQuery } from "@/lib/deployments/list-deployments.types";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments – expose a workflow version as an API (pre-flighted against every target)
export const POST = withApi({ permission: "deployments:write" }, async ({ req, ctx }) => {
  // The verb parses the body (400 validation_failed on a bad field).
  const d = await createDeployment({ ctx, input: (await readJson(req)) as CreateDeploymentInputArg });
  const s = serializeDeployment(d);
  return json({ ...s, id: s.id, slug: s.slug, url: s.url, openapiUrl: s.openapiUrl }, 201);
});

// GET /api/v1/deployments – list deployments in service (?workflowId= to filter, ?includeDeleted=true for deleted ones too)
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  return json(await listDeployments({ ctx, input: listDeploymentsQuery(new URL(req.url)) }));
});
