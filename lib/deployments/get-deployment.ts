// One deployment with slots, targets, its input schema and run counts. A deleted one too (status
// "deleted", deletedAt), so its history stays explorable.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type Ctx, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { deploymentInclude } from "./create-deployment";
import { deploymentRunCounts } from "./delete-deployment";
import { serializeDeployment } from "./serialize";
import { GetDeploymentInput } from "./get-deployment.types";

/** The deployment row with its slots and targets, or 404 not_found. */
export async function findDeployment(ctx: Ctx, slug: string) {
  const d = await dbOf(ctx).deployment.findUnique({ where: { slug }, include: deploymentInclude });
  if (!d) throw notFound("Deployment", slug);
  return d;
}

export async function getDeployment({ ctx, input }: VerbArgs<GetDeploymentInput>) {
  requirePermission(ctx.actor, "read");
  const { slug } = GetDeploymentInput.parse(input);
  const d = await findDeployment(ctx, slug);
  const counts = await deploymentRunCounts(d.id);
  return { ...serializeDeployment(d), runCounts: { total: counts.runs, inFlight: counts.runsInFlight } };
}
