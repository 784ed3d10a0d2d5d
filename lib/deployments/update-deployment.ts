// Edit a deployment (name, targets and their order, timeouts, attempts, slots, workflow version).
// One transaction with its audit rows (before → after). Pause/resume: set-deployment-paused.ts.
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import type { ApiPrompt, Slot } from "@/lib/comfy-graph";
import { UpdateDeploymentBody, type UpdateDeploymentInput } from "./update-deployment.types";
import { checkSlots, checkTargets, deploymentInclude, slotRows } from "./create-deployment";
import { liveDeployment, type LoadedDeployment } from "./live-deployment";

export { deletedError, pausedError } from "./messages";

/** The settings an audit row compares, in their public shape. */
function settings(d: LoadedDeployment) {
  return {
    name: d.name,
    workflowVersionId: d.workflowVersionId,
    timeoutSeconds: d.timeoutSeconds,
    maxAttempts: d.maxAttempts,
    stuckAfterSeconds: d.stuckAfterSeconds,
    paused: d.paused,
    monthlyBudgetUsd: d.monthlyBudgetUsd === null ? null : Number(d.monthlyBudgetUsd),
    budgetHardStop: d.budgetHardStop,
    hedgeBudgetPercent: d.hedgeBudgetPercent,
    targets: [...d.targets].sort((a, b) => a.priority - b.priority).map((t) => ({ endpointId: t.endpointId, priority: t.priority })),
    slots: [...d.slots].sort((a, b) => a.position - b.position).map((s) => s.name),
  };
}

function changed(before: ReturnType<typeof settings>, after: ReturnType<typeof settings>) {
  const keys = Object.keys(before) as (keyof typeof before)[];
  const diff = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    fields: diff,
    before: Object.fromEntries(diff.map((k) => [k, before[k]])),
    after: Object.fromEntries(diff.map((k) => [k, after[k]])),
  };
}

export async function updateDeployment({ ctx, input: args }: VerbArgs<UpdateDeploymentInput>) {
  const { actor } = ctx;
  const { slug } = args;
  requirePermission(actor, "deployments:write");
  const input = UpdateDeploymentBody.parse(args.changes);
  const current = await liveDeployment(slug);
  const versionId = input.workflowVersionId ?? current.workflowVersionId;
  const version = await db().workflowVersion.findUnique({ where: { id: versionId } });
  if (!version || version.workflowId !== current.workflowId) {
    throw new ApiError("not_found", `Workflow version "${versionId}" does not exist for this deployment's workflow.`);
  }
  const prompt = version.prompt as unknown as ApiPrompt;
  const newVersion = versionId !== current.workflowVersionId;
  if (newVersion || input.slots) {
    const slots = (input.slots as Slot[] | undefined) ?? current.slots.map((s) => ({ name: s.name, nodeId: s.nodeId, input: s.input, type: s.type as Slot["type"] }));
    checkSlots(prompt, slots);
  }
  if (newVersion || input.targets) {
    // Like create: an endpoint must be able to run the workflow before it gets traffic. A new
    // version is checked on every target; otherwise only the targets this edit adds.
    const targets = input.targets ?? current.targets;
    const existing = new Set(current.targets.map((t) => t.endpointId));
    await checkTargets(prompt, targets, newVersion ? undefined : targets.map((t) => t.endpointId).filter((id) => !existing.has(id)));
  }
  return inTransaction(ctx, async (tx) => {
    if (input.slots) {
      await tx.deploymentSlot.deleteMany({ where: { deploymentId: current.id } });
      await tx.deploymentSlot.createMany({ data: slotRows(input.slots as Slot[]).map((r) => ({ ...r, deploymentId: current.id })) });
    }
    if (input.targets) {
      await tx.deploymentTarget.deleteMany({ where: { deploymentId: current.id } });
      await tx.deploymentTarget.createMany({
        data: input.targets.map((t) => ({ id: newId("tgt"), deploymentId: current.id, endpointId: t.endpointId, priority: t.priority })),
      });
    }
    const d = await tx.deployment.update({
      where: { id: current.id },
      data: {
        name: input.name,
        workflowVersionId: versionId,
        timeoutSeconds: input.timeoutSeconds,
        maxAttempts: input.maxAttempts,
        stuckAfterSeconds: input.stuckAfterSeconds,
        paused: input.paused,
        monthlyBudgetUsd: input.monthlyBudgetUsd,
        budgetHardStop: input.budgetHardStop,
        hedgeBudgetPercent: input.hedgeBudgetPercent,
      },
      include: deploymentInclude,
    });
    // One row per kind of change: the pause/resume as itself (like POST …/pause), the rest as an
    // update with before → after. A PATCH that changes nothing writes nothing.
    const diff = changed(settings(current), settings(d));
    const rest = diff.fields.filter((f) => f !== "paused");
    if (rest.length) {
      const pick = (o: Record<string, unknown>) => Object.fromEntries(rest.map((k) => [k, o[k]]));
      await audit(tx, actor, "deployment.update", { type: "deployment", id: d.id }, { slug, fields: rest }, { before: pick(diff.before), after: pick(diff.after) });
    }
    if (diff.fields.includes("paused")) {
      await audit(tx, actor, d.paused ? "deployment.pause" : "deployment.resume", { type: "deployment", id: d.id }, { slug }, { before: { paused: !d.paused }, after: { paused: d.paused } });
    }
    return d;
  });
}
