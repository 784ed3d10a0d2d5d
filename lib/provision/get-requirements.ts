// GET /api/v1/workflows/{id}/versions/{n}/requirements: the packs, models and unknowns of a version.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import type { ApiPrompt } from "@/lib/comfy-graph";
import { findWorkflowVersion } from "@/lib/workflows/get-workflow-version";
import { computeRequirements } from "./compute";
import { GetRequirementsInput, type RequirementsOutput } from "./get-requirements.types";

export async function getRequirements({ ctx, input }: VerbArgs<GetRequirementsInput>): Promise<RequirementsOutput> {
  requirePermission(ctx.actor, "read");
  const { workflowId, number } = GetRequirementsInput.parse(input);
  const v = await findWorkflowVersion(ctx, workflowId, number);
  return computeRequirements(ctx, { original: v.original, prompt: v.prompt as unknown as ApiPrompt });
}
