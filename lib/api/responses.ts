// The response bodies of /api/v1, as zod schemas: the OpenAPI document (lib/api/openapi.ts) publishes
// their JSON Schema and tests/api/openapi.test.ts checks real responses against both. The Run shape
// is lib/runs/schemas.ts's. Objects that carry open-ended data (analysis, config, health reports) are
// `looseObject`: the fields named are guaranteed, others may be added.
import { z } from "zod";
import { CreateRunpodEndpointResultSchema } from "@/lib/provision/create-runpod-endpoint.types";
import { UpdateRunpodScalingResult } from "@/lib/provision/update-runpod-scaling.types";
import { CostPreviewSchema, NodeIndexStatusSchema, RecipeSchema, RequirementsSchema, ResolutionSchema } from "@/lib/provision/get-requirements.types";
import { RunSchema } from "@/lib/runs/schemas";
import { AuditEntry, ListAuditOutput } from "@/lib/audit/list-audit.types";
import { SlotInput } from "@/lib/deployments/schemas";
import { ApiKeySchema, ApiKeyListSchema, CreatedApiKeySchema } from "@/lib/keys/schemas";
import { EndpointStateSchema, EndpointStateList } from "@/lib/endpoints/get-endpoint-state.types";
import { OverviewSchema } from "@/lib/oncall/get-overview.types";
import { BulkRunsResult } from "@/lib/runs/bulk-runs.types";
import { TestEndpointOutput } from "@/lib/endpoints/test-endpoint.types";
import { AlertSettingsSchema, AlertsSchema } from "@/lib/oncall/get-alert-settings.types";
import { GetSummaryOutput } from "@/lib/analytics/get-summary.types";
import { GetMatrixOutput } from "@/lib/analytics/get-matrix.types";
import { GetForecastOutput } from "@/lib/analytics/get-forecast.types";
import { GetCostTruthOutput } from "@/lib/analytics/get-cost-truth.types";
import { SyncProviderBillsOutput } from "@/lib/analytics/sync-provider-bills.types";

import type { Analysis } from "@/lib/comfy-graph/analyze";
import type { ApiPrompt } from "@/lib/comfy-graph/types";
import type { PromptDiff } from "@/lib/comfy-graph/diff";

const Iso = z.iso.datetime({ offset: true });
/** A value whose TypeScript type is the workflow library's (the one definition), published as an object. */
const libObject = <T>(description: string) => z.custom<T>((v) => typeof v === "object" && v !== null && !Array.isArray(v)).meta({ type: "object", description });
const Json = z.record(z.string(), z.unknown());

export const WorkflowVersionSchema = z.looseObject({
  id: z.string(),
  number: z.int(),
  hash: z.string(),
  format: z.enum(["api", "ui"]),
  source: z.string().nullish(),
  nodeCount: z.int(),
  analysis: libObject<Analysis>("Nodes, outputs, models, custom nodes, suggested slots and warnings (lib/comfy-graph/analyze.ts)"),
  createdAt: Iso,
});

export const WorkflowVersionDetailSchema = WorkflowVersionSchema.extend({
  workflowId: z.string(),
  original: z.unknown(),
  prompt: libObject<ApiPrompt>("The API-format graph: node id → {class_type, inputs}; a link is [fromNodeId, outputIndex]"),
});

export const WorkflowSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: Iso,
  updatedAt: Iso,
  versionCount: z.int(),
  deploymentCount: z.int().optional(),
  latestVersion: WorkflowVersionSchema.nullable(),
  versions: z.array(WorkflowVersionSchema).optional(),
});

export const ImportWorkflowResultSchema = z.object({ id: z.string(), name: z.string(), version: WorkflowVersionSchema });

export const VersionDiffSchema = z.object({
  from: z.int(),
  to: z.int(),
  diff: libObject<PromptDiff>("Nodes added, removed and changed (lib/comfy-graph/diff.ts)"),
  deployments: z.array(
    z.object({ slug: z.string(), currentVersionId: z.string(), kept: z.array(z.string()), unresolved: z.array(z.object({ slot: z.string(), reason: z.string() })) }),
  ),
});

