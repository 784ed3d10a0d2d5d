import { z } from "zod";
import { Confidence } from "./get-matrix.types";

export const GetForecastInput = z.object({
  /** A deployment's slug or id (default: every deployment). */
  deployment: z.string().min(1).max(200).nullish(),
  /** The forecast as of this time (default: now); the month is the UTC calendar month containing it. */
  at: z.coerce.date().nullish(),
});
export type GetForecastInput = z.input<typeof GetForecastInput>;

export const ForecastEndpoint = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  gpu: z.string().nullable(),
  /** Succeeded runs of this deployment on this endpoint in the last 30 days. */
  succeeded: z.int(),
  /** What this deployment's runs on this endpoint cost in the last 30 days (all attempts). */
  costUsd: z.number(),
  /** costUsd / succeeded (null with no succeeded run): multiply by runs per day × days for a what-if. */
  costPerRunUsd: z.number().nullable(),
  confidence: Confidence,
  confidenceNote: z.string(),
});

export const ForecastRow = z.object({
  deploymentId: z.string(),
  slug: z.string(),
  name: z.string(),
  /** Spent this UTC month up to `asOf`. */
  spentUsd: z.number(),
  /** Spent in the rate window (the last 7 days, or the month so far if shorter). */
  rateWindowSpentUsd: z.number(),
  rateUsdPerDay: z.number(),
  /** spentUsd + rateUsdPerDay × the days left in the month. */
  projectedUsd: z.number(),
  budgetUsd: z.number().nullable(),
  /** projectedUsd as a percentage of the budget (null without a budget). */
  projectedPercent: z.number().nullable(),
  /** Whether the projection exceeds the budget (null without a budget). */
  overBudget: z.boolean().nullable(),
  endpoints: z.array(ForecastEndpoint),
});
export type ForecastRow = z.infer<typeof ForecastRow>;

export const GetForecastOutput = z.object({
  asOf: z.iso.datetime({ offset: true }),
  /** YYYY-MM (UTC) */
  month: z.string(),
  monthStart: z.iso.datetime({ offset: true }),
  monthEnd: z.iso.datetime({ offset: true }),
  daysInMonth: z.int(),
  /** Days left in the month after asOf (fractional). */
  remainingDays: z.number(),
  rateWindowFrom: z.iso.datetime({ offset: true }),
  /** The window the cost per run is measured over (30 days before asOf). */
  costPerRunFrom: z.iso.datetime({ offset: true }),
  deployments: z.array(ForecastRow),
});
export type GetForecastOutput = z.infer<typeof GetForecastOutput>;
