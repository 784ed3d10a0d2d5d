import { z } from "zod";

/** The scaling knobs of a RunPod serverless endpoint, as RunPod's REST API v1 names them. */
export const RunpodScalingKnobs = z.object({
  workersMin: z.number().int().min(0).max(100),
  workersMax: z.number().int().min(0).max(100),
  idleTimeout: z.number().int().min(1).max(3600),
  flashboot: z.boolean(),
  executionTimeoutMs: z.number().int().min(10_000).max(24 * 3_600_000),
});
export type RunpodScalingKnobs = z.output<typeof RunpodScalingKnobs>;

/** The body of `PATCH /api/v1/provision/runpod-endpoints/{id}`: any of the knobs, at least one. */
export const UpdateRunpodScalingBody = RunpodScalingKnobs.partial()
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one of workersMin, workersMax, idleTimeout, flashboot, executionTimeoutMs" });

export const UpdateRunpodScalingInput = z.object({
  /** The Flowgate endpoint id (a `runpod` endpoint with a managementUrl, e.g. one created by provisioning). */
  endpointId: z.string().min(1).max(100),
  workersMin: RunpodScalingKnobs.shape.workersMin.optional(),
  workersMax: RunpodScalingKnobs.shape.workersMax.optional(),
  idleTimeout: RunpodScalingKnobs.shape.idleTimeout.optional(),
  flashboot: RunpodScalingKnobs.shape.flashboot.optional(),
  executionTimeoutMs: RunpodScalingKnobs.shape.executionTimeoutMs.optional(),
});
export type UpdateRunpodScalingInput = z.input<typeof UpdateRunpodScalingInput>;

export const UpdateRunpodScalingResult = z.object({
  endpointId: z.string(),
  runpodEndpointId: z.string(),
  /** What RunPod reported before the change, and what it reports after it. */
  before: RunpodScalingKnobs.partial(),
  after: RunpodScalingKnobs.partial(),
  auditId: z.string(),
});
export type UpdateRunpodScalingResult = z.output<typeof UpdateRunpodScalingResult>;
