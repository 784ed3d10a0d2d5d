// GET /api/v1/keys: keys newest first (an admin sees every key, a user their own), never the secret.
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import type { Prisma } from "@/lib/db";
import { keyAccess } from "./access";
import { ListApiKeysInput } from "./list-api-keys.types";
import { keyInclude, serializeApiKey, type ApiKeyList } from "./schemas";

export async function listApiKeys({ ctx, input }: VerbArgs<ListApiKeysInput>): Promise<ApiKeyList> {
  const access = keyAccess(ctx.actor);
  const { limit, cursor, status } = ListApiKeysInput.parse(input);
  const now = new Date();
  const where: Prisma.ApiKeyWhereInput = {
    ...(access.all ? {} : { userId: access.userId }),
    ...(cursor ? { id: { lt: cursor } } : {}),
    ...(status === "revoked" ? { revokedAt: { not: null } } : {}),
    ...(status === "expired" ? { revokedAt: null, expiresAt: { lte: now } } : {}),
    ...(status === "active" ? { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } : {}),
  };
  const rows = await dbOf(ctx).apiKey.findMany({ where, orderBy: { id: "desc" }, take: limit + 1, include: keyInclude });
  const p = page(rows, limit);
  return { items: p.items.map((r) => serializeApiKey(r, now.getTime())), nextCursor: p.nextCursor };
}
