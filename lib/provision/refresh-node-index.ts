// GET/POST /api/v1/provision/node-index: where the node index comes from, when it was fetched; POST refetches it.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { indexUrls, loadNodeIndex } from "./index-store";

export async function nodeIndexStatus({ ctx, input }: VerbArgs<{ refresh?: boolean }>) {
  requirePermission(ctx.actor, input.refresh ? "admin" : "read");
  const { index, warning } = await loadNodeIndex(ctx, { refresh: input.refresh });
  return {
    source: index?.source ?? indexUrls().source,
    fetchedAt: index?.fetchedAt ?? null,
    packs: index?.packs.length ?? 0,
    models: index?.models.length ?? 0,
    ...(warning ? { warning } : {}),
  };
}
