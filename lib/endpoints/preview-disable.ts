// What disabling an endpoint would do, changing nothing (`POST …/disable?dryRun=true`): the
// deployments it would leave with no enabled target, and what happens to their new runs.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { drainImpact } from "./drain";
import { GetEndpointInput } from "./list-endpoints.types";

export async function previewDisable({ ctx, input }: VerbArgs<GetEndpointInput>) {
  requirePermission(ctx.actor, "endpoints:operate");
  const { id } = GetEndpointInput.parse(input);
  if (!(await dbOf(ctx).endpoint.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Endpoint", id);
  const impact = await drainImpact(id);
  return { dryRun: true as const, endpointId: id, warning: impact.warning, details: { deploymentsWithoutTarget: impact.deploymentsWithoutTarget } };
}
