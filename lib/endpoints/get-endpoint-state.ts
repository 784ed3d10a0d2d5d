// An endpoint's on-call state — healthy / degraded / down / disabled (or unknown before any
// check) — computed here once from its latest stored health check and its recent attempts. The
// endpoints board, the endpoint page, the overview, GET /api/v1/endpoints/{id}/state, the MCP
// `endpoint_health` tool and the alert evaluator all read this one definition (`classify`).
// Reads only: no call to the provider (the worker's health loop stores the checks).
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type Ctx, type VerbArgs } from "@/lib/context";
import { Prisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import {
  GetEndpointStateInput,
  ListEndpointStatesInput,
  STATE_RULES,
  type EndpointState,
  type EndpointStateName,
} from "./get-endpoint-state.types";

export { STATE_RULES } from "./get-endpoint-state.types";
export type { EndpointState, EndpointStateName } from "./get-endpoint-state.types";

type Workers = NonNullable<EndpointState["workers"]>;

/** The facts the state is decided from (pure input of `classify`, unit-tested without a database). */
export interface StateFacts {
  disabled: boolean;
  lastCheck: { ok: boolean; message: string | null; checkedAt: Date; answered: boolean } | null;
  queueDepth: number | null;
  workers: Workers | null;
  queuedAtProvider: number;
  oldestQueuedMs: number | null;
  succeeded: number;
  failed: number;
  now: Date;
}

/**
 * The definition:
 * - disabled: drained by an operator (no new attempts are routed to it), whatever its health;
 * - down: its last check failed without an answer from the provider (unreachable, 5xx, refused key);
 * - degraded: it answers but its last check failed (e.g. RunPod: jobs queued and no worker can start),
 *   or an attempt has waited in its queue longer than 60 s, or fewer than 80% of at least 4
 *   attempts finished in the last hour succeeded (attempts an on-call restart / purge interrupted
 *   are not the endpoint's failures);
 * - unknown: never checked (or the last check is older than 10 minutes) and nothing else is known;
 * - healthy otherwise.
 */
export function classify(f: StateFacts): { state: EndpointStateName; reasons: string[] } {
  const reasons: string[] = [];
  const stale = !f.lastCheck || f.now.getTime() - f.lastCheck.checkedAt.getTime() > STATE_RULES.staleCheckMs;
  const finished = f.succeeded + f.failed;
  const rate = finished ? f.succeeded / finished : null;
  let down = false;
  if (f.lastCheck && !stale && !f.lastCheck.ok) {
    if (f.lastCheck.answered) reasons.push(`Health check failed: ${f.lastCheck.message ?? "the provider reported a problem"}`);
    else {
      down = true;
      reasons.push(`Unreachable: ${f.lastCheck.message ?? "the health check got no answer"}`);
    }
  }
  if (f.oldestQueuedMs !== null && f.oldestQueuedMs > STATE_RULES.queuedTooLongMs) {
    reasons.push(`${f.queuedAtProvider} attempt(s) waiting in its queue, the oldest for ${Math.round(f.oldestQueuedMs / 1000)} s`);
  }
  if (rate !== null && finished >= STATE_RULES.minFinished && rate < STATE_RULES.degradedBelow) {
    reasons.push(`${Math.round(rate * 100)}% of ${finished} attempts in the last hour succeeded`);
  }
  if (f.disabled) return { state: "disabled", reasons: ["Drained: no new runs are routed to it; jobs already running finish", ...reasons] };
  if (down) return { state: "down", reasons };
  if (reasons.length) return { state: "degraded", reasons };
  if (stale && finished === 0 && f.queuedAtProvider === 0) return { state: "unknown", reasons: [f.lastCheck ? "No health check in the last 10 minutes" : "Not checked yet"] };
  return { state: "healthy", reasons };
}

interface HealthRow {
  endpointId: string;
  ok: boolean;
  latencyMs: number;
  message: string | null;
  details: Record<string, unknown> | null;
  checkedAt: Date;
}
interface LiveRow {
  endpointId: string;
  inFlight: number;
  queued: number;
  oldestQueued: Date | null;
}
interface HourRow {
  endpointId: string;
  attempts: number;
  succeeded: number;
  failed: number;
  p95Ms: number | null;
}
interface ErrorRow {
  endpointId: string;
  error: Record<string, unknown> | null;
  at: Date;
  runId: string;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function workersOf(details: Record<string, unknown> | null): Workers | null {
  const w = details?.workers as Record<string, unknown> | undefined;
  if (!w || typeof w !== "object") return null;
  const raw = (details?.details as Record<string, unknown> | undefined)?.workers as Record<string, unknown> | undefined;
  const throttled = num(w.throttled) ?? num(raw?.throttled);
  return {
    idle: num(w.idle) ?? 0,
    running: num(w.running) ?? 0,
    initializing: num(w.initializing) ?? 0,
    ...(throttled !== null ? { throttled } : {}),
    unhealthy: num(w.unhealthy) ?? 0,
  };
}

/** Every endpoint's state (or the ones named), in a fixed number of queries whatever their count. */
export async function computeEndpointStates(ctx: Ctx, ids?: string[]): Promise<EndpointState[]> {
  const q = dbOf(ctx);
  const now = new Date();
  const endpoints = await q.endpoint.findMany({
    where: ids ? { id: { in: ids } } : undefined,
    select: { id: true, name: true, provider: true, disabled: true },
    orderBy: { name: "asc" },
  });
  if (!endpoints.length) return [];
  const list = Prisma.join(endpoints.map((e) => e.id));
  const hourAgo = new Date(now.getTime() - 3600_000);
  const [health, live, hour, errors] = await Promise.all([
    q.$queryRaw<HealthRow[]>`
      SELECT DISTINCT ON ("endpointId") "endpointId", ok, "latencyMs", message, details, "checkedAt"
      FROM "EndpointHealth" WHERE "endpointId" IN (${list})
      ORDER BY "endpointId", "checkedAt" DESC`,
    q.$queryRaw<LiveRow[]>`
      SELECT "endpointId", count(*)::int AS "inFlight",
             count(*) FILTER (WHERE "startedAt" IS NULL AND "submittedAt" IS NOT NULL)::int AS queued,
             min("submittedAt") FILTER (WHERE "startedAt" IS NULL AND "submittedAt" IS NOT NULL) AS "oldestQueued"
      FROM "RunAttempt" WHERE "endpointId" IN (${list}) AND status IN ('pending', 'submitted', 'running')
      GROUP BY "endpointId"`,
    q.$queryRaw<HourRow[]>`
      SELECT "endpointId", count(*)::int AS attempts,
             count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
             count(*) FILTER (WHERE status IN ('failed', 'lost', 'timed_out') AND coalesce(error->>'code', '') NOT IN ('oncall_restart', 'oncall_purge'))::int AS failed,
             (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("finishedAt" - "createdAt")) * 1000)
                FILTER (WHERE status = 'succeeded'))::float8 AS "p95Ms"
      FROM "RunAttempt" WHERE "endpointId" IN (${list}) AND "createdAt" >= ${new Date(now.getTime() - 2 * 3600_000)} AND "finishedAt" >= ${hourAgo}
      GROUP BY "endpointId"`,
    q.$queryRaw<ErrorRow[]>`
      SELECT DISTINCT ON ("endpointId") "endpointId", error, coalesce("finishedAt", "createdAt") AS at, "runId"
      FROM "RunAttempt" WHERE "endpointId" IN (${list}) AND error IS NOT NULL AND "createdAt" >= ${new Date(now.getTime() - 24 * 3600_000)}
      ORDER BY "endpointId", "createdAt" DESC`,
  ]);
  const by = <T extends { endpointId: string }>(rows: T[]) => new Map(rows.map((r) => [r.endpointId, r]));
  const H = by(health), L = by(live), R = by(hour), E = by(errors);
  return endpoints.map((ep) => {
    const h = H.get(ep.id);
    const l = L.get(ep.id);
    const r = R.get(ep.id);
    const e = E.get(ep.id);
    const details = (h?.details ?? null) as Record<string, unknown> | null;
    const queueDepth = num(details?.queueDepth);
    const workers = workersOf(details);
    // A check "answered" when the provider told us about its queue or workers: it is up but unwell.
    const answered = queueDepth !== null || workers !== null;
    const oldestQueuedMs = l?.oldestQueued ? now.getTime() - new Date(l.oldestQueued).getTime() : null;
    const facts: StateFacts = {
      disabled: ep.disabled,
      lastCheck: h ? { ok: h.ok, message: h.message, checkedAt: new Date(h.checkedAt), answered } : null,
      queueDepth,
      workers,
      queuedAtProvider: l?.queued ?? 0,
      oldestQueuedMs,
      succeeded: r?.succeeded ?? 0,
      failed: r?.failed ?? 0,
      now,
    };
    const { state, reasons } = classify(facts);
    const finished = facts.succeeded + facts.failed;
    const err = e?.error ?? null;
    return {
      endpointId: ep.id,
      name: ep.name,
      provider: ep.provider,
      state,
      reasons,
      disabled: ep.disabled,
      queueDepth,
      workers,
      inFlight: l?.inFlight ?? 0,
      queuedAtProvider: facts.queuedAtProvider,
      oldestQueuedMs,
      lastCheck: h ? { ok: h.ok, latencyMs: h.latencyMs, message: h.message, checkedAt: new Date(h.checkedAt).toISOString() } : null,
      lastError: err
        ? { code: typeof err.code === "string" ? err.code : null, message: String(err.message ?? "failed"), at: new Date(e!.at).toISOString(), runId: e!.runId }
        : null,
      lastHour: {
        attempts: r?.attempts ?? 0,
        succeeded: facts.succeeded,
        failed: facts.failed,
        successRate: finished ? facts.succeeded / finished : null,
        p95Ms: r?.p95Ms === null || r?.p95Ms === undefined ? null : Math.round(r.p95Ms),
      },
      computedAt: now.toISOString(),
    };
  });
}

/** GET /api/v1/endpoints/{id}/state — one endpoint's state (MCP `endpoint_health` calls this). */
export async function getEndpointState({ ctx, input }: VerbArgs<GetEndpointStateInput>): Promise<EndpointState> {
  requirePermission(ctx.actor, "read");
  const { id } = GetEndpointStateInput.parse(input);
  const [state] = await computeEndpointStates(ctx, [id]);
  if (!state) throw notFound("Endpoint", id);
  const checks = await dbOf(ctx).endpointHealth.findMany({
    where: { endpointId: id, checkedAt: { gte: new Date(Date.now() - 3600_000) } },
    orderBy: { checkedAt: "desc" },
    take: 240,
    select: { ok: true, latencyMs: true, details: true, checkedAt: true },
  });
  const history = checks.reverse().map((c) => ({
    at: c.checkedAt.toISOString(),
    ok: c.ok,
    latencyMs: c.latencyMs,
    queueDepth: num((c.details as Record<string, unknown> | null)?.queueDepth),
  }));
  return { ...state, history };
}

/** GET /api/v1/endpoints/states — every endpoint's state, by name. */
export async function listEndpointStates({ ctx, input }: VerbArgs<ListEndpointStatesInput>): Promise<{ items: EndpointState[] }> {
  requirePermission(ctx.actor, "read");
  const { ids } = ListEndpointStatesInput.parse(input ?? {});
  return { items: await computeEndpointStates(ctx, ids) };
}
