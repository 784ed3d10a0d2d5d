// OpenAPI 3.1 documents, built from the same zod schemas the handlers validate with, so the
// contract cannot drift from the code. Per-deployment documents use the slots as the request schema.
import { z } from "zod";
import pkg from "@/package.json";
import { CreateEndpointInput } from "@/lib/endpoints/schemas";
import { CreateDeploymentInput, UpdateDeploymentInput } from "@/lib/deployments/schemas";
import { CreateRunInput } from "@/lib/runs/create-run";
import { ImportWorkflowInput } from "@/lib/workflows/import-workflow";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any", io: "input" });

const ErrorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
    },
  },
};

const RunSchema = {
  type: "object",
  required: ["id", "deploymentSlug", "workflowVersion", "status", "inputs", "attempts", "outputs", "createdAt"],
  properties: {
    id: { type: "string" },
    deploymentSlug: { type: "string" },
    workflowVersion: { type: "integer" },
    status: { enum: ["queued", "dispatching", "submitted", "running", "succeeded", "failed", "canceled", "timed_out"] },
    inputs: { type: "object" },
    progress: { type: ["object", "null"], properties: { value: { type: "number" }, max: { type: "number" }, nodeId: { type: ["string", "null"] } } },
    attempts: { type: "array", items: { type: "object" } },
    outputs: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, nodeId: { type: "string" }, filename: { type: "string" }, contentType: { type: "string" }, sizeBytes: { type: "integer" }, url: { type: "string" } },
      },
    },
    error: { type: ["object", "null"] },
    timings: { type: "object" },
    costUsd: { type: "number" },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: ["string", "null"], format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
  },
};

const errors = Object.fromEntries(
  [400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 503].map((s) => [String(s), { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
);
const jsonBody = (s: unknown) => ({ required: true, content: { "application/json": { schema: s } } });
const ok = (s: unknown, status = "200", description = "OK") => ({ [status]: { description, content: { "application/json": { schema: s } } } });
const list = { type: "object", properties: { items: { type: "array", items: { type: "object" } }, nextCursor: { type: ["string", "null"] } } };
const page = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" } },
];
const id = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });

