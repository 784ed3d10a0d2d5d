import { z } from "zod";

export const CompactRollupsInput = z.object({
  /** Fold shard rows of creation hours before this time (default: the current hour − 2 h). */
  before: z.coerce.date().nullish(),
  /** Shard rows moved per transaction (each batch commits on its own). */
  batchSize: z.int().min(1).max(1_000_000).default(20_000),
  /** Stop after this many batches (the next pass continues). */
  maxBatches: z.int().min(1).max(10_000).default(100),
});
export type CompactRollupsInput = z.input<typeof CompactRollupsInput>;

export const CompactRollupsOutput = z.object({
  before: z.string(),
  /** Shard rows folded and deleted from AnalyticsHourly. */
  shardRows: z.int(),
  /** AnalyticsHourlyCompacted and AnalyticsDaily rows written (inserted or added to). */
  hourRows: z.int(),
  dayRows: z.int(),
  batches: z.int(),
  ms: z.number(),
});
export type CompactRollupsOutput = z.infer<typeof CompactRollupsOutput>;
