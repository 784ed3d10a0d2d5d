// List runs, newest first, filtered by deployment, status and creation time.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import { runInclude, serializeRun } from "./serialize";
import { ListRunsInput } from "./list-runs.types";
import { LIVE_STATUSES } from "./status";

export async function listRuns({ ctx, input }: VerbArgs<ListRunsInput>) {
  requirePermission(ctx.actor, "read");
  const { limit, cursor, deployment, status, since, endpoint, live } = ListRunsInput.parse(input);
  const rows = await dbOf(ctx).run.findMany({
    where: {
      ...(cursor ? { id: { lt: cursor } } : {}),
      ...(deployment ? { deployment: { slug: deployment } } : {}),
      ...(status ? { status } : {}),
      ...(since ? { createdAt: { gte: since } } : {}),
      ...(endpoint ? { attempts: { some: { endpointId: endpoint } } } : {}),
      ...(live && !status ? { status: { in: [...LIVE_STATUSES] } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: runInclude,
  });
  const p = page(rows, limit);
  return { items: p.items.map(serializeRun), nextCursor: p.nextCursor };
}
