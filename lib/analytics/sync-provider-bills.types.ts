import { z } from "zod";

/** The longest window one sync fetches (hour buckets: at most 31 × 24 per endpoint). */
export const MAX_SYNC_DAYS = 31;

export const SyncProviderBillsInput = z
  .object({
    /** One Flowgate endpoint id (default: every RunPod endpoint). */
    endpointId: z.string().min(1).max(200).nullish(),
    /** Start of the window (default: 48 hours before `to`); snapped down to its hour. */
    from: z.coerce.date().nullish(),
    /** End of the window, exclusive (default: now). */
    to: z.coerce.date().nullish(),
  })
  .strict();
export type SyncProviderBillsInput = z.input<typeof SyncProviderBillsInput>;

/** The request body as documented (the verb also takes Dates). */
export const SyncProviderBillsBody = z
  .object({
    endpointId: z.string().min(1).max(200).optional().describe("One Flowgate endpoint id (default: every RunPod endpoint)"),
    from: z.iso.datetime({ offset: true }).optional().describe("Start (default: 48 hours before `to`), snapped down to its hour"),
    to: z.iso.datetime({ offset: true }).optional().describe("End, exclusive (default: now); at most 31 days after `from`"),
  })
  .strict();

export const BillSyncResult = z.object({
  endpointId: z.string(),
  name: z.string(),
  provider: z.string(),
  /** ok: the provider's buckets replaced the stored ones in the window; failed: nothing written; not_supported: the provider reports no bills. */
  status: z.enum(["ok", "failed", "not_supported"]),
  buckets: z.int(),
  billedUsd: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const SyncProviderBillsOutput = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  bucketSize: z.literal("hour"),
  fetchedAt: z.iso.datetime(),
  endpoints: z.array(BillSyncResult),
});
export type SyncProviderBillsOutput = z.infer<typeof SyncProviderBillsOutput>;
