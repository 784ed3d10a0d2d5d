// Run tools: start (one or many), read, wait (bounded, with progress), cancel, retry, list.
// Thin adapters over lib/runs; every answer carries the run's true status and signed output links.
import { z } from "zod";
import { createRun } from "@/lib/runs/create-run";
import { CreateRunBody } from "@/lib/runs/create-run.types";
import { cancelRun } from "@/lib/runs/cancel-run";
import { retryRun } from "@/lib/runs/retry-run";
import { getRun } from "@/lib/runs/get-run";
import { listRuns } from "@/lib/runs/list-runs";
import { ListRunsInput } from "@/lib/runs/list-runs.types";
import { RunSchema } from "@/lib/runs/schemas";
import { ApiError } from "@/lib/errors";
import { defineTool, progressReporter, type ToolExtra } from "../tool";
import { ok, runResult, RunResultSchema, type McpEnv } from "../results";
import { DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, waitForRunChanges } from "../wait";

const RunId = z.string().min(1).max(100).describe('A run id ("run_…")');
const Wait = z
  .number()
  .min(0)
  .max(MAX_WAIT_SECONDS)
  .describe(`Seconds to wait for the run to end before answering (at most ${MAX_WAIT_SECONDS}); if it has not ended, the answer has its id and current status: call wait_for_run`);

const Thumbnail = z.boolean().default(false).describe("Also return a small (128 px) preview image of each PNG output; off by default: outputs come as download links");

async function waitAndAnswer(env: McpEnv, runId: string, seconds: number, extra: ToolExtra, thumbnails = false) {
  const run = await waitForRunChanges(runId, seconds, { signal: extra.signal, onChange: progressReporter(extra) });
  return runResult(env, run, { waitedSeconds: seconds, thumbnails });
}

export const runDeployment = defineTool({
  name: "run_deployment",
  permission: "runs:write",
  title: "Run a deployment",
  description:
    "Start a run of a deployment with inputs checked against its slots (describe_deployment shows them). Waits up to `wait` seconds (default 20, max 45) and returns the run: its true status, and signed download links for its outputs when done. If the run is still going, call wait_for_run with the returned run id. Bad inputs come back as an error naming the slot and the rule.",
  input: z.object({
    deployment: z.string().min(1).describe("The deployment's slug"),
    inputs: CreateRunBody.shape.inputs.describe("Slot name → value (see the deployment's input schema)"),
    wait: Wait.default(DEFAULT_WAIT_SECONDS),
    webhook: CreateRunBody.shape.webhook.describe("Optional https URL that gets the finished run (Standard Webhooks)"),
    idempotencyKey: z.string().min(1).max(255).optional().describe("Same key and inputs within 24 h → the same run, not a second one"),
    thumbnail: Thumbnail,
  }),
  output: RunResultSchema,
  annotations: { destructiveHint: false, openWorldHint: true },
  async run(args, env, extra) {
    const r = await createRun({ ctx: env.ctx, input: { slug: args.deployment, body: { inputs: args.inputs, ...(args.webhook ? { webhook: args.webhook } : {}) }, idempotencyKey: args.idempotencyKey } });
    return waitAndAnswer(env, r.runId, args.wait, extra, args.thumbnail);
  },
});

