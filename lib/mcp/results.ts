// What MCP tools answer: structured content (typed by the tool's output schema) with the same JSON
// as text for clients that only read text; outputs as signed `resource_link`s (never inline bytes);
// errors as `isError` results carrying the API's error code and details, never a bare "failed".
import { z } from "zod";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ZodError } from "zod";
import { ApiError } from "@/lib/errors";
import { classifyDatabaseError, DB_RETRY_AFTER_SECONDS } from "@/lib/api/db-errors";
import { ctxLog, type Ctx } from "@/lib/context";
import { RunAttemptSchema, RunSchema, type Run } from "@/lib/runs/schemas";
import { isTerminal } from "@/lib/runs/status";
import { signOutputLink } from "@/lib/runs/sign-output-link";
import { SIGNED_LINK_DEFAULT_SECONDS } from "@/lib/runs/sign-output-link.types";
import { outputThumbnail } from "./thumbnail";

/** What every tool gets: the caller's context and where links point. */
export interface McpEnv {
  ctx: Ctx;
  /** Flowgate's public origin (FLOWGATE_PUBLIC_URL, else the origin the request came to) */
  baseUrl: string;
}

type Content = CallToolResult["content"][number];

export function ok<T extends Record<string, unknown>>(structured: T, summary?: string, more: Content[] = []): CallToolResult {
  const json = JSON.stringify(structured);
  return { content: [{ type: "text", text: summary ? `${summary}\n${json}` : json }, ...more], structuredContent: structured };
}

/** The error body API.md defines ({code, message, details}), as a tool error an agent can act on. */
export function toolError(err: unknown, ctx: Ctx): CallToolResult {
  const body = errorBody(err, ctx);
  const hint = body.details && Object.keys(body.details).length ? `\n${JSON.stringify({ error: body })}` : "";
  return { isError: true, content: [{ type: "text", text: `Error ${body.code}: ${body.message}${hint}` }] };
}

function errorBody(err: unknown, ctx: Ctx): { code: string; message: string; details?: Record<string, unknown> } {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    return { code: "validation_failed", message: first ? `${first.path || "arguments"}: ${first.message}` : "The arguments are not valid.", details: { issues } };
  }
  const code = (err as { code?: unknown })?.code;
  if (err instanceof Error && err.name === "WorkflowError" && typeof code === "string") {
    const details = (err as { details?: Record<string, unknown> }).details;
    return { code, message: err.message, ...(details ? { details } : {}) };
  }
  // The same last lines as the API (lib/api/db-errors.ts): the database down → retry later; a value it refuses → bad input.
  const db = classifyDatabaseError(err);
  if (db?.kind === "down") {
    return { code: "database_unavailable", message: `The database is not reachable right now; nothing was changed. Try again in ${DB_RETRY_AFTER_SECONDS} seconds.`, details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS } };
  }
  if (db?.kind === "data") return { code: "invalid_value", message: `A value was refused by the database: ${db.why}`, details: db.sqlState ? { sqlState: db.sqlState } : {} };
  ctxLog(ctx).error("unhandled error in MCP tool", { err: err instanceof Error ? err.stack : String(err) });
  return { code: "internal_error", message: "Something went wrong on Flowgate's side. The error was logged with this request's id; try again.", details: { requestId: ctx.requestId } };
}

export const DownloadSchema = z.object({
  outputId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  /** signed: works without the Authorization header until expiresAt */
  url: z.string(),
  expiresAt: z.string(),
});

/** Why a run did not succeed, with the node at fault when there is one (its id and class). */
export const FailureSchema = z.object({ code: z.string(), message: z.string(), nodeId: z.string().nullable(), classType: z.string().nullable() });

/**
 * The run as an agent sees it: the API's Run less what only costs context (per-attempt timings,
 * provider job ids, raw error details; GET /api/v1/runs/{id} has them all). Fields keep the Run's
 * schemas, but times and counts are plain strings and numbers here: their JSON Schema (a 500-character
 * date-time pattern, ±2^53 bounds) is sent with every tools/list and would fill the agent's context.
 */
const Count = z.number();
const Ms = z.number().nullable();
export const RunViewSchema = RunSchema.pick({ id: true, deploymentSlug: true, status: true, inputs: true, progress: true, costUsd: true }).extend({
  workflowVersion: Count,
  timings: z.object({ queueMs: Ms, executionMs: Ms, totalMs: Ms }),
  createdAt: z.string().describe("ISO-8601"),
  finishedAt: z.string().nullable(),
  attempts: z.array(RunAttemptSchema.pick({ endpointId: true, provider: true, status: true }).extend({ number: Count })),
  outputs: Count.describe("number of output files (see downloads)"),
});
export type RunView = z.infer<typeof RunViewSchema>;

