// Deployment tools: find and understand deployments (read), and, with the write permissions,
// suggest slots for an uploaded workflow, pre-flight it against an endpoint and deploy it.
import { z } from "zod";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { ListDeploymentsInput } from "@/lib/deployments/list-deployments.types";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { CreateDeploymentInput, SlotInput } from "@/lib/deployments/schemas";
import { serializeDeployment } from "@/lib/deployments/serialize";
import { PreflightVersionInput, preflightVersion } from "@/lib/deployments/preflight-version";
import { DeploymentStatsSchema } from "@/lib/deployments/get-deployment-stats.types";
import { getWorkflowVersion } from "@/lib/workflows/get-workflow-version";
import { mayProbe } from "@/lib/endpoints/health";
import { DeploymentSchema, VersionPreflightSchema } from "@/lib/api/responses";
import { defineTool } from "../tool";
import { ok } from "../results";
import { deploymentUri, describeDeployment } from "../describe";

const Slug = z.string().min(1).max(63).describe("The deployment's slug (list_deployments shows them)");
const VersionRef = { workflowId: z.string().min(1).describe('The workflow id ("wf_…")'), version: z.number().int().min(1).describe("The version number (1, 2, …)") };

export const listDeploymentsTool = defineTool({
  name: "list_deployments",
  permission: "read",
  title: "List deployments",
  description: "Deployments (workflows exposed as APIs), newest first, with their slot names and types. describe_deployment gives one's full input schema, an example call, cost and latency.",
  input: ListDeploymentsInput.extend({ limit: z.number().int().min(1).max(200).default(50) }),
  output: z.object({
    items: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        status: z.string(),
        workflowVersion: z.int().nullable(),
        slots: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean() })),
        resourceUri: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
  annotations: { readOnlyHint: true },
  async run(args, env) {
    const page = await listDeployments({ ctx: env.ctx, input: args });
    const items = page.items.map((d) => ({
      slug: d.slug,
      name: d.name,
      status: d.status,
      workflowVersion: d.workflowVersion,
      slots: d.slots.map((s) => ({ name: s.name, type: s.type, required: s.required ?? false })),
      resourceUri: deploymentUri(d.slug),
    }));
    return ok({ items, nextCursor: page.nextCursor }, `${items.length} deployment(s).`);
  },
});

export const describeDeploymentTool = defineTool({
  name: "describe_deployment",
  permission: "read",
  title: "Describe a deployment",
  description: "One deployment: its slots (with rules) and inputs as JSON Schema, an example run_deployment call, its targets, and its cost per run and p50/p95 latency over the last 30 days when known.",
  input: z.object({ deployment: Slug }),
  output: z.looseObject({
    slug: z.string(),
    name: z.string(),
    status: z.string(),
    resourceUri: z.string(),
    slots: z.array(SlotInput),
    inputSchema: z.record(z.string(), z.unknown()),
    exampleCall: z.object({ tool: z.literal("run_deployment"), arguments: z.record(z.string(), z.unknown()) }),
    stats: DeploymentStatsSchema,
  }),
  annotations: { readOnlyHint: true },
  async run(args, env) {
    const d = await describeDeployment(env.ctx, args.deployment);
    return ok(d, `Deployment ${d.slug}: ${d.slots.length} slot(s); call run_deployment with ${JSON.stringify(d.exampleCall.arguments)}.`);
  },
});

