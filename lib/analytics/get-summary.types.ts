import { z } from "zod";
import { ApiError } from "@/lib/errors";

export const GROUP_BY = ["provider", "endpoint", "deployment", "day", "hour"] as const;
export const SPLIT_BY = ["provider", "endpoint", "deployment"] as const;
const DAY = 86_400_000;

export const AnalyticsRange = z
  .object({
    /** Runs created at or after (default: 7 days before `to`). */
    from: z.coerce.date().nullish(),
    /** Runs created before (default: now). */
    to: z.coerce.date().nullish(),
    /** A deployment's slug or id. */
    deployment: z.string().min(1).max(200).nullish(),
    endpoint: z.string().min(1).max(200).nullish(),
    provider: z.string().min(1).max(40).nullish(),
  })
  .transform((v, c) => {
    const to = v.to ?? new Date();
    const from = v.from ?? new Date(to.getTime() - 7 * DAY);
    if (from >= to) c.addIssue({ code: "custom", message: "from must be before to.", path: ["from"] });
    if (to.getTime() - from.getTime() > 400 * DAY) c.addIssue({ code: "custom", message: "The range is at most 400 days.", path: ["from"] });
    return { ...v, from, to };
  });

export const GetSummaryInput = z.intersection(
  AnalyticsRange,
  z.object({ groupBy: z.enum(GROUP_BY).default("provider"), splitBy: z.enum(SPLIT_BY).nullish() }),
);
export type GetSummaryInput = z.input<typeof GetSummaryInput>;

const Usd = z.number();
const Ms = z.number().nullable();

export const CostByPhase = z.object({ queue: Usd, coldStart: Usd, upload: Usd, execution: Usd, download: Usd });

export const SummaryGroup = z.object({
  key: z.string(),
  /** A person's name for the key (deployment / endpoint name, provider, day). */
  label: z.string(),
  split: z.string().optional(),
  splitLabel: z.string().optional(),
  runs: z.int(),
  succeeded: z.int(),
  /** failed + timed out */
  failed: z.int(),
  canceled: z.int(),
  /** succeeded / (succeeded + failed); null with no finished run */
  successRate: z.number().nullable(),
  /** What the runs' attempts cost (failed, lost and hedged attempts included). */
  costUsd: Usd,
  /** costUsd per 1,000 succeeded runs (null with none). */
  costPer1000Usd: z.number().nullable(),
  costByPhase: CostByPhase,
  /** Idle / warm capacity attributed to this group (deployment, endpoint, provider groupings). */
  capacityCostUsd: Usd.nullable(),
  p50Ms: Ms,
  p95Ms: Ms,
  queueP50Ms: Ms,
  queueP95Ms: Ms,
  coldStartP50Ms: Ms,
  coldStartP95Ms: Ms,
  executionP50Ms: Ms,
  executionP95Ms: Ms,
  attempts: z.int(),
  retries: z.int(),
  failovers: z.int(),
  hedges: z.int(),
  /** Cost of attempts that did not produce the result. */
  wastedCostUsd: Usd,
  retryCostUsd: Usd,
  failoverCostUsd: Usd,
  hedgeCostUsd: Usd,
  billedSeconds: z.number(),
});
export type SummaryGroup = z.infer<typeof SummaryGroup>;

export const EndpointCapacitySchema = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  billing: z.enum(["serverless", "dedicated"]),
  capacityUsd: Usd,
  capacityHours: z.number(),
  busyUsd: Usd,
  idleUsd: Usd,
  utilisation: z.number().nullable(),
});

export const HistBucket = z.object({ fromMs: z.number(), toMs: z.number().nullable(), count: z.int() });

export const GetSummaryOutput = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  groupBy: z.enum(GROUP_BY),
  splitBy: z.enum(SPLIT_BY).nullable(),
  groups: z.array(SummaryGroup),
  total: SummaryGroup,
  capacity: z.array(EndpointCapacitySchema),
  coldStartHistogram: z.array(HistBucket),
});
export type GetSummaryOutput = z.infer<typeof GetSummaryOutput>;

/** Query parameters → an input object; a bad value answers 400 (the zod error, in the verb, names the field). */
export function queryInput(url: URL, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = url.searchParams.get(n);
    if (v) out[n] = v;
  }
  for (const n of ["from", "to"]) {
    if (out[n] && Number.isNaN(new Date(out[n]).getTime())) throw new ApiError("bad_request", `${n} must be an ISO-8601 time.`);
  }
  return out;
}
