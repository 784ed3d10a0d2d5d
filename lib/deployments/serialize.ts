import type { Deployment, DeploymentSlot, DeploymentTarget, Endpoint, WorkflowVersion } from "@/lib/generated/prisma/client";
import { slotsJsonSchema, type Slot } from "@/lib/comfy-graph";
import { effectiveHedgeBudgetPercent } from "@/lib/runs/engine/hedge-budget";

// Limits stored before they were clamped (a seed's 2^64 - 1 from /object_info) are given back as exact
// JSON integers, so a client that sends a deployment's slots back is not refused (number_out_of_range).
const safe = (n: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));

export function slotFromRow(s: DeploymentSlot): Slot {
  const slot: Slot = { name: s.name, nodeId: s.nodeId, input: s.input, type: s.type as Slot["type"], required: s.required };
  if (s.default !== null && s.default !== undefined) slot.default = s.default;
  if (s.min !== null) slot.min = safe(s.min);
  if (s.max !== null) slot.max = safe(s.max);
  if (s.step !== null) slot.step = s.step;
  if (Array.isArray(s.enum)) slot.enum = s.enum as (string | number)[];
  if (s.description) slot.description = s.description;
  return slot;
}

type Full = Deployment & {
  slots: DeploymentSlot[];
  targets: (DeploymentTarget & { endpoint?: Endpoint })[];
  workflowVersion?: WorkflowVersion;
};

export function serializeDeployment(d: Full) {
  const slots = [...d.slots].sort((a, b) => a.position - b.position).map(slotFromRow);
  return {
    id: d.id,
    name: d.name,
    slug: d.slug,
    workflowId: d.workflowId,
    workflowVersionId: d.workflowVersionId,
    workflowVersion: d.workflowVersion?.number ?? null,
    slots,
    inputSchema: slotsJsonSchema(slots),
    targets: [...d.targets]
      .sort((a, b) => a.priority - b.priority)
      .map((t) => ({ endpointId: t.endpointId, priority: t.priority, endpointName: t.endpoint?.name, provider: t.endpoint?.provider })),
    timeoutSeconds: d.timeoutSeconds,
    maxAttempts: d.maxAttempts,
    stuckAfterSeconds: d.stuckAfterSeconds,
    paused: d.paused,
    monthlyBudgetUsd: d.monthlyBudgetUsd === null || d.monthlyBudgetUsd === undefined ? null : Number(d.monthlyBudgetUsd),
    budgetHardStop: d.budgetHardStop ?? false,
    /** The deployment's own cap on lateness hedges' extra GPU time (%); null = the Flowgate default. */
    hedgeBudgetPercent: d.hedgeBudgetPercent ?? null,
    /** The cap in force: the deployment's own, else FLOWGATE_HEDGE_BUDGET (10 %). */
    effectiveHedgeBudgetPercent: effectiveHedgeBudgetPercent(d.hedgeBudgetPercent),
    /** active | paused | deleted (deleted: out of service, runs kept; see deletedAt) */
    status: d.deletedAt ? "deleted" : d.paused ? "paused" : "active",
    deletedAt: d.deletedAt?.toISOString() ?? null,
    url: `/api/v1/deployments/${d.slug}/runs`,
    openapiUrl: `/api/v1/deployments/${d.slug}/openapi.json`,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
