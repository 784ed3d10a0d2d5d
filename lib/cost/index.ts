// The one place cost is computed. A run costs the sum of its attempts (failed, lost and hedged
// attempts cost money too), each priced at the endpoint's price when the attempt started (a later
// price change never rewrites history). Billed time follows the provider:
// - serverless (RunPod, RunComfy): billed per second from the worker's start, partial seconds
//   rounded up — cold start + execution; queue wait, our upload and our download are not billed.
// - dedicated ComfyUI server (a pod): billed by the hour whether busy or idle. A run is charged the
//   GPU time it kept busy (execution); the rest of the pod's hours are idle cost, shown as
//   utilisation by capacityCost() and attributed to the deployments using the server.
// Warm capacity (workersMin > 0 on a serverless endpoint) is billed around the clock, also through
// capacityCost().
export type Billing = "serverless" | "dedicated";
export const PHASES = ["queue", "coldStart", "upload", "execution", "download"] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseCosts = Record<Phase, number>;

export function billingOf(provider: string): Billing {
  return provider === "comfyui" ? "dedicated" : "serverless";
}

export interface AttemptTiming {
  provider: string;
  queueMs?: number | null;
  coldStartMs?: number | null;
  uploadMs?: number | null;
  executionMs?: number | null;
  downloadMs?: number | null;
}

export interface AttemptCost {
  totalUsd: number;
  billedMs: number;
  phases: PhaseCosts;
  pricePerHourUsd: number | null;
}

const ms = (v: number | null | undefined) => Math.max(0, v ?? 0);
/** Six decimals, as stored (numeric(14,6)). */
export const roundUsd = (v: number) => Math.round(v * 1e6) / 1e6;

/** Milliseconds the provider bills for an attempt. */
export function billedMs(a: AttemptTiming): number {
  const exec = ms(a.executionMs);
  if (billingOf(a.provider) === "dedicated") return exec;
  const worked = ms(a.coldStartMs) + exec;
  return worked === 0 ? 0 : Math.ceil(worked / 1000) * 1000;
}

export function billedSeconds(a: AttemptTiming): number {
  return billedMs(a) / 1000;
}

/**
 * An attempt's cost and its split by phase. Serverless: cold start at its own length, execution
 * gets the rest of the billed (rounded-up) seconds; queue, upload and download are free. Dedicated:
 * execution only.
 */
export function attemptCost(a: AttemptTiming, pricePerHourUsd: number | null | undefined): AttemptCost {
  const price = pricePerHourUsd ?? null;
  const billed = billedMs(a);
  const phases: PhaseCosts = { queue: 0, coldStart: 0, upload: 0, execution: 0, download: 0 };
  if (!price || billed === 0) return { totalUsd: 0, billedMs: billed, phases, pricePerHourUsd: price };
  const perMs = price / 3_600_000;
  const totalUsd = roundUsd(billed * perMs);
  if (billingOf(a.provider) === "serverless") phases.coldStart = roundUsd(Math.min(ms(a.coldStartMs), billed) * perMs);
  phases.execution = roundUsd(totalUsd - phases.coldStart);
  return { totalUsd, billedMs: billed, phases, pricePerHourUsd: price };
}

export function attemptCostUsd(a: AttemptTiming, pricePerHourUsd: number | null | undefined): number {
  return attemptCost(a, pricePerHourUsd).totalUsd;
}

/** A price in force from `from` (EndpointPrice rows, oldest first). */
export interface PricePeriod {
  from: Date;
  pricePerHourUsd: number | null;
  workersMin: number;
}

/**
 * What an endpoint's standing capacity cost over [from, to): a dedicated server's every hour, or
 * a serverless endpoint's warm workers (workersMin) around the clock, each hour at the price in
 * force then. Capacity before the endpoint's first price row (its creation) is not counted.
 */
export function capacityCostUsd(provider: string, prices: PricePeriod[], from: Date, to: Date): { capacityUsd: number; hours: number } {
  const dedicated = billingOf(provider) === "dedicated";
  let usd = 0;
  let hours = 0;
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i];
    const start = Math.max(p.from.getTime(), from.getTime());
    const end = Math.min(i + 1 < prices.length ? prices[i + 1].from.getTime() : Infinity, to.getTime());
    if (end <= start) continue;
    const h = (end - start) / 3_600_000;
    const units = dedicated ? 1 : p.workersMin;
    hours += h * units;
    usd += h * units * (p.pricePerHourUsd ?? 0);
  }
  return { capacityUsd: roundUsd(usd), hours };
}
