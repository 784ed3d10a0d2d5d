// OpenAPI 3.1 documents, generated from the same zod schemas the handlers validate with and the
// serializers return (lib/api/responses.ts, lib/runs/schemas.ts), so the contract cannot drift from
// the code. OPERATIONS is the route registry: one entry per (path, method) of every route file under
// app/api/v1 (tests/api/openapi.test.ts fails when a route has no entry). Error responses carry the
// error-code enum of their status class (lib/errors.ts). Per-deployment documents use the slots as the
// request schema.
import { z } from "zod";
import pkg from "@/package.json";
import { CreateEndpointInput, UpdateEndpointBody } from "@/lib/endpoints/schemas";
import { CreateDeploymentInput, UpdateDeploymentBody } from "@/lib/deployments/schemas";
import { CreateRunBody } from "@/lib/runs/create-run.types";
import { ImportWorkflowInput } from "@/lib/workflows/import-workflow.types";
import { BulkRunsInput } from "@/lib/runs/bulk-runs.types";
import { UpdateAlertSettingsInput } from "@/lib/oncall/get-alert-settings.types";
import { PreflightVersionInput } from "@/lib/deployments/preflight-version";
import { CreateApiKeyInput } from "@/lib/keys/create-api-key.types";
import { API_KEY_STATUSES } from "@/lib/keys/schemas";
import { AnalyzeRequirementsInput, ResolveRequirementInput } from "@/lib/provision/get-requirements.types";
import { CreateRunpodEndpointInput } from "@/lib/provision/create-runpod-endpoint.types";
import { UpdateRunpodScalingBody } from "@/lib/provision/update-runpod-scaling.types";
import { SyncProviderBillsBody } from "@/lib/analytics/sync-provider-bills.types";
import { API_ERROR_CODES, ApiErrorCodeSchema, ERROR_CODES_BY_STATUS, type ErrorStatus } from "@/lib/errors";
import { RESPONSE_SCHEMAS, type ResponseSchemaName } from "@/lib/api/responses";

type JsonSchema = Record<string, unknown>;

