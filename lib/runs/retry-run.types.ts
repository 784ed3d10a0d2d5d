import { z } from "zod";

export const RetryRunInput = z.object({ runId: z.string().min(1) });
export type RetryRunInput = z.infer<typeof RetryRunInput>;

/** The new run's id (the retried one keeps its own). */
export const RetryRunOutput = z.object({ runId: z.string() });
export type RetryRunOutput = z.infer<typeof RetryRunOutput>;
