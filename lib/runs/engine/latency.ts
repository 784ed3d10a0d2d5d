// What recent attempts of a deployment took on each of its endpoints, for hedging on lateness: a
// high percentile of submit → started (queue wait + cold start) and submit → finished (plus
// execution) over recent successful attempts, and what hedging cost recently (the share of GPU
// time lost races used, and the share of runs that raced). Read per deployment at most every FLOWGATE_LATENCY_CACHE_MS.
import { pool } from "@/lib/db";
import type { Latency } from "./decide";

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** Percentile of recent successes past which a live attempt counts as late (read at use). */
export const hedgePercentile = () => Math.min(0.999, Math.max(0.5, num("FLOWGATE_HEDGE_PERCENTILE", 0.95)));

export interface DeploymentLatency {
  byEndpoint: Map<string, Latency>;
  /** The share of the deployment's recent GPU time (or runs) lost hedge races cost. */
  spentShare: number;
}

async function fetchLatency(deploymentId: string): Promise<DeploymentLatency> {
  const r = await pool().query<{ endpointId: string; samples: number; started_by: number | null; finished_by: number | null; gpu: number; wasted: number; races: number }>(
    `WITH recent AS (
       SELECT a."endpointId", a.status, a.error->>'code' AS code, a."executionMs",
              EXTRACT(EPOCH FROM (a."startedAt" - a."submittedAt")) * 1000 AS start_ms,
              EXTRACT(EPOCH FROM (a."finishedAt" - a."submittedAt")) * 1000 AS finish_ms
       FROM "RunAttempt" a JOIN "Run" r ON r.id = a."runId"
       WHERE r."deploymentId" = $1 AND r."createdAt" > now() - interval '1 hour' AND a."finishedAt" IS NOT NULL
       ORDER BY a."finishedAt" DESC LIMIT 2000
     )
     SELECT "endpointId", (count(*) FILTER (WHERE status = 'succeeded'))::int AS samples,
            percentile_cont($2) WITHIN GROUP (ORDER BY start_ms) FILTER (WHERE status = 'succeeded') AS started_by,
            percentile_cont($2) WITHIN GROUP (ORDER BY finish_ms) FILTER (WHERE status = 'succeeded') AS finished_by,
            COALESCE(sum("executionMs"), 0)::float8 AS gpu,
            COALESCE(sum("executionMs") FILTER (WHERE code = 'hedge_lost'), 0)::float8 AS wasted,
            (count(*) FILTER (WHERE code = 'hedge_lost'))::int AS races
     FROM recent GROUP BY 1`,
    [deploymentId, hedgePercentile()],
  );
  const byEndpoint = new Map<string, Latency>();
  let gpu = 0;
  let wasted = 0;
  let races = 0;
  let successes = 0;
  for (const row of r.rows) {
    gpu += row.gpu;
    wasted += row.wasted;
    races += row.races;
    successes += row.samples;
    if (row.finished_by !== null) byEndpoint.set(row.endpointId, { startedByMs: Number(row.started_by ?? row.finished_by), finishedByMs: Number(row.finished_by), samples: row.samples });
  }
  // Spent: the larger of the GPU time lost races cost and the share of runs that raced at all. A
  // hedge cancelled while still queued costs no GPU time, but it did take a place in a queue (a
  // ComfyUI server runs one prompt at a time): counting races keeps hedges from feeding the very
  // queue waits that make attempts late.
  const spentShare = Math.max(gpu > 0 ? wasted / gpu : 0, successes > 0 ? races / successes : 0);
  // The cap is the deployment's own (hedge-budget.ts): the drive loop fills it in from the deployment row.
  return { byEndpoint, spentShare };
}

const cache = new Map<string, { at: number; value: Promise<DeploymentLatency> }>();

/** The deployment's learned latencies (shared by its runs in this process; a failed read counts as "nothing learned"). */
export function deploymentLatency(deploymentId: string): Promise<DeploymentLatency> {
  const ttl = num("FLOWGATE_LATENCY_CACHE_MS", 10_000);
  const now = Date.now();
  const hit = cache.get(deploymentId);
  if (hit && now - hit.at < ttl) return hit.value;
  const value = fetchLatency(deploymentId).catch(() => ({ byEndpoint: new Map<string, Latency>(), spentShare: 0 }));
  cache.set(deploymentId, { at: now, value });
  return value;
}