export const VersionPreflightSchema = z.object({
  endpointId: z.string(),
  endpointName: z.string(),
  checked: z.boolean(),
  ok: z.boolean(),
  missingNodes: z.array(z.string()),
  missingModels: z.array(z.object({ nodeId: z.string(), input: z.string(), name: z.string() })),
  nodeErrors: z.array(z.looseObject({ nodeId: z.string(), classType: z.string(), message: z.string(), input: z.string().optional() })),
});

/** The last stored health check of an endpoint (Endpoint.health). */
export const EndpointHealthSchema = z.object({ ok: z.boolean(), latencyMs: z.int(), message: z.string().nullable(), details: z.unknown(), checkedAt: Iso });

const Workers = z.object({ idle: z.int(), running: z.int(), initializing: z.int(), unhealthy: z.int() });

export const EndpointSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  config: Json,
  hasSecret: z.boolean(),
  gpu: z.string().nullable(),
  pricePerHourUsd: z.number().nullable(),
  disabled: z.boolean(),
  objectInfoFetchedAt: Iso.nullable(),
  health: EndpointHealthSchema.nullable(),
  createdAt: Iso,
  updatedAt: Iso,
});

/** GET /endpoints/{id}/health: a check made now (`fresh: true`) or the last stored one; `ok: null` when never checked. */
export const EndpointHealthReportSchema = z.looseObject({
  endpointId: z.string(),
  ok: z.boolean().nullable(),
  latencyMs: z.number().nullable(),
  message: z.string().optional(),
  queueDepth: z.number().optional(),
  workers: Workers.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  checkedAt: Iso.nullable(),
  fresh: z.boolean(),
});

const DeploymentsWithoutTarget = z.array(
  z.looseObject({ slug: z.string(), name: z.string(), paused: z.boolean(), timeoutSeconds: z.int(), runsInFlight: z.int() }),
);
/** POST /endpoints/{id}/disable: the endpoint, plus the deployments draining left without an enabled target. */
export const DisableEndpointResultSchema = z.union([
  z.object({ dryRun: z.literal(true), endpointId: z.string(), warning: z.string().nullable(), details: z.object({ deploymentsWithoutTarget: DeploymentsWithoutTarget }) }),
  EndpointSchema.extend({ warning: z.string().nullable(), details: z.object({ deploymentsWithoutTarget: DeploymentsWithoutTarget }) }),
]);

export const EndpointActionResultSchema = z.looseObject({ endpointId: z.string(), action: z.enum(["restart", "purge-queue"]) });

export const DeploymentSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  workflowId: z.string(),
  workflowVersionId: z.string(),
  workflowVersion: z.int().nullable(),
  slots: z.array(SlotInput),
  inputSchema: Json,
  targets: z.array(z.object({ endpointId: z.string(), priority: z.int(), endpointName: z.string().optional(), provider: z.string().optional() })),
  timeoutSeconds: z.int(),
  maxAttempts: z.int(),
  stuckAfterSeconds: z.int(),
  paused: z.boolean(),
  monthlyBudgetUsd: z.number().nullable(),
  budgetHardStop: z.boolean(),
  /** Cap on the extra GPU time hedges on lateness may cost (% of the deployment's; 0 = none); null = the Flowgate default. */
  hedgeBudgetPercent: z.int().nullable(),
  /** The cap in force: hedgeBudgetPercent, else the Flowgate default (FLOWGATE_HEDGE_BUDGET). */
  effectiveHedgeBudgetPercent: z.number(),
  status: z.enum(["active", "paused", "deleted"]),
  deletedAt: Iso.nullable(),
  url: z.string(),
  openapiUrl: z.string(),
  createdAt: Iso,
  updatedAt: Iso,
  /** GET and DELETE /deployments/{slug} only */
  runCounts: z.object({ total: z.int(), inFlight: z.int() }).optional(),
});

