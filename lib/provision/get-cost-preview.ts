// GET /api/v1/workflows/{id}/versions/{n}/cost-preview?workersMin=N: expected cost per run and per
// 1,000 runs on each candidate GPU, from the succeeded attempts of the same workflow (any version;
// the last 500) when there are some, else labelled estimates (lib/cost/preview.ts).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { previewCost } from "@/lib/cost/preview";
import { findWorkflowVersion } from "@/lib/workflows/get-workflow-version";
import { GetCostPreviewInput, type CostPreviewOutput } from "./get-requirements.types";

export async function getCostPreview({ ctx, input }: VerbArgs<GetCostPreviewInput>): Promise<CostPreviewOutput> {
  requirePermission(ctx.actor, "read");
  const { workflowId, number, workersMin } = GetCostPreviewInput.parse(input);
  await findWorkflowVersion(ctx, workflowId, number);
  const attempts = await dbOf(ctx).runAttempt.findMany({
    where: { status: "succeeded", executionMs: { gt: 0 }, run: { workflowVersion: { workflowId } } },
    select: { executionMs: true, coldStartMs: true, endpoint: { select: { provider: true, gpu: true } } },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return previewCost(
    attempts.map((a) => ({ provider: a.endpoint.provider, gpu: a.endpoint.gpu, executionMs: a.executionMs ?? 0, coldStartMs: a.coldStartMs })),
    { workersMin },
  );
}