export function openapiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Flowgate API", version: pkg.version, description: "Run ComfyUI workflows as versioned, reliable APIs." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key: fg_<prefix>_<secret>" } },
      schemas: { Error: ErrorBody, Run: RunSchema },
    },
    paths: {
      "/api/health": { get: { security: [], summary: "Health of the app, database and queue", responses: ok({ type: "object" }) } },
      "/api/v1/workflows": {
        post: { summary: "Upload a workflow (API/UI JSON, or multipart file incl. PNG/WebP)", requestBody: jsonBody(schema(ImportWorkflowInput)), responses: { ...ok({ type: "object" }, "201", "Created"), ...ok({ type: "object" }), ...errors } },
        get: { summary: "List workflows", parameters: page, responses: { ...ok(list), ...errors } },
      },
      "/api/v1/workflows/{id}": { get: { summary: "A workflow with its versions", parameters: [id("id")], responses: { ...ok({ type: "object" }), ...errors } } },
      "/api/v1/workflows/{id}/versions/{number}": {
        get: { summary: "A version: original, prompt, analysis", parameters: [id("id"), { name: "number", in: "path", required: true, schema: { type: "integer" } }], responses: { ...ok({ type: "object" }), ...errors } },
      },
      "/api/v1/endpoints": {
        post: { summary: "Register an endpoint", requestBody: jsonBody(schema(CreateEndpointInput)), responses: { ...ok({ type: "object" }, "201", "Created"), ...errors } },
        get: { summary: "List endpoints", parameters: page, responses: { ...ok(list), ...errors } },
      },
      "/api/v1/endpoints/{id}": { get: { summary: "An endpoint with latest health", parameters: [id("id")], responses: { ...ok({ type: "object" }), ...errors } } },
      "/api/v1/endpoints/{id}/health": { get: { summary: "Check the endpoint now (oncall, engineer, admin); a viewer, or ?fresh=0, gets the last stored check (`fresh: false`)", parameters: [id("id")], responses: { ...ok({ type: "object" }), ...errors } } },
      "/api/v1/endpoints/{id}/disable": {
        post: {
          summary: "Drain the endpoint. The answer names the deployments left with no enabled target (details.deploymentsWithoutTarget): their new runs wait in the queue for an enabled target up to the deployment's timeout, then end timed_out / no_target",
          parameters: [id("id"), { name: "dryRun", in: "query", schema: { type: "boolean" }, description: "Only report what draining would do" }],
          responses: { ...ok({ type: "object" }), ...errors },
        },
      },
      "/api/v1/deployments": {
        post: { summary: "Deploy a workflow version (pre-flighted against every target)", requestBody: jsonBody(schema(CreateDeploymentInput)), responses: { ...ok({ type: "object" }, "201", "Created"), ...errors } },
        get: { summary: "List deployments (in service; ?includeDeleted=true for deleted ones too)", parameters: [...page, { name: "workflowId", in: "query", schema: { type: "string" } }, { name: "includeDeleted", in: "query", schema: { type: "boolean" } }], responses: { ...ok(list), ...errors } },
      },
      "/api/v1/deployments/{slug}": {
        get: { summary: "A deployment", parameters: [id("slug")], responses: { ...ok({ type: "object" }), ...errors } },
        patch: { summary: "Update targets, timeouts, pause, slots or version", parameters: [id("slug")], requestBody: jsonBody(schema(UpdateDeploymentInput)), responses: { ...ok({ type: "object" }), ...errors } },
        delete: {
          summary: "Take the deployment out of service: new runs and retries → 410 deployment_deleted; its runs and their history stay readable; runs in flight finish; the slug is not reused",
          parameters: [id("slug")],
          responses: { ...ok({ type: "object" }), ...errors },
        },
      },
      "/api/v1/deployments/{slug}/pause": {
        post: { summary: "Pause: new runs and retries → 409 deployment_paused until resumed (runs already accepted carry on)", parameters: [id("slug")], responses: { ...ok({ type: "object" }), ...errors } },
      },
      "/api/v1/deployments/{slug}/resume": { post: { summary: "Resume a paused deployment", parameters: [id("slug")], responses: { ...ok({ type: "object" }), ...errors } } },
      "/api/v1/deployments/{slug}/runs": {
        post: {
          summary: "Start a run",
          parameters: [id("slug"), { name: "Idempotency-Key", in: "header", schema: { type: "string", maxLength: 255 } }],
          requestBody: jsonBody(schema(CreateRunInput)),
          responses: { ...ok({ $ref: "#/components/schemas/Run" }, "202", "Accepted"), ...ok({ $ref: "#/components/schemas/Run" }, "200", "Finished within `wait`"), ...errors },
        },
      },
      "/api/v1/deployments/{slug}/openapi.json": { get: { summary: "This deployment's OpenAPI document", parameters: [id("slug")], responses: ok({ type: "object" }) } },
      "/api/v1/runs": {
        get: {
          summary: "List runs",
          parameters: [...page, { name: "deployment", in: "query", schema: { type: "string" } }, { name: "status", in: "query", schema: { type: "string" } }, { name: "since", in: "query", schema: { type: "string", format: "date-time" } }],
          responses: { ...ok(list), ...errors },
        },
      },
      "/api/v1/runs/{id}": { get: { summary: "A run", parameters: [id("id")], responses: { ...ok({ $ref: "#/components/schemas/Run" }), ...errors } } },
      "/api/v1/runs/{id}/events": { get: { summary: "Server-sent events: `event: run` with the Run at every change", parameters: [id("id")], responses: { "200": { description: "text/event-stream", content: { "text/event-stream": {} } }, ...errors } } },
      "/api/v1/runs/{id}/cancel": { post: { summary: "Cancel a run", parameters: [id("id")], responses: { ...ok({ $ref: "#/components/schemas/Run" }), ...errors } } },
      "/api/v1/runs/{id}/retry": { post: { summary: "Retry a failed run as a new run", parameters: [id("id")], responses: { ...ok({ $ref: "#/components/schemas/Run" }, "202"), ...errors } } },
      "/api/v1/runs/{id}/outputs/{outputId}": { get: { summary: "An output file", parameters: [id("id"), id("outputId")], responses: { "200": { description: "The file bytes" }, ...errors } } },
    },
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
  return {
    openapi: "3.1.0",
    info: { title: `${d.name} (Flowgate deployment ${d.slug})`, version: String(d.workflowVersion ?? 1) },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: { Error: ErrorBody, Run: RunSchema, RunRequest: runBody } },
    paths: {
      [`/api/v1/deployments/${d.slug}/runs`]: {
        post: {
          operationId: `run_${d.slug.replace(/-/g, "_")}`,
          summary: `Run ${d.name}`,
          parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }],
          requestBody: jsonBody({ $ref: "#/components/schemas/RunRequest" }),
          responses: { ...ok({ $ref: "#/components/schemas/Run" }, "202", "Accepted"), ...ok({ $ref: "#/components/schemas/Run" }), ...errors },
        },
      },
      "/api/v1/runs/{id}": { get: { summary: "Get a run", parameters: [id("id")], responses: { ...ok({ $ref: "#/components/schemas/Run" }), ...errors } } },
    },
  };
}
