import { z } from "zod";

export const MAX_COST_TRUTH_DAYS = 93;

export const GetCostTruthInput = z.object({
  /** Start (default: 7 days before `to`); snapped down to its hour. */
  from: z.coerce.date().nullish(),
  /** End, exclusive (default: now). */
  to: z.coerce.date().nullish(),
  /** One Flowgate endpoint id (default: every endpoint whose provider reports bills, or that has bills). */
  endpoint: z.string().min(1).max(200).nullish(),
});
export type GetCostTruthInput = z.input<typeof GetCostTruthInput>;

const Comparison = {
  /** Flowgate's computed spend: the attempts' cost (lib/cost) by the hour the attempt started on the provider. */
  computedUsd: z.number(),
  /** What the provider billed (null: no bill fetched for this period yet). */
  billedUsd: z.number().nullable(),
  /** billed − computed over the buckets with a bill (positive: the provider billed more than Flowgate computed). */
  differenceUsd: z.number().nullable(),
  /** differenceUsd as a percentage of the computed spend of those buckets (null when that is 0). */
  differencePercent: z.number().nullable(),
};

export const CostTruthBucket = z.object({
  bucketStart: z.iso.datetime(),
  bucketEnd: z.iso.datetime(),
  attempts: z.int(),
  ...Comparison,
});

export const CostTruthEndpoint = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  gpu: z.string().nullable(),
  /** When this endpoint's bills were last fetched (null: never). */
  lastFetchedAt: z.iso.datetime().nullable(),
  ...Comparison,
  buckets: z.array(CostTruthBucket),
});

export const GetCostTruthOutput = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  bucketSize: z.literal("hour"),
  lastFetchedAt: z.iso.datetime().nullable(),
  endpoints: z.array(CostTruthEndpoint),
  total: z.object(Comparison),
});
export type GetCostTruthOutput = z.infer<typeof GetCostTruthOutput>;
