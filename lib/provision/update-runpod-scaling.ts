// PATCH /api/v1/provision/runpod-endpoints/{id}: change a RunPod endpoint's scaling knobs (workers
// min/max, idle timeout, FlashBoot, execution timeout) after creation, through RunPod's REST API v1
// (the endpoint's managementUrl, with its stored encrypted key), and keep them on the Flowgate
// endpoint's config (`config.scaling`, `config.executionTimeoutMs`). The current values are read from
// RunPod first (the provider is the truth: someone may have changed them in the console). Audited like
// the other provider calls: the intent (before/after) is committed before the PATCH (outcome
// "pending"), the outcome and the stored config after it, in one transaction.
import { audit, setAuditOutcome } from "@/lib/audit/record";
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { db } from "@/lib/db";
import { loadEndpoint } from "@/lib/endpoints/load-endpoint";
import { toTarget } from "@/lib/endpoints/target";
import { ApiError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { rest } from "./create-runpod-endpoint";
import { RunpodScalingKnobs, UpdateRunpodScalingInput, type UpdateRunpodScalingResult } from "./update-runpod-scaling.types";

const KNOBS = ["workersMin", "workersMax", "idleTimeout", "flashboot", "executionTimeoutMs"] as const;
type Knobs = Partial<RunpodScalingKnobs>;

const pick = (o: Record<string, unknown>): Knobs => {
  const out: Record<string, unknown> = {};
  for (const k of KNOBS) if (typeof o[k] === (k === "flashboot" ? "boolean" : "number")) out[k] = o[k];
  return out as Knobs;
};

export async function updateRunpodScaling({ ctx, input }: VerbArgs<UpdateRunpodScalingInput>): Promise<UpdateRunpodScalingResult> {
  requirePermission(ctx.actor, "endpoints:write");
  const { endpointId, ...asked } = UpdateRunpodScalingInput.parse(input);
  const change: Knobs = pick(asked);
  if (!Object.keys(change).length) throw new ApiError("validation_failed", `Give at least one of ${KNOBS.join(", ")}.`);
  const ep = await loadEndpoint(endpointId);
  const target = toTarget(ep);
  const management = typeof target.config?.managementUrl === "string" ? target.config.managementUrl.replace(/\/+$/, "") : "";
  const rpId = typeof target.config?.endpointId === "string" ? target.config.endpointId : "";
  if (ep.provider !== "runpod" || !management || !rpId || !target.secret) {
    throw new ApiError(
      "not_supported",
      ep.provider !== "runpod"
        ? `Endpoint "${ep.name}" is a ${ep.provider} endpoint: only RunPod endpoints have scaling knobs here.`
        : `Endpoint "${ep.name}" has no config.managementUrl (e.g. https://rest.runpod.io/v1) or no API key, so Flowgate cannot change its scaling; set them, or create the endpoint through provisioning.`,
      { endpointId },
    );
  }
  const path = `/endpoints/${encodeURIComponent(rpId)}`;
  let before: Knobs;
  try {
    before = pick(await rest(management, "GET", path, target.secret));
  } catch (e) {
    throw new ApiError("endpoint_unreachable", `Could not read the RunPod endpoint's current scaling: ${(e as Error).message}`, { endpointId });
  }
  const wanted = { ...before, ...change };
  if (typeof wanted.workersMin === "number" && typeof wanted.workersMax === "number" && wanted.workersMin > wanted.workersMax) {
    throw new ApiError("validation_failed", `workersMin (${wanted.workersMin}) cannot be above workersMax (${wanted.workersMax}).`, { endpointId, workersMin: wanted.workersMin, workersMax: wanted.workersMax });
  }
  const row = await db().$transaction((tx) =>
    audit(tx, ctx.actor, "provision.runpod_scaling", { type: "endpoint", id: endpointId }, { runpodEndpointId: rpId, fields: Object.keys(change) }, { outcome: "pending", before, after: wanted }),
  );
  let after: Knobs;
  try {
    after = pick(await rest(management, "PATCH", path, target.secret, change));
  } catch (e) {
    const message = (e as Error).message;
    await setAuditOutcome(db(), row.id, "failed", { runpodEndpointId: rpId, fields: Object.keys(change), message });
    throw new ApiError("endpoint_unreachable", `RunPod did not take the new scaling: ${message}`, { endpointId, auditId: row.id });
  }
  const stored = { ...wanted, ...after };
  const scaling = RunpodScalingKnobs.omit({ executionTimeoutMs: true }).partial().parse({ workersMin: stored.workersMin, workersMax: stored.workersMax, idleTimeout: stored.idleTimeout, flashboot: stored.flashboot });
  await db().$transaction(async (tx) => {
    const cur = await tx.endpoint.findUniqueOrThrow({ where: { id: endpointId }, select: { config: true } });
    const config = { ...((cur.config as Record<string, unknown> | null) ?? {}), scaling, ...(typeof stored.executionTimeoutMs === "number" ? { executionTimeoutMs: stored.executionTimeoutMs } : {}) };
    await tx.endpoint.update({ where: { id: endpointId }, data: { config: config as Prisma.InputJsonValue } });
    await setAuditOutcome(tx, row.id, "ok", { runpodEndpointId: rpId, fields: Object.keys(change), reported: after });
  });
  return { endpointId, runpodEndpointId: rpId, before, after: stored, auditId: row.id };
}
