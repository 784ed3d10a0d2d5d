// Register where workflows execute. Config is checked per provider; the secret is encrypted at rest.
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import { auditedEndpoint } from "./audited";
import { encryptSecret } from "@/lib/crypto/secrets";
import { PROVIDER_CONFIGS } from "./schemas";
import { CreateEndpointInput, type CreateEndpointInputArg } from "./create-endpoint.types";
import { assertAllowedUrl } from "@/lib/net/check-url";
import { sealConfig } from "./credentials";
import type { Prisma } from "@/lib/generated/prisma/client";

export async function parseProviderConfig(provider: keyof typeof PROVIDER_CONFIGS, config: unknown) {
  const parsed = PROVIDER_CONFIGS[provider].safeParse(config);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ApiError("validation_failed", `config.${i.path.join(".") || ""}: ${i.message}`.replace(/\.:/, ":"), {
      issues: parsed.error.issues.map((x) => ({ path: ["config", ...x.path].join("."), message: x.message })),
    });
  }
  const cfg = parsed.data as Record<string, unknown>;
  for (const key of ["baseUrl", "restartUrl", "managementUrl"]) {
    if (typeof cfg[key] === "string") await assertAllowedUrl(cfg[key] as string, "endpoint");
  }
  return cfg;
}

export async function createEndpoint({ ctx, input: body }: VerbArgs<CreateEndpointInputArg>) {
  const { actor } = ctx;
  requirePermission(actor, "endpoints:write");
  const input = CreateEndpointInput.parse(body);
  // Header values and URL userinfo are secrets: encrypted, never stored or returned in clear.
  const { config } = sealConfig(await parseProviderConfig(input.provider, input.config));
  return inTransaction(ctx, async (tx) => {
    const ep = await tx.endpoint.create({
      data: {
        id: newId("ep"),
        name: input.name,
        provider: input.provider,
        config: config as Prisma.InputJsonValue,
        secretEncrypted: input.secret ? encryptSecret(input.secret) : null,
        gpu: input.gpu ?? null,
        pricePerHourUsd: input.pricePerHourUsd ?? null,
      },
    });
    await audit(tx, actor, "endpoint.create", { type: "endpoint", id: ep.id }, { name: ep.name, provider: ep.provider }, { after: auditedEndpoint(ep) });
    return ep;
  });
}
