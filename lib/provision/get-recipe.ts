// GET /api/v1/workflows/{id}/versions/{n}/recipe?provider=runpod: the worker image recipe of a version
// (Dockerfile, CI workflow, extra_model_paths.yaml, network-volume script), from its requirements.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { dbOf } from "@/lib/context";
import type { ApiPrompt } from "@/lib/comfy-graph";
import { findWorkflowVersion } from "@/lib/workflows/get-workflow-version";
import { computeRequirements } from "./compute";
import { GetRecipeInput } from "./get-requirements.types";
import { buildRecipe, slugOf, type Recipe } from "./recipe";

export async function getRecipe({ ctx, input }: VerbArgs<GetRecipeInput>): Promise<Recipe & { provider: "runpod"; folder: string }> {
  requirePermission(ctx.actor, "read");
  const { workflowId, number, image } = GetRecipeInput.parse(input);
  const v = await findWorkflowVersion(ctx, workflowId, number);
  const wf = await dbOf(ctx).workflow.findUnique({ where: { id: workflowId }, select: { name: true } });
  const req = await computeRequirements(ctx, { original: v.original, prompt: v.prompt as unknown as ApiPrompt });
  const recipe = buildRecipe(req, { workflowName: wf?.name ?? workflowId, version: number, image, generatedAt: new Date().toISOString().slice(0, 10), workerVersion: process.env.FLOWGATE_WORKER_COMFYUI_VERSION || undefined });
  return { provider: "runpod", folder: `flowgate-${slugOf(wf?.name ?? workflowId)}-v${number}`, ...recipe };
}
