// What changed between two versions of a workflow: nodes added, removed and changed, and for each
// deployment of the workflow which of its slots carry over to the newer version.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { carryOverSlots, diffPrompts, type ApiPrompt } from "@/lib/comfy-graph";
import { slotFromRow } from "@/lib/deployments/serialize";
import { findWorkflowVersion } from "./get-workflow-version";
import { DiffVersionsInput } from "./diff-versions.types";

export async function diffVersions({ ctx, input }: VerbArgs<DiffVersionsInput>) {
  requirePermission(ctx.actor, "read");
  const { workflowId, number, against } = DiffVersionsInput.parse(input);
  const [to, from] = await Promise.all([findWorkflowVersion(ctx, workflowId, number), findWorkflowVersion(ctx, workflowId, against)]);
  const deployments = await dbOf(ctx).deployment.findMany({ where: { workflowId, deletedAt: null }, include: { slots: { orderBy: { position: "asc" } } } });
  const prompt = to.prompt as unknown as ApiPrompt;
  return {
    from: from.number,
    to: to.number,
    diff: diffPrompts(from.prompt as unknown as ApiPrompt, prompt),
    deployments: deployments.map((d) => {
      const c = carryOverSlots(d.slots.map(slotFromRow), prompt);
      return { slug: d.slug, currentVersionId: d.workflowVersionId, kept: c.kept.map((s) => s.name), unresolved: c.unresolved.map((u) => ({ slot: u.slot.name, reason: u.reason })) };
    }),
  };
}
