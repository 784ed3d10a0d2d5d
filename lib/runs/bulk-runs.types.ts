import { z } from "zod";

export const BulkRunsInput = z.object({
  action: z.enum(["cancel", "retry"]),
  runIds: z.array(z.string().min(1).max(64)).min(1).max(200),
}).strict();
export type BulkRunsInput = z.input<typeof BulkRunsInput>;

export const BulkRunsResult = z.object({
  action: z.enum(["cancel", "retry"]),
  results: z.array(
    z.object({
      runId: z.string(),
      ok: z.boolean(),
      /** retry: the new run's id */
      newRunId: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
});
export type BulkRunsResult = z.output<typeof BulkRunsResult>;
