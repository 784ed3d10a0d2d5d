// The on-call overview (the dashboard's home): runs stuck (no event for a while) or failed in the
// last hour, endpoints not healthy (lib/endpoints/get-endpoint-state.ts decides), budget warnings,
// counts and a per-minute sparkline of the last hour. A handful of indexed queries.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { Prisma } from "@/lib/db";
import { computeEndpointStates } from "@/lib/endpoints/get-endpoint-state";
import { LIVE_STATUSES, type RunStatus } from "@/lib/runs/status";
import { listBudgetWarnings } from "@/lib/analytics/budgets";
import { getAlertSettings } from "./get-alert-settings";
import { budgetMessage } from "./evaluate-alerts";
import { GetOverviewInput, type Overview } from "./get-overview.types";

interface RunRow {
  id: string;
  status: RunStatus;
  slug: string;
  endpointName: string | null;
  createdAt: Date;
  lastEventAt: Date;
  error: Record<string, unknown> | null;
}

const live = Prisma.join([...LIVE_STATUSES]);

export async function getOverview({ ctx, input }: VerbArgs<GetOverviewInput>): Promise<Overview> {
  requirePermission(ctx.actor, "read");
  const parsed = GetOverviewInput.parse(input ?? {});
  const stuckAfterSeconds = parsed.stuckAfterSeconds ?? (await getAlertSettings({ ctx, input: {} })).stuckAfterSeconds;
  const q = dbOf(ctx);
  const now = new Date();
  const hourAgo = new Date(now.getTime() - 3600_000);
  const stuckBefore = new Date(now.getTime() - stuckAfterSeconds * 1000);
  const [endpoints, budgets, stuck, failed, liveCounts, hour, buckets] = await Promise.all([
    computeEndpointStates(ctx),
    listBudgetWarnings({ ctx, input: {} }),
    q.$queryRaw<RunRow[]>`
      SELECT r.id, r.status, d.slug, ep.name AS "endpointName", r."createdAt", ev.at AS "lastEventAt", r.error
      FROM "Run" r JOIN "Deployment" d ON d.id = r."deploymentId"
      CROSS JOIN LATERAL (SELECT max(e."createdAt") AS at FROM "RunEvent" e WHERE e."runId" = r.id) ev
      LEFT JOIN LATERAL (SELECT a."endpointId" FROM "RunAttempt" a WHERE a."runId" = r.id ORDER BY a.number DESC LIMIT 1) la ON true
      LEFT JOIN "Endpoint" ep ON ep.id = la."endpointId"
      WHERE r.status::text IN (${live}) AND coalesce(ev.at, r."createdAt") < ${stuckBefore}
      ORDER BY ev.at ASC NULLS FIRST LIMIT 50`,
    q.$queryRaw<RunRow[]>`
      SELECT r.id, r.status, d.slug, ep.name AS "endpointName", r."createdAt", coalesce(r."finishedAt", r."createdAt") AS "lastEventAt", r.error
      FROM "Run" r JOIN "Deployment" d ON d.id = r."deploymentId"
      LEFT JOIN LATERAL (SELECT a."endpointId" FROM "RunAttempt" a WHERE a."runId" = r.id ORDER BY a.number DESC LIMIT 1) la ON true
      LEFT JOIN "Endpoint" ep ON ep.id = la."endpointId"
      WHERE r.status IN ('failed', 'timed_out') AND r."createdAt" >= ${new Date(hourAgo.getTime() - 3600_000)} AND r."finishedAt" >= ${hourAgo}
      ORDER BY r."finishedAt" DESC LIMIT 20`,
    q.$queryRaw<{ status: RunStatus; n: number }[]>`
      SELECT status, count(*)::int AS n FROM "Run" WHERE status::text IN (${live}) GROUP BY status`,
    q.$queryRaw<{ created: number; succeeded: number; failed: number }[]>`
      SELECT count(*)::int AS created,
             count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
             count(*) FILTER (WHERE status IN ('failed', 'timed_out'))::int AS failed
      FROM "Run" WHERE "createdAt" >= ${hourAgo}`,
    q.$queryRaw<{ minute: Date; runs: number; failures: number }[]>`
      SELECT date_trunc('minute', "createdAt") AS minute, count(*)::int AS runs,
             count(*) FILTER (WHERE status IN ('failed', 'timed_out'))::int AS failures
      FROM "Run" WHERE "createdAt" >= ${hourAgo} GROUP BY 1`,
  ]);
  const toRun = (r: RunRow) => ({
    id: r.id,
    status: r.status,
    deploymentSlug: r.slug,
    endpointName: r.endpointName,
    createdAt: new Date(r.createdAt).toISOString(),
    lastEventAt: new Date(r.lastEventAt ?? r.createdAt).toISOString(),
    silentMs: now.getTime() - new Date(r.lastEventAt ?? r.createdAt).getTime(),
    error: r.error ? { code: typeof r.error.code === "string" ? r.error.code : null, message: String(r.error.message ?? "failed") } : null,
  });
  const count = (s: RunStatus) => liveCounts.find((c) => c.status === s)?.n ?? 0;
  const byMinute = new Map(buckets.map((b) => [new Date(b.minute).getTime(), b]));
  const start = Math.floor(now.getTime() / 60_000) * 60_000 - 59 * 60_000;
  const lastHour = Array.from({ length: 60 }, (_, i) => {
    const t = start + i * 60_000;
    const b = byMinute.get(t);
    return { at: new Date(t).toISOString(), runs: b?.runs ?? 0, failures: b?.failures ?? 0 };
  });
  return {
    stuckAfterSeconds,
    stuckRuns: stuck.map(toRun),
    failedRuns: failed.map(toRun),
    endpoints,
    budgetWarnings: budgets.map((w) => ({ kind: `budget_${w.level}`, message: budgetMessage(w), href: `/deployments/${w.slug}` })),
    counts: {
      live: liveCounts.reduce((a, c) => a + c.n, 0),
      queued: count("queued") + count("dispatching") + count("submitted"),
      running: count("running"),
      stuck: stuck.length,
      lastHour: hour[0] ?? { created: 0, succeeded: 0, failed: 0 },
    },
    lastHour,
    computedAt: now.toISOString(),
  };
}
