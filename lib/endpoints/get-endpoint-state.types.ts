// The on-call state of an endpoint: one definition (lib/endpoints/get-endpoint-state.ts) read by the
// endpoints board, the endpoint page, the overview, the API, the MCP `endpoint_health` tool and alerts.
import { z } from "zod";

export const ENDPOINT_STATES = ["healthy", "degraded", "down", "disabled", "unknown"] as const;
export type EndpointStateName = (typeof ENDPOINT_STATES)[number];

const Iso = z.string();
const Workers = z.object({
  idle: z.number(),
  running: z.number(),
  initializing: z.number(),
  throttled: z.number().optional(),
  unhealthy: z.number(),
});

export const EndpointStateSchema = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  state: z.enum(ENDPOINT_STATES),
  /** Why the state is what it is, one sentence each (empty when healthy). */
  reasons: z.array(z.string()),
  disabled: z.boolean(),
  /** Jobs waiting or running at the provider, as its last health check reported (null: not reported). */
  queueDepth: z.number().nullable(),
  workers: Workers.nullable(),
  /** Flowgate's attempts on this endpoint not finished yet, and those still waiting in the provider's queue. */
  inFlight: z.number(),
  queuedAtProvider: z.number(),
  /** The oldest attempt still waiting in the provider's queue, in ms (null: none). */
  oldestQueuedMs: z.number().nullable(),
  lastCheck: z.object({ ok: z.boolean(), latencyMs: z.number(), message: z.string().nullable(), checkedAt: Iso }).nullable(),
  lastError: z.object({ code: z.string().nullable(), message: z.string(), at: Iso, runId: z.string().nullable() }).nullable(),
  lastHour: z.object({
    attempts: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    /** succeeded / (succeeded + failed); null when nothing finished */
    successRate: z.number().nullable(),
    /** p95 of a succeeded attempt's time from creation to finish, ms */
    p95Ms: z.number().nullable(),
  }),
  computedAt: Iso,
  /** GET …/{id}/state only: the last hour's health checks, oldest first (the endpoint page's sparkline) */
  history: z.array(z.object({ at: Iso, ok: z.boolean(), latencyMs: z.number(), queueDepth: z.number().nullable() })).optional(),
});
export type EndpointState = z.output<typeof EndpointStateSchema>;

export const EndpointStateList = z.object({ items: z.array(EndpointStateSchema) });

export const GetEndpointStateInput = z.object({ id: z.string().min(1) });
export type GetEndpointStateInput = z.input<typeof GetEndpointStateInput>;

export const ListEndpointStatesInput = z.object({ ids: z.array(z.string().min(1)).max(500).optional() }).default({});
export type ListEndpointStatesInput = z.input<typeof ListEndpointStatesInput>;

/** The thresholds of the definition (also shown in the README's On-call section). */
export const STATE_RULES = {
  /** an attempt waiting this long in the provider's queue makes the endpoint degraded */
  queuedTooLongMs: 60_000,
  /** with at least this many finished attempts in the last hour ... */
  minFinished: 4,
  /** ... a success rate below this makes it degraded */
  degradedBelow: 0.8,
  /** a last check older than this does not count (the worker checks every 30 s by default) */
  staleCheckMs: 10 * 60_000,
} as const;
