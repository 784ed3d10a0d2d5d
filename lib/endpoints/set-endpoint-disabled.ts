// Drain (disable) or enable an endpoint: an on-call action, audited with before/after.
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { drainImpact } from "./drain";
import { loadEndpoint } from "./load-endpoint";
import { SetEndpointDisabledInput } from "./set-endpoint-disabled.types";

/** Drain (disable) or enable. Draining reports the deployments it leaves with no enabled target (`impact`). */
export async function setEndpointDisabled({ ctx, input }: VerbArgs<SetEndpointDisabledInput>) {
  const { actor } = ctx;
  requirePermission(actor, "endpoints:operate");
  const { id, disabled } = SetEndpointDisabledInput.parse(input);
  const before = await loadEndpoint(id);
  const impact = disabled ? await drainImpact(id) : null;
  const ep = await inTransaction(ctx, async (tx) => {
    const ep = await tx.endpoint.update({ where: { id }, data: { disabled } });
    await audit(
      tx,
      actor,
      disabled ? "endpoint.disable" : "endpoint.enable",
      { type: "endpoint", id },
      impact?.deploymentsWithoutTarget.length ? { deploymentsWithoutTarget: impact.deploymentsWithoutTarget.map((d) => d.slug) } : undefined,
      { before: { disabled: before.disabled }, after: { disabled } },
    );
    return ep;
  });
  return Object.assign(ep, { impact });
}
