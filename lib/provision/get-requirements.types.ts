import { z } from "zod";
import { VersionNumber } from "@/lib/workflows/get-workflow.types";

export const GetRequirementsInput = z.object({ workflowId: z.string().min(1), number: VersionNumber });
export type GetRequirementsInput = z.infer<typeof GetRequirementsInput>;

/** A raw workflow (any accepted upload: API or UI JSON, wrapped or bare) to list the requirements of. */
export const AnalyzeRequirementsInput = z.object({
  workflow: z.unknown().refine((v) => v !== undefined && v !== null, "workflow is required"),
  objectInfo: z.record(z.string(), z.unknown()).optional(),
});
export type AnalyzeRequirementsInput = z.infer<typeof AnalyzeRequirementsInput>;

export const RequiredPackSchema = z.object({
  repository: z.string().nullable(),
  title: z.string(),
  classes: z.array(z.string()),
  source: z.enum(["object_info", "index", "registry", "user"]),
  install: z.string().nullable(),
  registryId: z.string().optional(),
  alternatives: z.array(z.string()).optional(),
});

export const RequiredModelSchema = z.object({
  nodeId: z.string(),
  input: z.string(),
  name: z.string(),
  folder: z.string().nullable(),
  url: z.string().nullable(),
  source: z.enum(["workflow", "index", "user"]).nullable(),
  size: z.string().optional(),
  token: z.enum(["HF_TOKEN", "CIVITAI_TOKEN"]).optional(),
});

export const RequirementsSchema = z.object({
  packs: z.array(RequiredPackSchema),
  unknownClasses: z.array(z.object({ classType: z.string(), nodeIds: z.array(z.string()) })),
  models: z.array(RequiredModelSchema),
  unnamedInputs: z.array(z.object({ nodeId: z.string(), classType: z.string(), count: z.int() })),
  coreClasses: z.int(),
  index: z.object({ fetchedAt: z.string(), source: z.string() }).nullable(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type RequirementsOutput = z.output<typeof RequirementsSchema>;

export const ResolveRequirementInput = z.object({
  kind: z.enum(["class", "model"]),
  /** The node class (kind "class") or the model file name as the workflow names it (kind "model"). */
  key: z.string().min(1).max(500),
  /** A git URL of the pack (class), a Hugging Face / Civitai / https download URL (model); null forgets. */
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
});
export type ResolveRequirementInput = z.infer<typeof ResolveRequirementInput>;

export const ResolutionSchema = z.object({ kind: z.enum(["class", "model"]), key: z.string(), url: z.string().nullable(), updatedAt: z.string() });

export const NodeIndexStatusSchema = z.object({
  source: z.string(),
  fetchedAt: z.string().nullable(),
  packs: z.int(),
  models: z.int(),
  warning: z.string().optional(),
});

export const GetRecipeInput = z.object({
  workflowId: z.string().min(1),
  number: VersionNumber,
  provider: z.literal("runpod", { error: "provider must be runpod (the only worker image Flowgate builds recipes for)" }).default("runpod"),
  /** The image the CI workflow pushes, e.g. docker.io/acme/portrait-worker:v3. */
  image: z.string().regex(/^[a-z0-9][a-z0-9._\/:-]{2,200}$/, "image must be a Docker image reference such as docker.io/acme/worker:v1").optional(),
});
export type GetRecipeInput = z.infer<typeof GetRecipeInput>;

export const RecipeSchema = z.object({
  provider: z.literal("runpod"),
  image: z.string(),
  dockerfile: z.string(),
  files: z.record(z.string(), z.string()),
  problems: z.array(z.string()),
});

export const GetCostPreviewInput = z.object({ workflowId: z.string().min(1), number: VersionNumber, workersMin: z.number().int().min(0).max(100).default(0) });
export type GetCostPreviewInput = z.infer<typeof GetCostPreviewInput>;

export const CostPreviewSchema = z.object({
  lines: z.array(
    z.object({
      provider: z.string(),
      gpuTypeId: z.string(),
      label: z.string(),
      pricePerHourUsd: z.number(),
      secondsPerRun: z.number(),
      costPerRunUsd: z.number(),
      costPer1000Usd: z.number(),
      basis: z.enum(["measured", "scaled", "estimate"]),
      note: z.string(),
      samples: z.int(),
    }),
  ),
  idlePerDay: z.array(z.object({ gpuTypeId: z.string(), workersMin: z.int(), usdPerDay: z.number() })),
  measuredRuns: z.int(),
});
export type CostPreviewOutput = z.output<typeof CostPreviewSchema>;