function strip(s: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
}
/** A request schema, inline (what the client sends: defaults optional). */
const input = (s: z.ZodType): JsonSchema => strip(z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any", io: "input" }) as JsonSchema);

const errorBody = (code: z.ZodType) =>
  z.object({
    error: z.object({
      code,
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  });

/** Error schemas: `Error` (any code) and `Error<status>` with the codes of that status only. */
export const ERROR_SCHEMAS: Record<string, z.ZodType> = {
  ErrorCode: ApiErrorCodeSchema,
  Error: errorBody(ApiErrorCodeSchema),
  ...Object.fromEntries(
    Object.entries(ERROR_CODES_BY_STATUS).map(([status, codes]) => [`Error${status}`, errorBody(z.enum(codes as unknown as [string, ...string[]]))]),
  ),
};

/** components.schemas: every named response and error schema, converted once, with $refs between them. */
export function componentSchemas(): Record<string, JsonSchema> {
  const reg = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries({ ...RESPONSE_SCHEMAS, ...ERROR_SCHEMAS })) reg.add(s, { id });
  const out = z.toJSONSchema(reg, { target: "draft-2020-12", unrepresentable: "any", io: "output", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(out.schemas).map(([k, v]) => [k, strip(v as JsonSchema)]));
}

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "Bad request (malformed JSON, invalid body or parameter)",
  401: "No valid API key or session (unknown, expired or revoked key)",
  402: "A budget stops new runs (the deployment's monthly budget is spent)",
  403: "The role or key scopes do not allow this, the key may not run this deployment, or a cross-site cookie write",
  404: "Not found",
  409: "Conflict with the current state",
  410: "Gone: the deployment was deleted",
  413: "Too large",
  415: "Unsupported media type (send application/json)",
  422: "Understood but refused (invalid workflow, slots, inputs, URL…)",
  429: "Rate limited (see Retry-After)",
  500: "Internal error (logged)",
  503: "A dependency (database, endpoint) is down (see Retry-After)",
};

type Param = { name: string; in: "path" | "query" | "header"; required?: boolean; description?: string; schema: JsonSchema };
type Method = "get" | "post" | "patch" | "delete";
export interface Operation {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** false: no bearer/session auth (health, provider callbacks) */
  auth?: false;
  parameters?: Param[];
  body?: z.ZodType;
  /** extra request content types besides JSON (multipart upload) */
  multipart?: JsonSchema;
  /** success responses: status → named schema, or a raw content/description */
  ok: Record<string, { schema?: ResponseSchemaName; description: string; content?: Record<string, unknown> }>;
  /** error statuses beyond the ones every authenticated route can answer */
  errors?: ErrorStatus[];
}

const pathParam = (name: string, description?: string): Param => ({ name, in: "path", required: true, ...(description ? { description } : {}), schema: { type: "string" } });
const versionParam: Param = { name: "number", in: "path", required: true, description: "Version number (1, 2, …)", schema: { type: "integer", minimum: 1 } };
const pageParams: Param[] = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
  { name: "cursor", in: "query", description: "nextCursor of the previous page", schema: { type: "string" } },
];
const boolQuery = (name: string, description: string): Param => ({ name, in: "query", description, schema: { type: "boolean" } });
const ANALYTICS_RANGE: Param[] = [
  { name: "from", in: "query", description: "Runs created at or after (default: 7 days before `to`)", schema: { type: "string", format: "date-time" } },
  { name: "to", in: "query", description: "Runs created before (default: now)", schema: { type: "string", format: "date-time" } },
  { name: "deployment", in: "query", description: "A deployment slug or id", schema: { type: "string" } },
  { name: "endpoint", in: "query", description: "An endpoint id", schema: { type: "string" } },
  { name: "provider", in: "query", schema: { type: "string" } },
];
const BASE_ERRORS: ErrorStatus[] = [400, 401, 403, 404, 429, 500, 503];
const BODY_ERRORS: ErrorStatus[] = [413, 415, 422];

const TAGS = {
  Workflows: "Uploaded ComfyUI workflows and their immutable versions",
  Endpoints: "Where workflows execute (ComfyUI, RunPod, RunComfy) and their on-call actions",
  Deployments: "A workflow version exposed as an API, with slots and ordered targets",
  Runs: "Executions of a deployment, their outputs, events and webhook deliveries",
  Audit: "Who did what, when, and how it ended",
  Keys: "API keys: scopes (read, run, operate, deploy, audit, admin), deployments a run key may run, expiry, revoke",
  Analytics: "Spend, reliability and latency from the hourly rollup; the provider decision matrix",
  Provisioning: "What a workflow needs (node packs, models) and the worker image and endpoint that provide it",
  Providers: "Callbacks from providers",
  Meta: "Health and this document",
} as const;

const op = (o: Operation & { tag: keyof typeof TAGS }) => o;
const V1 = "/api/v1";

export const OPERATIONS: Operation[] = [
  // Workflows
  op({
    method: "post",
    path: `${V1}/workflows`,
    operationId: "importWorkflow",
    tag: "Workflows",
    summary: "Upload a workflow (API/UI JSON, or multipart file incl. PNG/WebP): a new workflow, or a new version of the one with that name",
    body: ImportWorkflowInput,
    multipart: {
      type: "object",
      required: ["file"],
      properties: { file: { type: "string", contentMediaType: "application/octet-stream" }, name: { type: "string" }, workflowId: { type: "string" }, objectInfo: { type: "string" } },
    },
    ok: { "201": { schema: "ImportWorkflowResult", description: "Created (new workflow or new version)" }, "200": { schema: "ImportWorkflowResult", description: "Same content as an existing version" } },
    errors: BODY_ERRORS,
  }),
  op({ method: "get", path: `${V1}/workflows`, operationId: "listWorkflows", tag: "Workflows", summary: "List workflows, newest first", parameters: pageParams, ok: { "200": { schema: "WorkflowList", description: "A page of workflows" } } }),
  op({ method: "get", path: `${V1}/workflows/{id}`, operationId: "getWorkflow", tag: "Workflows", summary: "A workflow with its versions", parameters: [pathParam("id")], ok: { "200": { schema: "Workflow", description: "The workflow" } } }),
  op({
    method: "get",
    path: `${V1}/workflows/{id}/versions/{number}`,
    operationId: "getWorkflowVersion",
    tag: "Workflows",
    summary: "A version: original, prompt, analysis",
    parameters: [pathParam("id"), versionParam],
    ok: { "200": { schema: "WorkflowVersionDetail", description: "The version" } },
  }),
  op({
    method: "get",
    path: `${V1}/workflows/{id}/versions/{number}/diff`,
    operationId: "diffWorkflowVersion",
    tag: "Workflows",
    summary: "Nodes added, removed and changed since version `against` (default number−1), and which slots of each deployment carry over",
    parameters: [pathParam("id"), versionParam, { name: "against", in: "query", schema: { type: "integer", minimum: 1 } }],
    ok: { "200": { schema: "VersionDiff", description: "The diff" } },
  }),
  op({
    method: "post",
    path: `${V1}/workflows/{id}/versions/{number}/preflight`,
    operationId: "preflightWorkflowVersion",
    tag: "Workflows",
    summary: "Can this endpoint run the version? Missing nodes and models, node by node (viewers: cached node definitions only)",
    parameters: [pathParam("id"), versionParam],
    body: PreflightVersionInput,
    ok: { "200": { schema: "VersionPreflight", description: "The pre-flight report" } },
    errors: BODY_ERRORS,
  }),
  // Provisioning
  op({
    method: "get",
    path: `${V1}/workflows/{id}/versions/{number}/requirements`,
    operationId: "getWorkflowRequirements",
    tag: "Provisioning",
    summary: "What an endpoint needs to run the version: custom node packs (class → pack), model files (folder, download source, token), unknown classes",
    parameters: [pathParam("id"), versionParam],
    ok: { "200": { schema: "Requirements", description: "The requirements" } },
  }),
  op({
    method: "get",
    path: `${V1}/workflows/{id}/versions/{number}/recipe`,
    operationId: "getWorkerRecipe",
    tag: "Provisioning",
    summary: "Worker image recipe for RunPod worker-comfyui: Dockerfile (exactly the packs and models), CI workflow, extra_model_paths.yaml, network-volume script; format=zip for a zip",
    parameters: [
      pathParam("id"),
      versionParam,
      { name: "provider", in: "query", schema: { type: "string", enum: ["runpod"], default: "runpod" } },
      { name: "format", in: "query", schema: { type: "string", enum: ["json", "zip"], default: "json" } },
      { name: "image", in: "query", description: "Image reference the CI workflow pushes", schema: { type: "string" } },
    ],
    ok: { "200": { schema: "Recipe", description: "The recipe (JSON), or with format=zip the same files as application/zip", content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } } } },
  }),
  op({
    method: "get",
    path: `${V1}/workflows/{id}/versions/{number}/cost-preview`,
    operationId: "getCostPreview",
    tag: "Provisioning",
    summary: "Expected cost per run and per 1,000 runs on candidate GPUs (from earlier runs of the workflow, else labelled estimates), and the daily cost of workersMin always-on workers",
    parameters: [pathParam("id"), versionParam, { name: "workersMin", in: "query", schema: { type: "integer", minimum: 0, maximum: 100, default: 0 } }],
    ok: { "200": { schema: "CostPreview", description: "The preview" } },
  }),
  op({
    method: "post",
    path: `${V1}/requirements`,
    operationId: "analyzeRequirements",
    tag: "Provisioning",
    summary: "The requirements of a workflow in the body (not stored; also UI workflows whose custom nodes have no definitions)",
    body: AnalyzeRequirementsInput,
    ok: { "200": { schema: "Requirements", description: "The requirements" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "post",
    path: `${V1}/provision/resolutions`,
    operationId: "resolveRequirement",
    tag: "Provisioning",
    summary: "Remember the pack (git URL) of a node class or the download URL of a model file; url null forgets",
    body: ResolveRequirementInput,
    ok: { "200": { schema: "Resolution", description: "The remembered answer" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "post",
    path: `${V1}/provision/runpod-endpoints`,
    operationId: "createRunpodEndpoint",
    tag: "Provisioning",
    summary: "Create a RunPod serverless template and endpoint through RunPod's REST API with the given key (image, GPU types in order, workers, idle timeout, FlashBoot, network volume, execution timeout), register it, wait for its workers, then run the endpoint test (health, pre-flight, a tiny test run); reports each step",
    body: CreateRunpodEndpointInput,
    ok: { "201": { schema: "RunpodProvisioning", description: "Created, registered, workers ready, test run passed" }, "200": { schema: "RunpodProvisioning", description: "A step failed (see steps); what was created is reported" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "patch",
    path: `${V1}/provision/runpod-endpoints/{id}`,
    operationId: "updateRunpodScaling",
    tag: "Provisioning",
    summary: "Change a RunPod endpoint's scaling knobs (workers min/max, idle timeout, FlashBoot, execution timeout) through RunPod's REST API with its stored key; {id} is the Flowgate endpoint",
    parameters: [pathParam("id")],
    body: UpdateRunpodScalingBody,
    ok: { "200": { schema: "RunpodScaling", description: "RunPod took the change; before and after" } },
    errors: BODY_ERRORS,
  }),
  op({ method: "get", path: `${V1}/provision/node-index`, operationId: "getNodeIndex", tag: "Provisioning", summary: "Source and date of the ComfyUI-Manager node index in use", ok: { "200": { schema: "NodeIndexStatus", description: "The index status" } } }),
  op({ method: "post", path: `${V1}/provision/node-index`, operationId: "refreshNodeIndex", tag: "Provisioning", summary: "Refetch the node index from its source (admin)", ok: { "200": { schema: "NodeIndexStatus", description: "The refreshed index" } } }),
  // Endpoints
  op({ method: "post", path: `${V1}/endpoints`, operationId: "createEndpoint", tag: "Endpoints", summary: "Register an endpoint", body: CreateEndpointInput, ok: { "201": { schema: "Endpoint", description: "Created" } }, errors: [...BODY_ERRORS, 409] }),
  op({ method: "get", path: `${V1}/endpoints`, operationId: "listEndpoints", tag: "Endpoints", summary: "List endpoints", parameters: pageParams, ok: { "200": { schema: "EndpointList", description: "A page of endpoints" } } }),
  op({ method: "get", path: `${V1}/endpoints/{id}`, operationId: "getEndpoint", tag: "Endpoints", summary: "An endpoint with its latest health", parameters: [pathParam("id")], ok: { "200": { schema: "Endpoint", description: "The endpoint" } } }),
  op({
    method: "patch",
    path: `${V1}/endpoints/{id}`,
    operationId: "updateEndpoint",
    tag: "Endpoints",
    summary: "Edit name, config, secret (write-only), GPU, price",
    parameters: [pathParam("id")],
    body: UpdateEndpointBody,
    ok: { "200": { schema: "Endpoint", description: "The updated endpoint" } },
    errors: [...BODY_ERRORS, 409],
  }),
  op({
    method: "delete",
    path: `${V1}/endpoints/{id}`,
    operationId: "deleteEndpoint",
    tag: "Endpoints",
    summary: "Delete an endpoint no deployment targets and with no run history",
    parameters: [pathParam("id")],
    ok: { "204": { description: "Deleted" } },
    errors: [409],
  }),
  op({
    method: "get",
    path: `${V1}/endpoints/states`,
    operationId: "listEndpointStates",
    tag: "Endpoints",
    summary: "Every endpoint's on-call state (healthy / degraded / down / disabled / unknown, with the reasons), from stored checks and recent attempts",
    ok: { "200": { schema: "EndpointStateList", description: "The states, by endpoint name" } },
  }),
  op({
    method: "post",
    path: `${V1}/endpoints/{id}/test-run`,
    operationId: "testEndpoint",
    tag: "Endpoints",
    summary: "Test run (on-call action, audited): a health check, a pre-flight of the tiny workflow's nodes and a tiny run (EmptyImage → SaveImage) through the provider; each step's result",
    parameters: [pathParam("id")],
    ok: { "200": { schema: "TestEndpointResult", description: "Each step and whether all passed" } },
  }),
  op({
    method: "get",
    path: `${V1}/endpoints/{id}/state`,
    operationId: "getEndpointState",
    tag: "Endpoints",
    summary: "One endpoint's on-call state: why, queue depth, workers, last error, the last hour's success rate and p95, its health checks of the last hour",
    parameters: [pathParam("id")],
    ok: { "200": { schema: "EndpointState", description: "The state" } },
  }),
  op({ method: "get", path: `${V1}/alerts`, operationId: "listAlerts", tag: "Runs", summary: "Alert settings and the alerts firing now (endpoint down/degraded, stuck runs, failure rate)", ok: { "200": { schema: "Alerts", description: "Settings and active alerts" } } }),
  op({
    method: "patch",
    path: `${V1}/alerts`,
    operationId: "updateAlertSettings",
    tag: "Runs",
    summary: "Edit alert thresholds and the alert webhook (Slack-compatible JSON, Standard Webhooks signature; a new signing secret is shown once)",
    body: UpdateAlertSettingsInput,
    ok: { "200": { schema: "AlertSettings", description: "The settings" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "get",
    path: `${V1}/overview`,
    operationId: "getOverview",
    tag: "Runs",
    summary: "What needs attention now: stuck and failed runs, endpoints not healthy, budget warnings, counts and the last hour per minute",
    ok: { "200": { schema: "Overview", description: "The overview" } },
  }),
  op({
    method: "get",
    path: `${V1}/endpoints/{id}/health`,
    operationId: "checkEndpointHealth",
    tag: "Endpoints",
    summary: "Check the endpoint now (oncall, engineer, admin); a viewer, or ?fresh=0, gets the last stored check (`fresh: false`)",
    parameters: [pathParam("id"), boolQuery("fresh", "false/0: the last stored check, no call to the endpoint")],
    ok: { "200": { schema: "EndpointHealthReport", description: "The health report" } },
  }),
  op({
    method: "post",
    path: `${V1}/endpoints/{id}/disable`,
    operationId: "disableEndpoint",
    tag: "Endpoints",
    summary:
      "Drain the endpoint. The answer names the deployments left with no enabled target (details.deploymentsWithoutTarget): their new runs wait in the queue for an enabled target up to the deployment's timeout, then end timed_out / no_target",
    parameters: [pathParam("id"), boolQuery("dryRun", "Only report what draining would do")],
    ok: { "200": { schema: "DisableEndpointResult", description: "The drained endpoint (or, with dryRun, the impact only)" } },
  }),
  op({ method: "post", path: `${V1}/endpoints/{id}/enable`, operationId: "enableEndpoint", tag: "Endpoints", summary: "Put a drained endpoint back in service", parameters: [pathParam("id")], ok: { "200": { schema: "Endpoint", description: "The endpoint" } } }),
  op({
    method: "post",
    path: `${V1}/endpoints/{id}/restart`,
    operationId: "restartEndpoint",
    tag: "Endpoints",
    summary: "Restart the endpoint's workers through its provider (on-call action)",
    parameters: [pathParam("id")],
    ok: { "200": { schema: "EndpointActionResult", description: "The provider's answer" } },
    errors: [409, 422],
  }),
  op({
    method: "post",
    path: `${V1}/endpoints/{id}/purge-queue`,
    operationId: "purgeEndpointQueue",
    tag: "Endpoints",
    summary: "Drop the jobs waiting in the provider's queue (on-call action)",
    parameters: [pathParam("id")],
    ok: { "200": { schema: "EndpointActionResult", description: "The provider's answer" } },
    errors: [409, 422],
  }),
  // Deployments
  op({
    method: "post",
    path: `${V1}/deployments`,
    operationId: "createDeployment",
    tag: "Deployments",
    summary: "Deploy a workflow version (pre-flighted against every target)",
    body: CreateDeploymentInput,
    ok: { "201": { schema: "Deployment", description: "Created" } },
    errors: [...BODY_ERRORS, 409],
  }),
  op({
    method: "get",
    path: `${V1}/deployments`,
    operationId: "listDeployments",
    tag: "Deployments",
    summary: "List deployments (in service; ?includeDeleted=true for deleted ones too)",
    parameters: [...pageParams, { name: "workflowId", in: "query", schema: { type: "string" } }, boolQuery("includeDeleted", "Include deleted deployments")],
    ok: { "200": { schema: "DeploymentList", description: "A page of deployments" } },
  }),
  op({ method: "get", path: `${V1}/deployments/{slug}`, operationId: "getDeployment", tag: "Deployments", summary: "A deployment with its run counts", parameters: [pathParam("slug")], ok: { "200": { schema: "Deployment", description: "The deployment" } } }),
  op({
    method: "patch",
    path: `${V1}/deployments/{slug}`,
    operationId: "updateDeployment",
    tag: "Deployments",
    summary: "Update targets, timeouts, pause, slots or version",
    parameters: [pathParam("slug")],
    body: UpdateDeploymentBody,
    ok: { "200": { schema: "Deployment", description: "The updated deployment" } },
    errors: [...BODY_ERRORS, 409, 410],
  }),
  op({
    method: "delete",
    path: `${V1}/deployments/{slug}`,
    operationId: "deleteDeployment",
    tag: "Deployments",
    summary: "Take the deployment out of service: new runs and retries → 410 deployment_deleted; its runs and their history stay readable; runs in flight finish; the slug is not reused",
    parameters: [pathParam("slug")],
    ok: { "200": { schema: "Deployment", description: "The deleted deployment with its run counts" } },
    errors: [409, 410],
  }),
  op({
    method: "post",
    path: `${V1}/deployments/{slug}/pause`,
    operationId: "pauseDeployment",
    tag: "Deployments",
    summary: "Pause: new runs and retries → 409 deployment_paused until resumed (runs already accepted carry on)",
    parameters: [pathParam("slug")],
    ok: { "200": { schema: "Deployment", description: "The paused deployment" } },
    errors: [410],
  }),
  op({ method: "post", path: `${V1}/deployments/{slug}/resume`, operationId: "resumeDeployment", tag: "Deployments", summary: "Resume a paused deployment", parameters: [pathParam("slug")], ok: { "200": { schema: "Deployment", description: "The deployment" } }, errors: [410] }),
  op({
    method: "get",
    path: `${V1}/deployments/{slug}/webhook-secret`,
    operationId: "getDeploymentWebhookSecret",
    tag: "Deployments",
    summary: "The deployment's Standard Webhooks signing secret (whsec_…), created on first read",
    parameters: [pathParam("slug")],
    ok: { "200": { schema: "WebhookSecret", description: "The secret" } },
  }),
  op({
    method: "get",
    path: `${V1}/deployments/{slug}/openapi.json`,
    operationId: "getDeploymentOpenapi",
    tag: "Deployments",
    summary: "This deployment's OpenAPI document (its slots as the request schema)",
    parameters: [pathParam("slug")],
    ok: { "200": { schema: "OpenApiDocument", description: "An OpenAPI 3.1 document" } },
    errors: [410],
  }),
  // Runs
  op({
    method: "post",
    path: `${V1}/deployments/{slug}/runs`,
    operationId: "createRun",
    tag: "Runs",
    summary: "Start a run",
    parameters: [pathParam("slug"), { name: "Idempotency-Key", in: "header", description: "The same key and body within 24 h returns the same run", schema: { type: "string", maxLength: 255 } }],
    body: CreateRunBody,
    ok: { "202": { schema: "Run", description: "Accepted" }, "200": { schema: "Run", description: "Finished within `wait`" } },
    errors: [...BODY_ERRORS, 402, 409, 410],
  }),
  op({
    method: "get",
    path: `${V1}/runs`,
    operationId: "listRuns",
    tag: "Runs",
    summary: "List runs, newest first",
    parameters: [
      ...pageParams,
      { name: "deployment", in: "query", description: "A deployment slug", schema: { type: "string" } },
      { name: "status", in: "query", schema: { type: "string" } },
      { name: "since", in: "query", schema: { type: "string", format: "date-time" } },
      { name: "endpoint", in: "query", description: "Runs with an attempt on this endpoint id", schema: { type: "string" } },
      boolQuery("live", "Only runs still in flight"),
      { name: "q", in: "query", description: "A run id, or the provider job id of one of its attempts", schema: { type: "string" } },
    ],
    ok: { "200": { schema: "RunList", description: "A page of runs" } },
  }),
  op({
    method: "get",
    path: `${V1}/audit`,
    operationId: "listAudit",
    tag: "Audit",
    summary: "Audit rows, newest first (admin, oncall)",
    parameters: [
      ...pageParams,
      { name: "actor", in: "query", description: "An actor id, or type:id", schema: { type: "string" } },
      { name: "action", in: "query", description: "An action (run.cancel) or a family (endpoint.*)", schema: { type: "string" } },
      { name: "targetType", in: "query", schema: { type: "string" } },
      { name: "targetId", in: "query", schema: { type: "string" } },
      { name: "since", in: "query", schema: { type: "string", format: "date-time" } },
    ],
    ok: { "200": { schema: "AuditList", description: "A page of audit rows" } },
  }),
  op({ method: "get", path: `${V1}/runs/{id}`, operationId: "getRun", tag: "Runs", summary: "A run", parameters: [pathParam("id")], ok: { "200": { schema: "Run", description: "The run" } } }),
  op({
    method: "post",
    path: `${V1}/runs/bulk`,
    operationId: "bulkRuns",
    tag: "Runs",
    summary: "Cancel or retry up to 200 runs, each exactly like its single action (checked and audited per run); per-run results",
    body: BulkRunsInput,
    ok: { "200": { schema: "BulkRunsResult", description: "What happened to each run" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "get",
    path: `${V1}/runs/events`,
    operationId: "streamRunListEvents",
    tag: "Runs",
    summary: "Server-sent events for the runs board: `event: run` with the whole Run whenever any run changes (batched at most every 250 ms); never ends on its own",
    ok: { "200": { description: "text/event-stream of `event: run` / `data: <Run JSON>`", content: { "text/event-stream": { schema: { type: "string" } } } } },
  }),
  op({
    method: "get",
    path: `${V1}/runs/{id}/events`,
    operationId: "streamRunEvents",
    tag: "Runs",
    summary: "Server-sent events: `event: run` with the whole Run at every change, ending after a terminal status",
    parameters: [pathParam("id")],
    ok: { "200": { description: "text/event-stream of `event: run` / `data: <Run JSON>`", content: { "text/event-stream": { schema: { type: "string" } } } } },
  }),
  op({ method: "post", path: `${V1}/runs/{id}/cancel`, operationId: "cancelRun", tag: "Runs", summary: "Cancel a run (at the provider too)", parameters: [pathParam("id")], ok: { "200": { schema: "Run", description: "The run" } }, errors: [409] }),
  op({ method: "post", path: `${V1}/runs/{id}/retry`, operationId: "retryRun", tag: "Runs", summary: "Retry a failed run as a new run", parameters: [pathParam("id")], ok: { "202": { schema: "Run", description: "The new run" } }, errors: [409, 410] }),
  op({
    method: "get",
    path: `${V1}/runs/{id}/outputs/{outputId}`,
    operationId: "getRunOutput",
    tag: "Runs",
    summary: "An output file, with its content type",
    parameters: [pathParam("id"), pathParam("outputId")],
    ok: { "200": { description: "The file bytes", content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } } },
  }),
  op({
    method: "get",
    path: `${V1}/runs/{id}/outputs/{outputId}/signed`,
    operationId: "getSignedRunOutput",
    tag: "Runs",
    summary: "An output file through a signed, expiring link (no API key: the signature is the authorization; MCP tool results carry these links)",
    auth: false,
    parameters: [
      pathParam("id"),
      pathParam("outputId"),
      { name: "exp", in: "query", required: true, description: "Expiry, Unix seconds", schema: { type: "string", pattern: "^[0-9]+$" } },
      { name: "sig", in: "query", required: true, description: "HMAC-SHA256 signature (base64url)", schema: { type: "string" } },
    ],
    ok: { "200": { description: "The file bytes", content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } } },
  }),
  op({ method: "get", path: `${V1}/runs/{id}/webhooks`, operationId: "listWebhookDeliveries", tag: "Runs", summary: "The run's webhook deliveries with their tries", parameters: [pathParam("id")], ok: { "200": { schema: "WebhookDeliveryList", description: "The deliveries" } } }),
  op({
    method: "post",
    path: `${V1}/runs/{id}/webhooks/{deliveryId}/replay`,
    operationId: "replayWebhookDelivery",
    tag: "Runs",
    summary: "Send a delivery again now (dead ones get a fresh 24 h window)",
    parameters: [pathParam("id"), pathParam("deliveryId")],
    ok: { "202": { schema: "ReplayResult", description: "Scheduled" } },
    errors: [409],
  }),
  // Provider callbacks and the document itself
  op({
    method: "post",
    path: `${V1}/hooks/attempts/{attemptId}`,
    operationId: "receiveProviderCallback",
    tag: "Providers",
    summary: "A provider's job callback (RunPod, RunComfy), authenticated by the per-attempt token in the URL Flowgate gave it",
    auth: false,
    parameters: [pathParam("attemptId"), { name: "token", in: "query", required: true, schema: { type: "string" } }],
    ok: { "200": { schema: "HookAck", description: "Recorded" } },
  }),
  // API keys
  op({
    method: "post",
    path: `${V1}/keys`,
    operationId: "createApiKey",
    tag: "Keys",
    summary: "Create an API key, shown once (admins: any scopes; a signed-in user: their own, within their role)",
    body: CreateApiKeyInput,
    ok: { "201": { schema: "CreatedApiKey", description: "The key, with the secret `key` shown this once" } },
    errors: BODY_ERRORS,
  }),
  op({
    method: "get",
    path: `${V1}/keys`,
    operationId: "listApiKeys",
    tag: "Keys",
    summary: "API keys, newest first (admins: all; a user: their own); never the key itself",
    parameters: [...pageParams, { name: "status", in: "query", schema: { type: "string", enum: [...API_KEY_STATUSES] } }],
    ok: { "200": { schema: "ApiKeyList", description: "A page of keys" } },
  }),
  op({
    method: "delete",
    path: `${V1}/keys/{id}`,
    operationId: "revokeApiKey",
    tag: "Keys",
    summary: "Revoke a key: it answers 401 api_key_revoked from now on (revoking twice changes nothing)",
    parameters: [pathParam("id")],
    ok: { "200": { schema: "ApiKey", description: "The revoked key" } },
  }),
  op({
    method: "get",
    path: `${V1}/analytics/summary`,
    operationId: "getAnalyticsSummary",
    tag: "Analytics",
    summary: "Runs, success rate, cost (per phase, per 1,000 succeeded runs, idle capacity) and latency percentiles, grouped",
    parameters: [
      ...ANALYTICS_RANGE,
      { name: "groupBy", in: "query", schema: { type: "string", enum: ["provider", "endpoint", "deployment", "day", "hour"], default: "provider" } },
      { name: "splitBy", in: "query", description: "A second dimension (stacked charts)", schema: { type: "string", enum: ["provider", "endpoint", "deployment"] } },
    ],
    ok: { "200": { schema: "AnalyticsSummary", description: "The groups, their total and the endpoints' capacity" } },
  }),
  op({
    method: "get",
    path: `${V1}/analytics/matrix`,
    operationId: "getAnalyticsMatrix",
    tag: "Analytics",
    summary: "The provider decision matrix: per endpoint and provider × GPU, with a recommendation per deployment",
    parameters: [...ANALYTICS_RANGE, { name: "maxP95Ms", in: "query", description: "The recommendation's p95 target (default 60000)", schema: { type: "integer", minimum: 1 } }],
    ok: { "200": { schema: "AnalyticsMatrix", description: "The matrix" } },
  }),
  op({
    method: "get",
    path: `${V1}/analytics/forecast`,
    operationId: "getAnalyticsForecast",
    tag: "Analytics",
    summary: "Projected month-end spend per deployment at the current rate (last 7 days), against its budget; each endpoint's measured cost per succeeded run for a what-if",
    parameters: [
      { name: "deployment", in: "query", description: "A deployment's slug or id (default: all)", schema: { type: "string" } },
      { name: "at", in: "query", description: "Forecast as of this time (default: now)", schema: { type: "string", format: "date-time" } },
    ],
    ok: { "200": { schema: "AnalyticsForecast", description: "The forecast per deployment" } },
  }),
  op({
    method: "get",
    path: `${V1}/analytics/cost-truth`,
    operationId: "getCostTruth",
    tag: "Analytics",
    summary: "Cost truth: Flowgate's computed spend (attempts by the hour they started) beside the provider's bill, per endpoint per hour, with the difference",
    parameters: [
      { name: "from", in: "query", description: "Start (default: 7 days before `to`), snapped down to its hour", schema: { type: "string", format: "date-time" } },
      { name: "to", in: "query", description: "End, exclusive (default: now)", schema: { type: "string", format: "date-time" } },
      { name: "endpoint", in: "query", description: "An endpoint id", schema: { type: "string" } },
    ],
    ok: { "200": { schema: "CostTruth", description: "Computed vs billed per endpoint per hour, and totals" } },
  }),
  op({
    method: "post",
    path: `${V1}/analytics/bills/sync`,
    operationId: "syncProviderBills",
    tag: "Analytics",
    summary: "Fetch what the provider billed per hour (RunPod serverless) for one or every endpoint and store it (the worker also does this hourly)",
    body: SyncProviderBillsBody,
    ok: { "200": { schema: "BillSync", description: "What was fetched per endpoint (ok, failed or not_supported)" } },
    errors: BODY_ERRORS,
  }),
  op({ method: "get", path: `${V1}/openapi.json`, operationId: "getOpenapi", tag: "Meta", summary: "This document", ok: { "200": { schema: "OpenApiDocument", description: "An OpenAPI 3.1 document" } } }),
  op({ method: "get", path: "/api/health", operationId: "getHealth", tag: "Meta", summary: "Health of the app, database and queue", auth: false, ok: { "200": { schema: "Health", description: "Healthy" }, "503": { schema: "Health", description: "Degraded" } } }),
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(statuses: ErrorStatus[]) {
  return Object.fromEntries(
    [...new Set(statuses)].sort().map((s) => [String(s), { description: ERROR_TEXT[s], content: { "application/json": { schema: ref(`Error${s}`) } } }]),
  );
}

function operationObject(o: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(o.ok)) {
    responses[status] = { description: r.description, ...(r.schema ? { content: { "application/json": { schema: ref(r.schema) }, ...(r.content ?? {}) } } : r.content ? { content: r.content } : {}) };
  }
  const errs = o.auth === false ? [400, 401, 404, 500, 503] as ErrorStatus[] : [...BASE_ERRORS, ...(o.errors ?? [])];
  for (const [status, r] of Object.entries(errorResponses(errs))) responses[status] ??= r;
  responses.default = { description: "Any other error: the API's error body with one of its codes", content: { "application/json": { schema: ref("Error") } } };
  const content: Record<string, unknown> = {};
  if (o.body) content["application/json"] = { schema: input(o.body) };
  if (o.multipart) content["multipart/form-data"] = { schema: o.multipart };
  return {
    operationId: o.operationId,
    summary: o.summary,
    tags: [o.tag],
    ...(o.auth === false ? { security: [] } : {}),
    ...(o.parameters?.length ? { parameters: o.parameters } : {}),
    ...(o.body ? { requestBody: { required: true, content } } : {}),
    responses,
  };
}

export function openapiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of OPERATIONS) (paths[o.path] ??= {})[o.method] = operationObject(o);
  const tags = Object.entries(TAGS).map(([name, description]) => ({ name, description }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Flowgate API",
      version: pkg.version,
      description: `Run ComfyUI workflows as versioned, reliable APIs. Errors are {"error":{"code","message","details"?}} with one of ${API_ERROR_CODES.length} stable codes (components.schemas.ErrorCode); each status answers only the codes of its class.`
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key: fg_<prefix>_<secret> (the dashboard uses its session cookie)" } },
      schemas: componentSchemas(),
    },
    paths,
  };
}

export function deploymentOpenapiDocument(d: { name: string; slug: string; inputSchema: Record<string, unknown>; workflowVersion: number | null }) {
  const runBody = {
    type: "object",
    additionalProperties: false,
    required: ["inputs"],
    properties: {
      inputs: d.inputSchema,
      webhook: { type: "string", format: "uri", description: "Called (Standard Webhooks) when the run ends" },
      wait: { type: "number", minimum: 0, maximum: 60, description: "Hold the request up to N seconds for the result" },
    },
  };
  const all = componentSchemas();
  const errs: ErrorStatus[] = [...BASE_ERRORS, ...BODY_ERRORS, 409, 410];
  const schemas: Record<string, unknown> = { RunRequest: runBody, Run: all.Run };
  for (const s of errs) schemas[`Error${s}`] = all[`Error${s}`];
  const slug = d.slug.replace(/-/g, "_");
  return {
    openapi: "3.1.0",
    info: { title: `${d.name} (Flowgate deployment ${d.slug})`, version: String(d.workflowVersion ?? 1) },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
    paths: {
      [`/api/v1/deployments/${d.slug}/runs`]: {
        post: {
          operationId: `run_${slug}`,
          summary: `Run ${d.name}`,
          parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string", maxLength: 255 } }],
          requestBody: { required: true, content: { "application/json": { schema: ref("RunRequest") } } },
          responses: {
            "202": { description: "Accepted", content: { "application/json": { schema: ref("Run") } } },
            "200": { description: "Finished within `wait`", content: { "application/json": { schema: ref("Run") } } },
            ...errorResponses(errs),
          },
        },
      },
      "/api/v1/runs/{id}": {
        get: {
          operationId: `get_${slug}_run`,
          summary: "Get a run",
          parameters: [pathParam("id")],
          responses: { "200": { description: "The run", content: { "application/json": { schema: ref("Run") } } }, ...errorResponses(BASE_ERRORS) },
        },
      },
    },
  };
}
