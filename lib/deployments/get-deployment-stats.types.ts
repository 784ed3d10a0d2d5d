import { z } from "zod";

export const GetDeploymentStatsInput = z.object({
  slug: z.string().min(1),
  /** look back this many days (default 30) */
  days: z.number().int().min(1).max(365).default(30),
});
export type GetDeploymentStatsInput = z.input<typeof GetDeploymentStatsInput>;

export const DeploymentStatsSchema = z.object({
  days: z.int(),
  runs: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  /** succeeded / ended runs, null before any run ended */
  successRate: z.number().nullable(),
  /** mean cost of a succeeded run (its failed and hedged attempts included), null without one */
  costPerRunUsd: z.number().nullable(),
  /** end-to-end time of succeeded runs (created → finished) */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});
export type DeploymentStats = z.infer<typeof DeploymentStatsSchema>;
