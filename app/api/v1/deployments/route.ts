import { withApi, json, readJson } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { page, pageParams } from "@/lib/api/pagination";
import { createDeployment, deploymentInclude } from "@/lib/deployments/create-deployment";
import { serializeDeployment } from "@/lib/deployments/serialize";

// POST /api/v1/deployments – expose a workflow version as an API (pre-flighted against every target)
export const POST = withApi({ permission: "deployments:write" }, async ({ req, actor }) => {
  const d = await createDeployment(actor, await readJson(req));
  const s = serializeDeployment(d);
  return json({ ...s, id: s.id, slug: s.slug, url: s.url, openapiUrl: s.openapiUrl }, 201);
});

// GET /api/v1/deployments – list deployments in service (?workflowId= to filter, ?includeDeleted=true for deleted ones too)
export const GET = withApi({ permission: "read" }, async ({ req }) => {
  const url = new URL(req.url);
  const { limit, cursor } = pageParams(url);
  const workflowId = url.searchParams.get("workflowId") || undefined;
  const includeDeleted = ["1", "true"].includes(url.searchParams.get("includeDeleted") ?? "");
  const rows = await db().deployment.findMany({
    where: { ...(cursor ? { id: { lt: cursor } } : {}), ...(workflowId ? { workflowId } : {}), ...(includeDeleted ? {} : { deletedAt: null }) },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: deploymentInclude,
  });
  const p = page(rows, limit);
  return json({ items: p.items.map(serializeDeployment), nextCursor: p.nextCursor });
});