export const suggestSlotsTool = defineTool({
  name: "suggest_slots",
  permission: "deployments:write",
  title: "Suggest slots for a workflow version",
  description: "The inputs of an uploaded workflow version worth exposing as slots (prompt, seed, steps, images …), ready to pass to create_deployment, plus the models and custom nodes it needs.",
  input: z.object(VersionRef),
  output: z.object({ workflowId: z.string(), version: z.int(), workflowVersionId: z.string(), slots: z.array(z.record(z.string(), z.unknown())), models: z.array(z.unknown()), customNodes: z.array(z.unknown()), warnings: z.array(z.unknown()) }),
  annotations: { readOnlyHint: true },
  async run(args, env) {
    const v = await getWorkflowVersion({ ctx: env.ctx, input: { workflowId: args.workflowId, number: args.version } });
    const a = (v.analysis ?? {}) as { suggestedSlots?: Record<string, unknown>[]; models?: unknown[]; customNodes?: unknown[]; warnings?: unknown[] };
    const slots = a.suggestedSlots ?? [];
    return ok(
      { workflowId: args.workflowId, version: args.version, workflowVersionId: v.id, slots, models: a.models ?? [], customNodes: a.customNodes ?? [], warnings: a.warnings ?? [] },
      `${slots.length} suggested slot(s): ${slots.map((s) => s.name).join(", ") || "none"}. Pass them (edited as you like) to create_deployment with workflowVersionId "${v.id}".`,
    );
  },
});

export const preflightTool = defineTool({
  name: "preflight",
  permission: "deployments:write",
  title: "Pre-flight a workflow version on an endpoint",
  description: "Can this endpoint run this workflow version? Lists the node classes and model files it is missing and ComfyUI's own validation errors, by node id and class. Call before create_deployment.",
  input: z.object({ ...VersionRef, endpointId: PreflightVersionInput.shape.endpointId.describe('The endpoint id ("ep_…")') }),
  output: VersionPreflightSchema,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(args, env) {
    const r = await preflightVersion({ workflowId: args.workflowId, number: args.version }, { endpointId: args.endpointId }, { probe: mayProbe(env.ctx.actor) });
    const why = [
      r.missingNodes.length ? `missing node classes ${r.missingNodes.join(", ")}` : "",
      r.missingModels.length ? `missing model files ${r.missingModels.map((m) => `${m.name} (node ${m.nodeId}, input ${m.input})`).join(", ")}` : "",
      r.nodeErrors.length ? `node errors ${r.nodeErrors.slice(0, 5).map((e) => `node ${e.nodeId} (${e.classType}): ${e.message}`).join("; ")}` : "",
    ].filter(Boolean).join("; ");
    const summary = !r.checked
      ? `Endpoint "${r.endpointName}" does not publish its node definitions: checked when a run starts.`
      : r.ok
        ? `Endpoint "${r.endpointName}" can run this version.`
        : `Endpoint "${r.endpointName}" (${r.endpointId}) cannot run this version: ${why}.`;
    return ok(r as unknown as Record<string, unknown>, summary);
  },
});

export const createDeploymentTool = defineTool({
  name: "create_deployment",
  permission: "deployments:write",
  title: "Create a deployment",
  description:
    "Expose a workflow version as an API: slots (suggest_slots gives a starting set) and ordered target endpoints. Every target is pre-flighted first: an endpoint that lacks nodes or models is refused with the endpoint and what it lacks (endpoint_incompatible).",
  input: CreateDeploymentInput,
  output: DeploymentSchema.pick({ id: true, slug: true, name: true, status: true, url: true, openapiUrl: true }).extend({ workflowVersion: z.number().nullable(), resourceUri: z.string(), slots: z.array(z.string()) }),
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, env) {
    const d = serializeDeployment(await createDeployment({ ctx: env.ctx, input: args }));
    const out = { id: d.id, slug: d.slug, name: d.name, status: d.status, url: d.url, openapiUrl: d.openapiUrl, workflowVersion: d.workflowVersion, resourceUri: deploymentUri(d.slug), slots: d.slots.map((s) => s.name) };
    return ok(out, `Deployed as ${d.slug} (${out.resourceUri}). describe_deployment shows its inputs; run it with run_deployment.`);
  },
});

export const DEPLOYMENT_TOOLS = [listDeploymentsTool, describeDeploymentTool, suggestSlotsTool, preflightTool, createDeploymentTool];
