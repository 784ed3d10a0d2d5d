// One workflow with all its versions (newest first).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { serializeWorkflow } from "./serialize";
import { GetWorkflowInput } from "./get-workflow.types";

export async function getWorkflow({ ctx, input }: VerbArgs<GetWorkflowInput>) {
  requirePermission(ctx.actor, "read");
  const { id } = GetWorkflowInput.parse(input);
  const w = await dbOf(ctx).workflow.findUnique({
    where: { id },
    include: { versions: { orderBy: { number: "desc" } }, _count: { select: { versions: true, deployments: true } } },
  });
  if (!w) throw notFound("Workflow", id);
  return serializeWorkflow(w);
}
