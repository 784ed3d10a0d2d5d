// Health checks that do not blame the backend for Flowgate's own starvation. A check that failed by
// timing out while this process's event loop ran late (a starved CPU, a long GC) says nothing about
// the endpoint: the timeout may have fired because our callbacks ran late, not because the backend
// was slow. The pure decision: record what the check found, re-check with a wider timeout, or call
// it inconclusive (store nothing that flips health, circuits or on-call alerts) — deferred at most
// MAX_DEFER_MS, after which a backend that keeps timing out is recorded down even while we are starved.
// A definite answer (connection refused, an HTTP error, not a ComfyUI) is recorded at any lag.
import { STARVED_LAG_MS } from "@/lib/runs/engine/decide";

export const HEALTH_LAG_POLICY = {
  /** Event-loop lag (ms) at or above which a timed-out check is not held against the endpoint. */
  starvedLagMs: STARVED_LAG_MS,
  /** Re-checks of one timed-out check while starved, before calling it inconclusive. */
  maxRechecks: 2,
  /** The re-check's timeout: this plus twice the lag, at most maxTimeoutMs. */
  baseTimeoutMs: 10_000,
  maxTimeoutMs: 60_000,
  /** Pause before a re-check: the lag, at most this (give the starvation a moment to pass). */
  maxPauseMs: 2_000,
  /** How long an endpoint's verdicts may stay deferred before a timeout counts anyway. */
  maxDeferMs: 5 * 60_000,
} as const;

/** Failure codes that starvation on our side can produce (the call's own timer fired late). */
const LAG_SENSITIVE_CODES: ReadonlySet<string> = new Set(["timeout"]);

export interface HealthCheckFacts {
  ok: boolean;
  /** The failure's ProviderError code, when the adapter gave one. */
  code?: string;
  /** The worst event-loop lag of this process while the check ran (ms). */
  lagMs: number;
  /** Re-checks already made for this verdict. */
  rechecks: number;
  /** How long this endpoint's verdicts have been deferred as inconclusive so far (ms; 0 = not deferred). */
  deferredMs: number;
}

export type HealthVerdict =
  /** Store what the check found (healthy, or down). */
  | { kind: "record"; starved: boolean }
  /** Ask again after `pauseMs` with a wider timeout. */
  | { kind: "recheck"; timeoutMs: number; pauseMs: number }
  /** Store nothing: neither healthy nor down. The next periodic check looks again. */
  | { kind: "inconclusive" };

export function healthVerdict(f: HealthCheckFacts, p: typeof HEALTH_LAG_POLICY = HEALTH_LAG_POLICY): HealthVerdict {
  const starved = f.lagMs >= p.starvedLagMs;
  if (f.ok || !starved) return { kind: "record", starved };
  if (!LAG_SENSITIVE_CODES.has(f.code ?? "")) return { kind: "record", starved };
  if (f.rechecks < p.maxRechecks) {
    return { kind: "recheck", timeoutMs: Math.min(p.maxTimeoutMs, Math.round(p.baseTimeoutMs + 2 * f.lagMs)), pauseMs: Math.min(p.maxPauseMs, Math.round(f.lagMs)) };
  }
  return f.deferredMs >= p.maxDeferMs ? { kind: "record", starved } : { kind: "inconclusive" };
}
