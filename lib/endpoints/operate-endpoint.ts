// The on-call actions that call the provider: restart, purge queue. Audited intent first (outcome
// "pending"), then the outcome ("ok" / "failed").
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { audit, setAuditOutcome } from "@/lib/audit/record";
import { actorName } from "@/lib/audit/actor-name";
import { getProvider } from "@/lib/providers/registry";
import { toTarget } from "./target";
import { loadEndpoint } from "./load-endpoint";
import { OperateEndpointInput, type OperateEndpointOutput } from "./operate-endpoint.types";

export async function operateEndpoint({ ctx, input }: VerbArgs<OperateEndpointInput>): Promise<OperateEndpointOutput> {
  const { actor } = ctx;
  requirePermission(actor, "endpoints:operate");
  const { id, action } = OperateEndpointInput.parse(input);
  const ep = await loadEndpoint(id);
  const provider = getProvider(ep.provider);
  const fn = action === "restart" ? provider.restart : provider.purgeQueue;
  if (!fn) {
    throw new ApiError("not_supported", `${ep.provider} endpoints do not support ${action === "restart" ? "restarting" : "purging the queue"} from Flowgate.`);
  }
  // The audit row is committed before the provider is called (outcome "pending"), so the run engine,
  // seeing an attempt on this endpoint interrupted a moment later, can say who interrupted it. The
  // outcome ("ok" / "failed") is recorded after the call; a failure to record it is not swallowed.
  // (details.actorName: read by lib/runs/engine.ts until it reads the actorName column.)
  const name = actorName(actor);
  const row = await db().$transaction((tx) => audit(tx, actor, `endpoint.${action}`, { type: "endpoint", id }, { actorName: name }, { outcome: "pending" }));
  let result: { message: string; removed?: number };
  try {
    result = await fn.call(provider, toTarget(ep));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await setAuditOutcome(db(), row.id, "failed", { actorName: name, message });
    throw new ApiError("endpoint_unreachable", `The ${action} did not go through: ${message}`, { endpointId: id, auditId: row.id });
  }
  await setAuditOutcome(db(), row.id, "ok", { actorName: name, message: result.message, ...(result.removed !== undefined ? { removed: result.removed } : {}) });
  return result;
}
