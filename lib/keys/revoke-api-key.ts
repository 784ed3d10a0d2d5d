// DELETE /api/v1/keys/{id}: the key stops working at once (401 api_key_revoked). Audited as
// apikey.revoke in the same transaction; revoking twice changes nothing and writes nothing.
import type { VerbArgs } from "@/lib/context";
import { db, type Prisma } from "@/lib/db";
import { audit } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";
import { keyAccess } from "./access";
import { RevokeApiKeyInput } from "./revoke-api-key.types";
import { keyInclude, serializeApiKey, type ApiKey } from "./schemas";

export async function revokeApiKey({ ctx, input }: VerbArgs<RevokeApiKeyInput>): Promise<ApiKey> {
  const access = keyAccess(ctx.actor);
  const { id } = RevokeApiKeyInput.parse(input);
  const run = async (tx: Prisma.TransactionClient) => {
    const key = await tx.apiKey.findUnique({ where: { id }, include: keyInclude });
    // Someone else's key reads as missing: a user cannot learn which key ids exist.
    if (!key || (!access.all && key.userId !== access.userId)) throw notFound("API key", id);
    if (key.revokedAt) return serializeApiKey(key);
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, include: keyInclude });
    await audit(tx, ctx.actor, "apikey.revoke", { type: "apiKey", id }, { name: key.name }, { before: { revokedAt: null }, after: { revokedAt: revoked.revokedAt!.toISOString() } });
    return serializeApiKey(revoked);
  };
  return ctx.tx ? run(ctx.tx) : db().$transaction(run);
}
