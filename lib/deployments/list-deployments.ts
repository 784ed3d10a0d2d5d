// List deployments, newest first: those in service, or deleted ones too; optionally of one workflow.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import { deploymentInclude } from "./create-deployment";
import { serializeDeployment } from "./serialize";
import { ListDeploymentsInput } from "./list-deployments.types";

export async function listDeployments({ ctx, input }: VerbArgs<ListDeploymentsInput>) {
  requirePermission(ctx.actor, "read");
  const { limit, cursor, workflowId, includeDeleted } = ListDeploymentsInput.parse(input);
  const rows = await dbOf(ctx).deployment.findMany({
    where: { ...(cursor ? { id: { lt: cursor } } : {}), ...(workflowId ? { workflowId } : {}), ...(includeDeleted ? {} : { deletedAt: null }) },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: deploymentInclude,
  });
  const p = page(rows, limit);
  return { items: p.items.map(serializeDeployment), nextCursor: p.nextCursor };
}
