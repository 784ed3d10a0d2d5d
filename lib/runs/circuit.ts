// Circuit breaker across all runs: an endpoint whose last few attempts all failed (or whose latest
// health check is failing) is skipped for a cool-down, so later runs don't each burn a timeout on it.
import { pool } from "@/lib/db";

const WINDOW = 3; // consecutive failed attempts that open the circuit
const cooldownMs = () => Number(process.env.FLOWGATE_CIRCUIT_COOLDOWN_MS ?? 30_000);

/** Endpoint ids whose circuit is open now. */
export async function openCircuits(endpointIds: string[]): Promise<Set<string>> {
  if (!endpointIds.length) return new Set();
  const r = await pool().query<{ endpointId: string }>(
    `WITH recent AS (
       SELECT "endpointId", status, "finishedAt",
              row_number() OVER (PARTITION BY "endpointId" ORDER BY "finishedAt" DESC) AS rn
       FROM "RunAttempt"
       WHERE "endpointId" = ANY($1) AND "finishedAt" > now() - ($2 || ' milliseconds')::interval
     ), failing AS (
       SELECT "endpointId" FROM recent WHERE rn <= ${WINDOW}
       GROUP BY "endpointId" HAVING count(*) = ${WINDOW} AND bool_and(status IN ('failed', 'lost'))
     ), unhealthy AS (
       SELECT DISTINCT ON ("endpointId") "endpointId", ok FROM "EndpointHealth"
       WHERE "endpointId" = ANY($1) AND "checkedAt" > now() - ($2 || ' milliseconds')::interval
       ORDER BY "endpointId", "checkedAt" DESC
     )
     SELECT "endpointId" FROM failing UNION SELECT "endpointId" FROM unhealthy WHERE NOT ok`,
    [endpointIds, String(cooldownMs())],
  );
  return new Set(r.rows.map((x) => x.endpointId));
}
