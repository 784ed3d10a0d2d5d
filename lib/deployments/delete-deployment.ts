// Delete a deployment: take it out of service without losing history. The row stays (soft delete,
// `deletedAt`) so its runs, attempts, outputs, events and webhook deliveries keep resolving; new
// runs and retries are refused with 410 `deployment_deleted`; runs already accepted finish (an
// accepted run is never dropped — cancel them first if they should not). The slug is not reused.
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { DeleteDeploymentInput } from "./delete-deployment.types";
import { audit } from "@/lib/audit/record";
import { ApiError } from "@/lib/errors";
import { deploymentInclude } from "./create-deployment";
import { LIVE_STATUSES } from "@/lib/runs/status";

export async function deleteDeployment({ ctx, input }: VerbArgs<DeleteDeploymentInput>) {
  const { actor } = ctx;
  requirePermission(actor, "deployments:write");
  const { slug } = DeleteDeploymentInput.parse(input);
  const current = await db().deployment.findUnique({ where: { slug }, include: deploymentInclude });
  if (!current) throw new ApiError("not_found", `Deployment "${slug}" does not exist.`);
  const { runs, runsInFlight } = await deploymentRunCounts(current.id);
  // Deleting twice is not an error: the deployment is gone either way; nothing is written again.
  if (current.deletedAt) return { deployment: current, runs, runsInFlight };
  const deployment = await inTransaction(ctx, async (tx) => {
    const d = await tx.deployment.update({ where: { id: current.id }, data: { deletedAt: new Date() }, include: deploymentInclude });
    await audit(tx, actor, "deployment.delete", { type: "deployment", id: d.id }, { slug, runs, runsInFlight });
    return d;
  });
  return { deployment, runs, runsInFlight };
}

/** What deleting would do, for the confirmation dialog: how many runs it has and how many are still in flight. */
export async function deploymentRunCounts(deploymentId: string) {
  const [runs, runsInFlight] = await Promise.all([
    db().run.count({ where: { deploymentId } }),
    db().run.count({ where: { deploymentId, status: { in: [...LIVE_STATUSES] } } }),
  ]);
  return { runs, runsInFlight };
}
