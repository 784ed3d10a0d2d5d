// Deployment input shapes, for the API, OpenAPI and the dashboard's forms alike. Browser-safe: zod and
// ./slug only (no server imports), so DeployDialog and SlotPanel validate with these same objects.
import { z } from "zod";
import { SLUG_PATTERN } from "./slug";

/** A slot's (API parameter's) name: an identifier of at most 64 characters. */
export const SlotName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "slot names are identifiers: letters, digits and _, not starting with a digit");

/** A slug given explicitly (a derived one comes from slugify, which always matches). */
export const DeploymentSlug = z.string().regex(SLUG_PATTERN, "lowercase letters, digits and dashes");

/** Whether the server's schema accepts `value` (for a form field: show the field's hint when not). */
export const accepts = (schema: z.ZodType, value: unknown): boolean => schema.safeParse(value).success;

export const SlotInput = z.strictObject({
  name: SlotName,
  nodeId: z.string().min(1).max(200),
  input: z.string().min(1).max(200),
  type: z.enum(["string", "integer", "number", "boolean", "image", "enum", "seed"]),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  enum: z.array(z.union([z.string(), z.number()])).max(10_000).optional(),
  description: z.string().max(2000).optional(),
});

export const TargetInput = z.strictObject({
  endpointId: z.string().min(1),
  priority: z.number().int().min(0).max(1000).default(0),
});

/**
 * Cap on the extra GPU time hedges on lateness may cost, in % of the deployment's GPU time: a whole
 * number from 0 (no lateness hedges) to 100; null = the Flowgate default (FLOWGATE_HEDGE_BUDGET, 10 %).
 */
export const HedgeBudgetPercent = z.number().int("a whole number of percent").min(0).max(100).nullable();

export const CreateDeploymentInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  slug: DeploymentSlug.optional(),
  workflowVersionId: z.string().min(1),
  slots: z.array(SlotInput).max(200).default([]),
  targets: z.array(TargetInput).min(1, "at least one target endpoint").max(20),
  timeoutSeconds: z.number().int().min(5).max(24 * 3600).default(600),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  stuckAfterSeconds: z.number().int().min(1).max(24 * 3600).default(120),
  hedgeBudgetPercent: HedgeBudgetPercent.optional(),
});
export type CreateDeploymentInput = z.infer<typeof CreateDeploymentInput>;

/** The body of `PATCH /api/v1/deployments/{slug}` (updateDeployment's `changes`). */
export const UpdateDeploymentBody = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  workflowVersionId: z.string().min(1).optional(),
  slots: z.array(SlotInput).max(200).optional(),
  targets: z.array(TargetInput).min(1).max(20).optional(),
  timeoutSeconds: z.number().int().min(5).max(24 * 3600).optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
  stuckAfterSeconds: z.number().int().min(1).max(24 * 3600).optional(),
  paused: z.boolean().optional(),
  /** Monthly spend budget in USD (UTC calendar month); null removes it. */
  monthlyBudgetUsd: z.number().min(0).max(1e9).nullable().optional(),
  /** With a budget: refuse new runs (402 budget_exceeded) once the month's spend reaches it. */
  budgetHardStop: z.boolean().optional(),
  /** Lateness hedges' extra GPU time cap (% of the deployment's; 0 disables them); null = the Flowgate default. */
  hedgeBudgetPercent: HedgeBudgetPercent.optional(),
});
