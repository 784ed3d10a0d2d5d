// POST /api/v1/keys: a new API key, shown once. Audited as apikey.create in the same transaction
// (name, scopes, deployments, expiry; never the key or its hash).
import type { VerbArgs } from "@/lib/context";
import { db, type Prisma } from "@/lib/db";
import { insertApiKey } from "@/lib/auth/api-keys";
import { ROLE_SCOPES, type Scope } from "@/lib/auth/scopes";
import { ApiError } from "@/lib/errors";
import { keyAccess, requireGrantable } from "./access";
import { CreateApiKeyInput } from "./create-api-key.types";
import { keyInclude, serializeApiKey, type CreatedApiKey } from "./schemas";

export async function createApiKey({ ctx, input }: VerbArgs<CreateApiKeyInput>): Promise<CreatedApiKey> {
  const access = keyAccess(ctx.actor);
  const v = CreateApiKeyInput.parse(input);
  const scopes: Scope[] = v.scopes ?? [...ROLE_SCOPES[v.role ?? "viewer"]];
  requireGrantable(ctx.actor, scopes);
  const expiresAt = v.expiresAt ? new Date(v.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new ApiError("input_invalid", "expiresAt must be in the future.", { field: "expiresAt" });
  const run = async (tx: Prisma.TransactionClient) => {
    if (v.deployments) {
      const found = await tx.deployment.findMany({ where: { slug: { in: v.deployments }, deletedAt: null }, select: { slug: true } });
      const missing = v.deployments.filter((s) => !found.some((f) => f.slug === s));
      if (missing.length) throw new ApiError("input_invalid", `No deployment ${missing.map((s) => `"${s}"`).join(", ")}: a key can only be limited to deployments that exist.`, { field: "deployments", missing });
    }
    const { row, key } = await insertApiKey(tx, ctx.actor, {
      name: v.name,
      scopes,
      deployments: v.deployments ? [...new Set(v.deployments)] : [],
      expiresAt,
      rateLimitPerMinute: v.rateLimitPerMinute ?? null,
      userId: access.all ? null : access.userId,
    });
    const full = await tx.apiKey.findUniqueOrThrow({ where: { id: row.id }, include: keyInclude });
    return { ...serializeApiKey(full), key };
  };
  return ctx.tx ? run(ctx.tx) : db().$transaction(run);
}

