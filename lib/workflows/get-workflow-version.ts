// One workflow version in full: the original JSON, the API-format prompt and the analysis.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type Ctx, type VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { serializeWorkflowVersion } from "./serialize";
import { GetWorkflowVersionInput } from "./get-workflow.types";

/** The version row, or 404 not_found. For verbs that need the row itself (diff, preflight). */
export async function findWorkflowVersion(ctx: Ctx, workflowId: string, number: number) {
  const v = await dbOf(ctx).workflowVersion.findUnique({ where: { workflowId_number: { workflowId, number } } });
  if (!v) throw new ApiError("not_found", `Workflow ${workflowId} has no version ${number}.`);
  return v;
}

export async function getWorkflowVersion({ ctx, input }: VerbArgs<GetWorkflowVersionInput>) {
  requirePermission(ctx.actor, "read");
  const { workflowId, number } = GetWorkflowVersionInput.parse(input);
  const v = await findWorkflowVersion(ctx, workflowId, number);
  return { workflowId: v.workflowId, ...serializeWorkflowVersion(v, { full: true }) };
}