export const WebhookSecretSchema = z.object({ secret: z.string() });

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  runId: z.string(),
  url: z.string(),
  eventType: z.string(),
  status: z.string(),
  attemptCount: z.int(),
  lastStatus: z.int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: Iso.nullable(),
  deliveredAt: Iso.nullable(),
  createdAt: Iso,
  attempts: z.array(z.object({ number: z.int(), statusCode: z.int().nullable(), durationMs: z.int().nullable(), error: z.string().nullable(), at: Iso })),
});

export const ReplayResultSchema = z.object({ id: z.string(), status: z.literal("retrying") });
export const HookAckSchema = z.object({ ok: z.literal(true) });
export const OpenApiDocumentSchema = z.looseObject({ openapi: z.string(), info: Json, paths: Json });
export const HealthSchema = z.looseObject({ status: z.string() });

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Named response schemas: components.schemas in the OpenAPI document, referenced by name. */
export const RESPONSE_SCHEMAS = {
  Run: RunSchema,
  RunList: page(RunSchema),
  Workflow: WorkflowSchema,
  WorkflowList: page(WorkflowSchema),
  WorkflowVersion: WorkflowVersionSchema,
  WorkflowVersionDetail: WorkflowVersionDetailSchema,
  ImportWorkflowResult: ImportWorkflowResultSchema,
  VersionDiff: VersionDiffSchema,
  VersionPreflight: VersionPreflightSchema,
  Endpoint: EndpointSchema,
  EndpointList: page(EndpointSchema),
  EndpointHealth: EndpointHealthSchema,
  EndpointHealthReport: EndpointHealthReportSchema,
  DisableEndpointResult: DisableEndpointResultSchema,
  EndpointActionResult: EndpointActionResultSchema,
  EndpointState: EndpointStateSchema,
  EndpointStateList,
  Overview: OverviewSchema,
  BulkRunsResult,
  TestEndpointResult: TestEndpointOutput,
  AlertSettings: AlertSettingsSchema,
  Alerts: AlertsSchema,
  Deployment: DeploymentSchema,
  DeploymentList: page(DeploymentSchema),
  WebhookSecret: WebhookSecretSchema,
  WebhookDelivery: WebhookDeliverySchema,
  WebhookDeliveryList: page(WebhookDeliverySchema),
  ReplayResult: ReplayResultSchema,
  HookAck: HookAckSchema,
  OpenApiDocument: OpenApiDocumentSchema,
  Health: HealthSchema,
  AuditEntry,
  AuditList: ListAuditOutput,
  ApiKey: ApiKeySchema,
  ApiKeyList: ApiKeyListSchema,
  CreatedApiKey: CreatedApiKeySchema,
  AnalyticsSummary: GetSummaryOutput,
  AnalyticsMatrix: GetMatrixOutput,
  AnalyticsForecast: GetForecastOutput,
  CostTruth: GetCostTruthOutput,
  BillSync: SyncProviderBillsOutput,
  Requirements: RequirementsSchema,
  Resolution: ResolutionSchema,
  NodeIndexStatus: NodeIndexStatusSchema,
  Recipe: RecipeSchema,
  CostPreview: CostPreviewSchema,
  RunpodProvisioning: CreateRunpodEndpointResultSchema,
  RunpodScaling: UpdateRunpodScalingResult,
} as const;
export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;

export type Deployment = z.output<typeof DeploymentSchema>;
export type Endpoint = z.output<typeof EndpointSchema>;
export type EndpointHealth = z.output<typeof EndpointHealthSchema>;
export type EndpointHealthReport = z.output<typeof EndpointHealthReportSchema>;
export type Workflow = z.output<typeof WorkflowSchema>;
export type WorkflowVersion = z.output<typeof WorkflowVersionSchema>;
export type WebhookDelivery = z.output<typeof WebhookDeliverySchema>;
export type WorkflowVersionDetail = z.output<typeof WorkflowVersionDetailSchema>;
export type ImportWorkflowResult = z.output<typeof ImportWorkflowResultSchema>;
export type VersionDiff = z.output<typeof VersionDiffSchema>;
export type DisableEndpointResult = z.output<typeof DisableEndpointResultSchema>;
