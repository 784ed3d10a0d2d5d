// Upload a workflow (any format ComfyUI writes): a new workflow, or a new immutable version of an
// existing one. Identical content returns the stored version (same hash) instead of a duplicate.
import { newId } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { requirePermission } from "@/lib/auth/actor";
import { inTransaction, type VerbArgs } from "@/lib/context";
import { ImportWorkflowInput } from "./import-workflow.types";
import { audit } from "@/lib/audit/record";
import { analyzeWorkflow, checkGraph, contentHash, fillMissingDefaults, loadWorkflow, type ObjectInfo } from "@/lib/comfy-graph";
import { checkJsonValue, checkText } from "@/lib/api/input";
import { knownObjectInfo } from "./object-info";
import { serializeWorkflowVersion } from "./serialize";
import type { Prisma } from "@/lib/generated/prisma/client";

export { ImportWorkflowInput };

export async function importWorkflow({ ctx, input: args }: VerbArgs<ImportWorkflowInput>) {
  const { actor } = ctx;
  requirePermission(actor, "workflows:write");
  const input = { ...ImportWorkflowInput.parse(args), bytes: args.bytes };
  if (input.workflow === undefined && !input.bytes) {
    throw new ApiError("bad_request", 'Send the exported workflow as "workflow" (JSON) or as a multipart "file".');
  }
  for (const [field, v] of [["name", input.name], ["workflowId", input.workflowId], ["filename", input.filename]] as const) if (typeof v === "string") checkText(v, field);
  const objectInfo = await knownObjectInfo(input.objectInfo as ObjectInfo | undefined);
  const raw = loadWorkflow(input.bytes ?? input.workflow, { filename: input.filename, objectInfo });
  await yieldToEventLoop();
  // An export from an older ComfyUI gets the defaults of the inputs it lacks, like ComfyUI's editor gives them.
  const filled = fillMissingDefaults(raw.prompt, objectInfo);
  const loaded = filled.filled.length ? { ...raw, prompt: filled.prompt, warnings: [...raw.warnings, ...filled.warnings] } : raw;
  // Whatever arrived (JSON body, multipart file, PNG chunk) must be storable: no NUL, no lone surrogate.
  checkJsonValue(loaded.original, { root: "workflow", allowUnsafeIntegers: true });
  checkJsonValue(loaded.prompt, { root: "workflow", allowUnsafeIntegers: true });
  const graph = checkGraph(loaded.prompt, objectInfo);
  if (graph.errors.length) {
    const first = graph.errors[0]!;
    throw new ApiError("workflow_invalid", `${first.message}${graph.errors.length > 1 ? ` (and ${graph.errors.length - 1} more problem(s))` : ""}; ComfyUI would refuse this workflow.`, {
      nodes: graph.errors.slice(0, 50),
    });
  }
  await yieldToEventLoop();
  const analysis = analyzeWorkflow(loaded, objectInfo);
  if (input.objectInfo) checkJsonValue(analysis, { root: "objectInfo", allowUnsafeIntegers: true });
  await yieldToEventLoop();
  const hash = contentHash(loaded.original);
  await yieldToEventLoop();
  const name = input.name ?? defaultName(input.filename);

  return inTransaction(ctx, async (tx) => {
    let workflow = input.workflowId ? await tx.workflow.findUnique({ where: { id: input.workflowId } }) : null;
    if (input.workflowId && !workflow) throw new ApiError("not_found", `Workflow "${input.workflowId}" does not exist.`);
    if (!workflow && !input.workflowId) {
      // Same name = a new version of that workflow, the way users re-export from ComfyUI.
      workflow = await tx.workflow.findFirst({ where: { name }, orderBy: { createdAt: "asc" } });
    }
    if (workflow) {
      const same = await tx.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId: workflow.id, hash } } });
      if (same) return { created: false, workflow, version: same };
    } else {
      workflow = await tx.workflow.create({ data: { id: newId("wf"), name } });
    }
    // Serialise version numbering per workflow.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${workflow.id}))`;
    const last = await tx.workflowVersion.findFirst({ where: { workflowId: workflow.id }, orderBy: { number: "desc" } });
    const version = await tx.workflowVersion.create({
      data: {
        id: newId("wfv"),
        workflowId: workflow.id,
        number: (last?.number ?? 0) + 1,
        hash,
        format: loaded.format,
        source: loaded.source,
        original: loaded.original as Prisma.InputJsonValue,
        prompt: loaded.prompt as unknown as Prisma.InputJsonValue,
        analysis: analysis as unknown as Prisma.InputJsonValue,
        nodeCount: loaded.nodeCount,
      },
    });
    await tx.workflow.update({ where: { id: workflow.id }, data: { updatedAt: new Date() } });
    await audit(tx, actor, "workflow.version.create", { type: "workflow", id: workflow.id }, { version: version.number, hash });
    return { created: true, workflow, version };
  });
}

/**
 * Each pass over a big workflow is linear and bounded (MAX_NODES), but together they add up; letting
 * the event loop run between them keeps other requests (/api/health, SSE) answered during an upload.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function defaultName(filename?: string): string {
  const base = filename?.replace(/\.[a-z0-9]+$/i, "").trim();
  return base || `Workflow ${new Date().toISOString().slice(0, 16).replace("T", " ")}`;
}

export function importResponse(r: Awaited<ReturnType<typeof importWorkflow>>) {
  return { id: r.workflow.id, name: r.workflow.name, version: serializeWorkflowVersion(r.version, { full: false }) };
}
