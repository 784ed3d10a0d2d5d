import { z } from "zod";

export const RecordProviderCallbackInput = z.object({
  attemptId: z.string().min(1),
  /** the per-attempt HMAC token Flowgate put in the callback URL */
  token: z.string().nullable(),
  /** the callback's body (only its first 64 KiB is used), or a function reading it: called only
   *  once the token checks out, so an unauthenticated caller costs no body read */
  body: z.union([z.string(), z.custom<() => Promise<string>>((v) => typeof v === "function", "a function returning the body")]),
});
export type RecordProviderCallbackInput = z.infer<typeof RecordProviderCallbackInput>;
