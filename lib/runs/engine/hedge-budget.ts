// The hedge budget: the cap on the extra GPU time hedges on lateness may cost a deployment, as a
// share of its GPU time. Each deployment may set its own (Deployment.hedgeBudgetPercent, 0–100;
// 0 disables lateness hedges); without one, FLOWGATE_HEDGE_BUDGET (a share, default 0.10) applies.
// Hedges of silent attempts (stuck, no progress, unreachable) are not bounded by it.

/** The Flowgate default, as a share (read at use). */
export function defaultHedgeBudgetShare(): number {
  const v = Number(process.env.FLOWGATE_HEDGE_BUDGET ?? 0.1);
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.1;
}

/** The cap in force for a deployment, as a share of its GPU time. */
export const hedgeBudgetShareOf = (percent: number | null | undefined): number =>
  percent === null || percent === undefined ? defaultHedgeBudgetShare() : Math.min(100, Math.max(0, percent)) / 100;

/** The same in percent (what the API shows as effectiveHedgeBudgetPercent). */
export const effectiveHedgeBudgetPercent = (percent: number | null | undefined): number => Math.round(hedgeBudgetShareOf(percent) * 10_000) / 100;