export function runView(run: Run): RunView {
  return {
    id: run.id,
    deploymentSlug: run.deploymentSlug,
    workflowVersion: run.workflowVersion,
    status: run.status,
    inputs: run.inputs,
    progress: run.progress,
    timings: run.timings,
    costUsd: run.costUsd,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    attempts: run.attempts.map((a) => ({ number: a.number, endpointId: a.endpointId, provider: a.provider, status: a.status })),
    outputs: run.outputs.length,
  };
}

export const RunResultSchema = z.object({
  run: RunViewSchema,
  /** true when the run has ended (succeeded, failed, canceled, timed_out) */
  done: z.boolean(),
  failure: FailureSchema.nullable(),
  downloads: z.array(DownloadSchema),
  /** what to do next, in one sentence */
  next: z.string(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

/** The class of the node a run error names: ComfyUI's execution error (nodeType) or validation error (node_errors[id].class_type). */
function failedNodeClass(error: Run["error"]): string | null {
  const d = (error?.details ?? {}) as { nodeType?: unknown; node_errors?: Record<string, { class_type?: unknown }> };
  if (typeof d.nodeType === "string") return d.nodeType;
  const id = error?.nodeId;
  const fromValidation = id ? d.node_errors?.[id]?.class_type : undefined;
  return typeof fromValidation === "string" ? fromValidation : null;
}

export function runFailure(run: Run): z.infer<typeof FailureSchema> | null {
  if (!isTerminal(run.status) || run.status === "succeeded") return null;
  // The run's error is the last attempt's (the engine keeps it); its details may sit on the attempt.
  const attemptError = [...run.attempts].reverse().find((a) => a.error)?.error;
  const error = run.error ?? attemptError ?? null;
  const nodeId = error?.nodeId ?? attemptError?.nodeId ?? null;
  const classType = failedNodeClass(error) ?? failedNodeClass(attemptError ?? null);
  return { code: error?.code ?? run.status, message: error?.message ?? `The run ended ${run.status}.`, nodeId, classType };
}

/** A run as a tool answer: its true status, a next step, and each output as a signed link. */
export async function runResult(env: McpEnv, run: Run, opts: { waitedSeconds?: number; thumbnails?: boolean } = {}): Promise<CallToolResult> {
  const done = isTerminal(run.status);
  const downloads = run.outputs.map((o) => {
    const link = signOutputLink({ ctx: env.ctx, input: { runId: run.id, outputId: o.id, baseUrl: env.baseUrl, expiresInSeconds: SIGNED_LINK_DEFAULT_SECONDS } });
    return { outputId: o.id, filename: o.filename, contentType: o.contentType, sizeBytes: o.sizeBytes, url: link.url, expiresAt: link.expiresAt };
  });
  const failure = runFailure(run);
  const at = failure?.nodeId ? ` (node ${failure.nodeId}${failure.classType ? `, ${failure.classType}` : ""})` : "";
  const next = done
    ? failure
      ? `The run ended ${run.status}: ${failure.code}: ${failure.message}${at}. retry_run starts it again with the same inputs.`
      : downloads.length
        ? `Done. Download the ${downloads.length} output(s) from the links (no API key needed, valid for ${SIGNED_LINK_DEFAULT_SECONDS / 60} minutes).`
        : "Done; the workflow produced no output files."
    : `Still ${run.status}${opts.waitedSeconds !== undefined ? ` after waiting ${opts.waitedSeconds} s` : ""}. Call wait_for_run with runId "${run.id}" to keep waiting, or get_run to check.`;
  const structured: RunResult = { run: runView(run), done, failure, downloads, next };
  const links: Content[] = downloads.map((d) => ({
    type: "resource_link",
    uri: d.url,
    name: d.filename,
    mimeType: d.contentType,
    size: d.sizeBytes,
    description: `Output ${d.outputId} of run ${run.id} (signed link, expires ${d.expiresAt})`,
  }));
  if (opts.thumbnails) {
    // At most 4 previews, PNG only; each a few KB.
    for (const o of run.outputs.slice(0, 4)) {
      const data = await outputThumbnail(env.ctx, run.id, o);
      if (data) links.push({ type: "image", data, mimeType: "image/png", annotations: { audience: ["user", "assistant"] }, _meta: { outputId: o.id, thumbnail: true } });
    }
  }
  const summary = `Run ${run.id} (${run.deploymentSlug}): ${run.status}${run.progress?.max ? `, step ${run.progress.value ?? 0}/${run.progress.max}` : ""}. ${next}`;
  return ok(structured, summary, links);
}
