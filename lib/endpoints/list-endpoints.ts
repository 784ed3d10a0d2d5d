// List endpoints, newest first, each with its latest health check (secrets shown only as "set").
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import { serializeEndpoint } from "./serialize";
import { ListEndpointsInput } from "./list-endpoints.types";

export const latestHealth = { healthChecks: { orderBy: { checkedAt: "desc" }, take: 1 } } as const;

export async function listEndpoints({ ctx, input }: VerbArgs<ListEndpointsInput>) {
  requirePermission(ctx.actor, "read");
  const { limit, cursor } = ListEndpointsInput.parse(input);
  const rows = await dbOf(ctx).endpoint.findMany({
    where: cursor ? { id: { lt: cursor } } : undefined,
    orderBy: { id: "desc" },
    take: limit + 1,
    include: latestHealth,
  });
  const p = page(rows, limit);
  return { items: p.items.map(serializeEndpoint), nextCursor: p.nextCursor };
}
