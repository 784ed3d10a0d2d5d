import { z } from "zod";

/** The request body of `POST /api/v1/deployments/{slug}/runs`. */
export const CreateRunBody = z.strictObject({
  inputs: z.record(z.string(), z.unknown()).default({}),
  webhook: z.string().max(2048).optional(),
  wait: z.number().min(0).max(60).optional(),
});
export type CreateRunBody = z.input<typeof CreateRunBody>;

/**
 * createRun's input: the deployment's slug, the request body (parsed by the verb with CreateRunBody, so
 * error paths name the body's fields) and the `Idempotency-Key` header.
 */
export const CreateRunInput = z.object({
  slug: z.string(),
  body: z.unknown(),
  idempotencyKey: z.string().nullish(),
});
export type CreateRunInput = { slug: string; body?: CreateRunBody | unknown; idempotencyKey?: string | null };

export const CreateRunOutput = z.object({
  runId: z.string(),
  /** false when the Idempotency-Key already had a run (that run's id) */
  created: z.boolean(),
  /** seconds the caller asked to wait for the result */
  wait: z.number().optional(),
});
export type CreateRunOutput = z.infer<typeof CreateRunOutput>;
