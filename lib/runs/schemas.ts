// API.md's Run object, once. The serializer (lib/runs/serialize.ts) returns this type, the OpenAPI
// document (lib/api/openapi.ts) publishes its JSON Schema, and the dashboard (components/api.ts)
// infers its types from it. Browser-safe: zod and the status list only.
import { z } from "zod";
import { RUN_STATUSES } from "@/lib/runs/status";

const Iso = z.iso.datetime({ offset: true });
const Ms = z.int().nullable();

export const RunStatusSchema = z.enum(RUN_STATUSES);
export const AttemptStatusSchema = z.enum(["pending", "submitted", "running", "succeeded", "failed", "lost", "canceled", "timed_out"]);

/** A run's or an attempt's failure: an engine code (e.g. `node_error`, `no_target`, `timeout`), not an API error code. */
export const RunErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  nodeId: z.string().nullish(),
  details: z.unknown().optional(),
});

export const RunAttemptSchema = z.object({
  number: z.int(),
  endpointId: z.string(),
  provider: z.string(),
  providerJobId: z.string().nullable(),
  status: AttemptStatusSchema,
  error: RunErrorSchema.optional(),
  submittedAt: Iso.nullable(),
  startedAt: Iso.nullable(),
  finishedAt: Iso.nullable(),
  queueMs: Ms,
  coldStartMs: Ms,
  uploadMs: Ms,
  executionMs: Ms,
  downloadMs: Ms,
  costUsd: z.number(),
});

export const RunOutputSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  kind: z.string(),
  sizeBytes: z.int(),
  url: z.string(),
});

/** Live progress; `waitingFor: "enabled_target"` (with a message) while every target is drained. */
export const RunProgressSchema = z.looseObject({
  value: z.number(),
  max: z.number(),
  nodeId: z.string().nullish(),
  waitingFor: z.string().optional(),
  message: z.string().optional(),
});

export const RunSchema = z.object({
  id: z.string(),
  deploymentSlug: z.string(),
  workflowVersion: z.int(),
  status: RunStatusSchema,
  inputs: z.record(z.string(), z.unknown()),
  /** Inputs after defaults and image uploads, as submitted to the provider. */
  resolvedInputs: z.record(z.string(), z.unknown()).nullable(),
  progress: RunProgressSchema.nullable(),
  attempts: z.array(RunAttemptSchema),
  outputs: z.array(RunOutputSchema),
  error: RunErrorSchema.nullable(),
  timings: z.object({ queueMs: Ms, executionMs: Ms, totalMs: Ms }),
  costUsd: z.number(),
  /** Where the run's result is POSTed when it ends (Standard Webhooks), if set. */
  webhook: z.string().nullable(),
  createdAt: Iso,
  startedAt: Iso.nullable(),
  finishedAt: Iso.nullable(),
});

export type Run = z.output<typeof RunSchema>;
export type RunAttempt = z.output<typeof RunAttemptSchema>;
export type RunOutput = z.output<typeof RunOutputSchema>;
export type RunStatus = z.output<typeof RunStatusSchema>;
