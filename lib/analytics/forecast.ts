// The forecast's arithmetic, pure (no database): the UTC month around a time, the rate window, and
// the projection. get-forecast.ts feeds it sums from the hourly rollup.
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const RATE_WINDOW_DAYS = 7;
export const COST_PER_RUN_DAYS = 30;

export interface ForecastWindows {
  monthStart: Date;
  monthEnd: Date;
  daysInMonth: number;
  /** max(month start, the hour 7 days before at's hour): the rollup buckets from here to at. */
  rateWindowFrom: Date;
  costPerRunFrom: Date;
}

export function forecastWindows(at: Date): ForecastWindows {
  const monthStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const hour = Math.floor(at.getTime() / HOUR) * HOUR;
  const rateWindowFrom = new Date(Math.max(monthStart.getTime(), hour - RATE_WINDOW_DAYS * DAY));
  return { monthStart, monthEnd, daysInMonth: Math.round((monthEnd.getTime() - monthStart.getTime()) / DAY), rateWindowFrom, costPerRunFrom: new Date(hour - COST_PER_RUN_DAYS * DAY) };
}

export interface ProjectInput {
  at: Date;
  monthEnd: Date;
  rateWindowFrom: Date;
  spentUsd: number;
  rateWindowSpentUsd: number;
  budgetUsd: number | null;
}

export interface Projection {
  rateUsdPerDay: number;
  remainingDays: number;
  projectedUsd: number;
  projectedPercent: number | null;
  overBudget: boolean | null;
}

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** spent + rate × the time left in the month, rate = the window's spend ÷ the window's elapsed time. */
export function project(i: ProjectInput): Projection {
  const elapsedDays = Math.max(0, i.at.getTime() - i.rateWindowFrom.getTime()) / DAY;
  const remainingDays = Math.max(0, i.monthEnd.getTime() - i.at.getTime()) / DAY;
  const rateUsdPerDay = elapsedDays > 0 ? i.rateWindowSpentUsd / elapsedDays : 0;
  const projectedUsd = i.spentUsd + rateUsdPerDay * remainingDays;
  const b = i.budgetUsd;
  return {
    rateUsdPerDay: r6(rateUsdPerDay),
    remainingDays: r6(remainingDays),
    projectedUsd: r6(projectedUsd),
    projectedPercent: b === null ? null : b > 0 ? Math.round((projectedUsd / b) * 1000) / 10 : null,
    overBudget: b === null ? null : projectedUsd > b,
  };
}

/** What-if: runs per day × cost per run × days (null without a measured cost per run). */
export function whatIfMonthlyUsd(runsPerDay: number, costPerRunUsd: number | null, days: number): number | null {
  if (costPerRunUsd === null || !Number.isFinite(runsPerDay) || runsPerDay < 0) return null;
  return runsPerDay * costPerRunUsd * days;
}
