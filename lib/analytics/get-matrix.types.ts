import { z } from "zod";
import { AnalyticsRange } from "./get-summary.types";

export const GetMatrixInput = z.intersection(
  AnalyticsRange,
  z.object({
    /** The latency target of the recommendation line: p95 end-to-end at most this (default 60 s). */
    maxP95Ms: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
  }),
);
export type GetMatrixInput = z.input<typeof GetMatrixInput>;

const Ms = z.number().nullable();
export const Confidence = z.enum(["none", "low", "medium", "high"]);

export const MatrixRow = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  gpu: z.string().nullable(),
  runs: z.int(),
  succeeded: z.int(),
  successRate: z.number().nullable(),
  costUsd: z.number(),
  costPer1000Usd: z.number().nullable(),
  /** Per 1,000 succeeded runs, with the endpoint's idle/warm capacity in the period added. */
  costPer1000WithCapacityUsd: z.number().nullable(),
  p50Ms: Ms,
  p95Ms: Ms,
  coldStartP50Ms: Ms,
  coldStartP95Ms: Ms,
  /** Share of health checks that passed in the period (null: none ran). */
  uptime: z.number().nullable(),
  healthChecks: z.int(),
  confidence: Confidence,
  /** "12 runs: low confidence — treat as a hint" */
  confidenceNote: z.string(),
});
export type MatrixRow = z.infer<typeof MatrixRow>;

export const GpuRow = MatrixRow.omit({ endpointId: true, name: true, uptime: true, healthChecks: true }).extend({ endpoints: z.int() });

export const Recommendation = z.object({
  deploymentId: z.string(),
  deployment: z.string(),
  /** The cheapest endpoint (per 1,000 succeeded runs) whose p95 meets the target, if any. */
  endpointId: z.string().nullable(),
  text: z.string(),
});

export const UptimeDay = z.object({ day: z.string(), endpointId: z.string(), checks: z.int(), ok: z.int() });

export const GetMatrixOutput = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  maxP95Ms: z.int(),
  rows: z.array(MatrixRow),
  gpuRows: z.array(GpuRow),
  recommendations: z.array(Recommendation),
  uptimeByDay: z.array(UptimeDay),
});
export type GetMatrixOutput = z.infer<typeof GetMatrixOutput>;
