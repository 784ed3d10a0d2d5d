// POST /api/v1/requirements: the requirements of a workflow that is not stored (or cannot be: a UI
// workflow whose custom nodes have no definitions yet converts only once they are installed).
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { loadWorkflow, isWorkflowError, type ApiPrompt, type ObjectInfo } from "@/lib/comfy-graph";
import { looksLikeUiWorkflow } from "@/lib/comfy-graph/api-format";
import { parseJsonText } from "@/lib/comfy-graph/json";
import { knownObjectInfo } from "@/lib/workflows/object-info";
import { computeRequirements } from "./compute";
import { AnalyzeRequirementsInput, type RequirementsOutput } from "./get-requirements.types";
import { isPlainObject } from "@/lib/comfy-graph/own";

/** The UI or API document inside an upload (`{"prompt":…}`, `{"input":{"workflow":…}}`, a JSON string). */
function unwrapDocument(v: unknown): unknown {
  for (let hop = 0; hop < 6; hop++) {
    if (typeof v === "string") v = parseJsonText(v);
    else if (isPlainObject(v) && !looksLikeUiWorkflow(v)) {
      const o = v as Record<string, unknown>;
      const next = o.prompt ?? (isPlainObject(o.input) ? o.input.workflow : undefined) ?? o.workflow;
      if (next === undefined) return v;
      v = next;
    } else return v;
  }
  return v;
}

export async function analyzeRequirements({ ctx, input }: VerbArgs<AnalyzeRequirementsInput>): Promise<RequirementsOutput> {
  requirePermission(ctx.actor, "read");
  const { workflow, objectInfo: given } = AnalyzeRequirementsInput.parse(input);
  const objectInfo = await knownObjectInfo(given as ObjectInfo | undefined);
  try {
    const loaded = loadWorkflow(workflow, { objectInfo });
    return await computeRequirements(ctx, { original: loaded.original, prompt: loaded.prompt }, objectInfo);
  } catch (e) {
    if (!isWorkflowError(e) || e.code !== "workflow_unconvertible") throw e;
    // Not convertible without definitions: read the UI graph itself.
    const result = await computeRequirements(ctx, { original: unwrapDocument(workflow), prompt: null as ApiPrompt | null }, objectInfo);
    result.warnings.push({ code: "workflow_unconvertible", message: `${e.message.split(":")[0]}; the requirements were read from the UI graph` });
    return result;
  }
}
