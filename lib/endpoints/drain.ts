// What draining (disabling) an endpoint does to the deployments that target it: those whose every
// other target is drained too are left with no enabled target. Their new runs are still accepted
// and wait in the queue for a target to be enabled, up to the deployment's timeout (then
// `timed_out` with code `no_target`): the run engine's rule (lib/runs/engine.ts, waitForTarget).
import { db } from "@/lib/db";
import { LIVE_STATUSES } from "@/lib/runs/status";

export interface DeploymentWithoutTarget {
  slug: string;
  name: string;
  paused: boolean;
  timeoutSeconds: number;
  /** runs of the deployment not yet finished (they wait too once their current attempt ends) */
  runsInFlight: number;
}

export interface DrainImpact {
  endpointId: string;
  endpointName: string;
  deploymentsWithoutTarget: DeploymentWithoutTarget[];
  /** what happens to their new runs; null when every deployment keeps an enabled target */
  warning: string | null;
}

export async function drainImpact(endpointId: string): Promise<DrainImpact> {
  const ep = await db().endpoint.findUnique({ where: { id: endpointId }, select: { id: true, name: true } });
  const rows = await db().deployment.findMany({
    where: { deletedAt: null, targets: { some: { endpointId } } },
    select: { id: true, slug: true, name: true, paused: true, timeoutSeconds: true, targets: { select: { endpointId: true, endpoint: { select: { disabled: true } } } } },
    orderBy: { slug: "asc" },
  });
  const stranded = rows.filter((d) => d.targets.every((t) => t.endpointId === endpointId || t.endpoint.disabled));
  const inFlight = stranded.length
    ? await db().run.groupBy({
        by: ["deploymentId"],
        where: { deploymentId: { in: stranded.map((d) => d.id) }, status: { in: [...LIVE_STATUSES] } },
        _count: { _all: true },
      })
    : [];
  const deploymentsWithoutTarget = stranded.map((d) => ({
    slug: d.slug,
    name: d.name,
    paused: d.paused,
    timeoutSeconds: d.timeoutSeconds,
    runsInFlight: inFlight.find((c) => c.deploymentId === d.id)?._count._all ?? 0,
  }));
  return { endpointId, endpointName: ep?.name ?? endpointId, deploymentsWithoutTarget, warning: drainWarning(ep?.name ?? endpointId, deploymentsWithoutTarget) };
}

export function drainWarning(endpointName: string, stranded: DeploymentWithoutTarget[]): string | null {
  if (!stranded.length) return null;
  const list = stranded.map((d) => `${d.slug} (timeout ${d.timeoutSeconds} s)`).join(", ");
  return (
    `Draining "${endpointName}" leaves ${stranded.length === 1 ? "1 deployment" : `${stranded.length} deployments`} with no enabled target: ${list}. ` +
    `Their new runs are accepted but wait in the queue ("waiting for an enabled target") until you enable one of their endpoints; ` +
    `a run still waiting when its deployment's timeout passes ends timed_out with code no_target. Jobs already running on "${endpointName}" finish there.`
  );
}
