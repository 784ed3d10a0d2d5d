// Pause / resume a deployment, audited (one transaction with its row).
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { deploymentInclude } from "./create-deployment";
import { liveDeployment } from "./live-deployment";
import { SetDeploymentPausedInput } from "./set-deployment-paused.types";

/**
 * Pause (no new runs: 409 `deployment_paused`; runs already accepted carry on) or resume.
 * Pausing a paused deployment changes nothing and writes no audit row.
 */
export async function setDeploymentPaused({ ctx, input }: VerbArgs<SetDeploymentPausedInput>) {
  const { actor } = ctx;
  requirePermission(actor, "deployments:write");
  const { slug, paused } = SetDeploymentPausedInput.parse(input);
  const current = await liveDeployment(slug);
  if (current.paused === paused) return current;
  return inTransaction(ctx, async (tx) => {
    const d = await tx.deployment.update({ where: { id: current.id }, data: { paused }, include: deploymentInclude });
    await audit(tx, actor, paused ? "deployment.pause" : "deployment.resume", { type: "deployment", id: d.id }, { slug, before: { paused: !paused }, after: { paused } });
    return d;
  });
}
