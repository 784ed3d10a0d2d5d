// List workflows, newest first, each with its latest version (not the version list).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import { serializeWorkflow } from "./serialize";
import { ListWorkflowsInput } from "./list-workflows.types";

export async function listWorkflows({ ctx, input }: VerbArgs<ListWorkflowsInput>) {
  requirePermission(ctx.actor, "read");
  const { limit, cursor } = ListWorkflowsInput.parse(input);
  const rows = await dbOf(ctx).workflow.findMany({
    where: cursor ? { id: { lt: cursor } } : undefined,
    orderBy: { id: "desc" },
    take: limit + 1,
    include: { versions: { orderBy: { number: "desc" }, take: 1 }, _count: { select: { versions: true, deployments: true } } },
  });
  const p = page(rows, limit);
  return { items: p.items.map((w) => ({ ...serializeWorkflow(w), versions: undefined })), nextCursor: p.nextCursor };
}
