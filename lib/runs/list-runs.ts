// List runs, newest first (keyset paging on the time-ordered id), filtered by deployment, status,
// endpoint, creation time and liveness, or found by run id / provider job id.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { page } from "@/lib/api/pagination";
import { runInclude, serializeRun } from "./serialize";
import { ListRunsInput } from "./list-runs.types";
import { LIVE_STATUSES } from "./status";

export async function listRuns({ ctx, input }: VerbArgs<ListRunsInput>) {
  requirePermission(ctx.actor, "read");
  const { limit, cursor, deployment, status, since, endpoint, live, q } = ListRunsInput.parse(input);
  const byJob = q ? (await dbOf(ctx).runAttempt.findMany({ where: { providerJobId: q }, select: { runId: true }, take: 100 })).map((a) => a.runId) : [];
  const rows = await dbOf(ctx).run.findMany({
    where: {
      ...(cursor ? { id: { lt: cursor } } : {}),
      ...(deployment ? { deployment: { slug: deployment } } : {}),
      ...(status ? { status } : {}),
      ...(since ? { createdAt: { gte: since } } : {}),
      ...(endpoint ? { attempts: { some: { endpointId: endpoint } } } : {}),
      ...(live && !status ? { status: { in: [...LIVE_STATUSES] } } : {}),
      // search: the run's id, or a provider job id of one of its attempts (looked up first, by index)
      ...(q ? { id: { in: [q, ...byJob], ...(cursor ? { lt: cursor } : {}) } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: runInclude,
  });
  const p = page(rows, limit);
  return { items: p.items.map(serializeRun), nextCursor: p.nextCursor };
}
