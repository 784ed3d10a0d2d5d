// Edit an endpoint: name, config, secret, GPU, price; audited with before/after (and a re-point row).
// Delete, drain/enable and the on-call actions are delete-endpoint.ts, set-endpoint-disabled.ts and
// operate-endpoint.ts.
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { ProviderName } from "./schemas";
import { UpdateEndpointBody, type UpdateEndpointInput } from "./update-endpoint.types";
import { parseProviderConfig } from "./create-endpoint";
import { sealConfig, URL_KEYS } from "./credentials";
import { destinations, endpointDiff } from "./audited";
import { loadEndpoint } from "./load-endpoint";
import { Prisma } from "@/lib/generated/prisma/client";

export async function updateEndpoint({ ctx, input: args }: VerbArgs<UpdateEndpointInput>) {
  const { actor } = ctx;
  const { id } = args;
  requirePermission(actor, "endpoints:write");
  const input = UpdateEndpointBody.parse(args.changes);
  const ep = await loadEndpoint(id);
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
  if (repoint.length && carried.length && actor.role !== "admin") {
    const moves = repoint.map((r) => `${r.key} ${r.from ?? "(unset)"} → ${r.to}`).join(", ");
    throw new ApiError(
      "forbidden",
      `Changing where this endpoint points (${moves}) would send its stored credentials there. Send them again with the change (${carried.join(", ")}), remove them, or ask an admin.`,
      { reason: "secret_reentry_required", repoint, credentials: carried },
    );
  }
  return inTransaction(ctx, async (tx) => {
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
