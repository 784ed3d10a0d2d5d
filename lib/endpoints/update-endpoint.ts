// Edit, delete and the on-call actions (restart, purge queue, disable/enable). Each writes an audit row.
import { db } from "@/lib/db";
import { ApiError, notFound } from "@/lib/errors";
import { hasPermission, requirePermission, type Actor } from "@/lib/auth/actor";
import { audit, setAuditOutcome } from "@/lib/audit/record";
import { actorName } from "@/lib/audit/actor-name";
import { encryptSecret } from "@/lib/crypto/secrets";
import { getProvider } from "@/lib/providers/registry";
import { UpdateEndpointInput, type ProviderName } from "./schemas";
import { parseProviderConfig } from "./create-endpoint";
import { toTarget } from "./target";
import { sealConfig, URL_KEYS } from "./credentials";
import { destinations, endpointDiff, auditedEndpoint } from "./audited";
import { drainImpact } from "./drain";
import { Prisma } from "@/lib/generated/prisma/client";

async function load(id: string) {
  const ep = await db().endpoint.findUnique({ where: { id } });
  if (!ep) throw notFound("Endpoint", id);
  return ep;
}

export async function updateEndpoint(actor: Actor, id: string, body: unknown) {
  requirePermission(actor, "endpoints:write");
  const input = UpdateEndpointInput.parse(body);
  const ep = await load(id);
  const parsed = input.config ? await parseProviderConfig(ep.provider as ProviderName, input.config) : undefined;
  const sealed = parsed ? sealConfig(parsed, ep.config as Record<string, unknown> | null) : undefined;
  const config = sealed?.config;

  // Re-pointing an endpoint (any URL it calls moves to another origin) would send its stored secrets
  // to the new place. Only an admin may carry them over; anyone else re-enters them (or drops them).
  let repoint: { key: string; from: string | null; to: string | null }[] = [];
  if (config) {
    const before = destinations(ep.provider, ep.config as Record<string, unknown> | null);
    const after = destinations(ep.provider, config);
    repoint = URL_KEYS.filter((k) => before[k] !== after[k] && after[k] !== null).map((k) => ({ key: k, from: before[k], to: after[k] }));
  }
  const carried = [...(sealed?.kept ?? []), ...(ep.secretEncrypted && input.secret === undefined ? ["secret"] : [])];
  if (repoint.length && carried.length && !hasPermission(actor, "admin")) {
    const moves = repoint.map((r) => `${r.key} ${r.from ?? "(unset)"} → ${r.to}`).join(", ");
    throw new ApiError(
      "forbidden",
      `Changing where this endpoint points (${moves}) would send its stored credentials there. Send them again with the change (${carried.join(", ")}), remove them, or ask an admin.`,
      { reason: "secret_reentry_required", repoint, credentials: carried },
    );
  }
  return db().$transaction(async (tx) => {
    const updated = await tx.endpoint.update({
      where: { id },
      data: {
        name: input.name,
        config: config as Prisma.InputJsonValue | undefined,
        // Changing where it points invalidates the cached node definitions.
        ...(config ? { objectInfo: Prisma.DbNull, objectInfoFetchedAt: null } : {}),
        secretEncrypted: input.secret === undefined ? undefined : input.secret ? encryptSecret(input.secret) : null,
        gpu: input.gpu,
        pricePerHourUsd: input.pricePerHourUsd,
      },
    });
    await audit(tx, actor, "endpoint.update", { type: "endpoint", id }, { fields: Object.keys(input) }, endpointDiff(ep, updated));
    if (repoint.length) {
      await audit(tx, actor, "endpoint.repoint", { type: "endpoint", id }, { repoint, credentialsCarriedOver: repoint.length && carried.length ? carried : [], role: actor.role });
    }
    return updated;
  });
}

export async function deleteEndpoint(actor: Actor, id: string) {
  requirePermission(actor, "endpoints:write");
  await load(id);
  // Deleted deployments do not hold an endpoint: their target rows go with it.
  const used = await db().deploymentTarget.findMany({ where: { endpointId: id, deployment: { deletedAt: null } }, include: { deployment: { select: { slug: true } } } });
  if (used.length) {
    throw new ApiError("conflict", `The endpoint is a target of ${used.map((u) => u.deployment.slug).join(", ")}; remove it from those deployments (or disable it) first.`, {
      deployments: used.map((u) => u.deployment.slug),
    });
  }
  const attempts = await db().runAttempt.count({ where: { endpointId: id } });
  if (attempts) throw new ApiError("conflict", `The endpoint has ${attempts} recorded run attempt(s); disable it instead of deleting it, so run history stays intact.`);
  await db().$transaction(async (tx) => {
    await tx.deploymentTarget.deleteMany({ where: { endpointId: id, deployment: { deletedAt: { not: null } } } });
    const gone = await tx.endpoint.delete({ where: { id } });
    await audit(tx, actor, "endpoint.delete", { type: "endpoint", id }, undefined, { before: auditedEndpoint(gone) });
  });
}

/** Drain (disable) or enable. Draining reports the deployments it leaves with no enabled target (`impact`). */
export async function setEndpointDisabled(actor: Actor, id: string, disabled: boolean) {
  requirePermission(actor, "endpoints:operate");
  const before = await load(id);
  const impact = disabled ? await drainImpact(id) : null;
  const ep = await db().$transaction(async (tx) => {
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

export async function operateEndpoint(actor: Actor, id: string, action: "restart" | "purge-queue") {
  requirePermission(actor, "endpoints:operate");
  const ep = await load(id);
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

/** How an audit row names who acted (kept here for existing importers). */
export { actorName };