export const runBatch = defineTool({
  name: "run_batch",
  permission: "runs:write",
  title: "Run a deployment on many input sets",
  description:
    "Start one run per input set (up to 50) of the same deployment, without waiting. Each item answers with its run id and status, or the error for that input set (slot and rule). Follow up with wait_for_run or list_runs.",
  input: z.object({
    deployment: z.string().min(1).describe("The deployment's slug"),
    inputs: z.array(CreateRunBody.shape.inputs).min(1).max(50).describe("One inputs object per run"),
    webhook: CreateRunBody.shape.webhook,
  }),
  output: z.object({
    accepted: z.int(),
    refused: z.int(),
    runs: z.array(z.object({ index: z.int(), runId: z.string().optional(), status: z.string().optional(), error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).optional() })),
  }),
  annotations: { destructiveHint: false, openWorldHint: true },
  async run(args, env) {
    const runs = [];
    for (const [index, inputs] of args.inputs.entries()) {
      try {
        const r = await createRun({ ctx: env.ctx, input: { slug: args.deployment, body: { inputs, ...(args.webhook ? { webhook: args.webhook } : {}) } } });
        runs.push({ index, runId: r.runId, status: "queued" });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        // A deployment-wide refusal (missing, paused, no permission) is the same for every item: say it once.
        if (err.code !== "input_invalid") throw err;
        runs.push({ index, error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      }
    }
    const accepted = runs.filter((r) => r.runId).length;
    const result = ok({ accepted, refused: runs.length - accepted, runs }, `${accepted} of ${runs.length} runs started on ${args.deployment}.`);
    return accepted ? result : { ...result, isError: true };
  },
});

export const getRunTool = defineTool({
  name: "get_run",
  permission: "read",
  title: "Get a run",
  description: "A run's current status, progress, attempts, error (code, message, node) and signed output links. Does not wait.",
  input: z.object({ runId: RunId, thumbnail: Thumbnail }),
  output: RunResultSchema,
  annotations: { readOnlyHint: true },
  async run(args, env) {
    return runResult(env, await getRun(args.runId), { thumbnails: args.thumbnail });
  },
});

export const waitForRun = defineTool({
  name: "wait_for_run",
  permission: "read",
  title: "Wait for a run",
  description: `Wait up to \`wait\` seconds (default 30, max ${MAX_WAIT_SECONDS}) for a run to end; sends progress notifications meanwhile when the client asks for them. Returns the run with its true status either way: call again while done is false.`,
  input: z.object({ runId: RunId, wait: Wait.default(30), thumbnail: Thumbnail }),
  output: RunResultSchema,
  annotations: { readOnlyHint: true },
  async run(args, env, extra) {
    return waitAndAnswer(env, args.runId, args.wait, extra, args.thumbnail);
  },
});

export const cancelRunTool = defineTool({
  name: "cancel_run",
  permission: "runs:write",
  title: "Cancel a run",
  description: "Cancel a run that has not ended (at the GPU provider too). An ended run answers the error run_not_cancelable.",
  input: z.object({ runId: RunId }),
  // Same answer as get_run; its output schema is listed once there (tools/list is read into the agent's context).
  annotations: { destructiveHint: true, idempotentHint: true },
  async run(args, env) {
    await cancelRun({ ctx: env.ctx, input: { runId: args.runId } });
    return runResult(env, await getRun(args.runId));
  },
});

export const retryRunTool = defineTool({
  name: "retry_run",
  permission: "runs:write",
  title: "Retry a run",
  description: "Start a new run with the same inputs as an ended run (failed, canceled, timed out). Returns the new run; it does not wait.",
  input: z.object({ runId: RunId }),
  // Same answer as get_run; its output schema is listed once there (tools/list is read into the agent's context).
  annotations: { destructiveHint: false },
  async run(args, env) {
    const { runId } = await retryRun({ ctx: env.ctx, input: { runId: args.runId } });
    return runResult(env, await getRun(runId));
  },
});

// One line per run (times as plain strings: see RunViewSchema); get_run has the rest.
const RunSummary = RunSchema.pick({ id: true, deploymentSlug: true, status: true, costUsd: true }).extend({
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable().describe("error code and message when the run failed"),
  outputs: z.number(),
});

export const listRunsTool = defineTool({
  name: "list_runs",
  permission: "read",
  title: "List runs",
  description: "Runs, newest first, optionally of one deployment, one status, or since a time. Use get_run for one run's outputs.",
  input: ListRunsInput.omit({ since: true }).extend({
    limit: z.number().int().min(1).max(100).default(20),
    since: z.iso.datetime({ offset: true }).optional().describe("ISO-8601 time: runs created at or after it"),
  }),
  output: z.object({ items: z.array(RunSummary), nextCursor: z.string().nullable() }),
  annotations: { readOnlyHint: true },
  async run(args, env) {
    const page = await listRuns({ ctx: env.ctx, input: { ...args, since: args.since ? new Date(args.since) : null } });
    const items = page.items.map((r) => ({
      id: r.id,
      deploymentSlug: r.deploymentSlug,
      status: r.status,
      costUsd: r.costUsd,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      error: r.error ? `${r.error.code}: ${r.error.message}` : null,
      outputs: r.outputs.length,
    }));
    return ok({ items, nextCursor: page.nextCursor }, `${items.length} run(s)${page.nextCursor ? "; more with cursor" : ""}.`);
  },
});

export const RUN_TOOLS = [runDeployment, getRunTool, waitForRun, cancelRunTool, retryRunTool, listRunsTool, runBatch];
