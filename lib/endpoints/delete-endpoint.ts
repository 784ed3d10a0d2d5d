// Delete an endpoint no live deployment targets and no run attempt used (else: disable it).
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { auditedEndpoint } from "./audited";
import { loadEndpoint } from "./load-endpoint";
import { DeleteEndpointInput } from "./delete-endpoint.types";

export async function deleteEndpoint({ ctx, input }: VerbArgs<DeleteEndpointInput>): Promise<void> {
  const { actor } = ctx;
  requirePermission(actor, "endpoints:write");
  const { id } = DeleteEndpointInput.parse(input);
  await loadEndpoint(id);
  // Deleted deployments do not hold an endpoint: their target rows go with it.
  const used = await db().deploymentTarget.findMany({ where: { endpointId: id, deployment: { deletedAt: null } }, include: { deployment: { select: { slug: true } } } });
  if (used.length) {
    throw new ApiError("conflict", `The endpoint is a target of ${used.map((u) => u.deployment.slug).join(", ")}; remove it from those deployments (or disable it) first.`, {
      deployments: used.map((u) => u.deployment.slug),
    });
  }
  const attempts = await db().runAttempt.count({ where: { endpointId: id } });
  if (attempts) throw new ApiError("conflict", `The endpoint has ${attempts} recorded run attempt(s); disable it instead of deleting it, so run history stays intact.`);
  await inTransaction(ctx, async (tx) => {
    await tx.deploymentTarget.deleteMany({ where: { endpointId: id, deployment: { deletedAt: { not: null } } } });
    const gone = await tx.endpoint.delete({ where: { id } });
    await audit(tx, actor, "endpoint.delete", { type: "endpoint", id }, undefined, { before: auditedEndpoint(gone) });
  });
}
