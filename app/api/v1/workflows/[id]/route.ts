import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { serializeWorkflow } from "@/lib/workflows/serialize";

// GET /api/v1/workflows/{id} – a workflow with its versions (newest first)
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ params }) => {
  const w = await db().workflow.findUnique({
    where: { id: params.id },
    include: { versions: { orderBy: { number: "desc" } }, _count: { select: { versions: true, deployments: true } } },
  });
  if (!w) throw notFound("Workflow", params.id);
  return json(serializeWorkflow(w));
});
