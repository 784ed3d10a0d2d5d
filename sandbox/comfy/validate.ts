// The sandbox validates /prompt bodies with the product's own validator (lib/workflow), so the
// look-alike answers with ComfyUI's exact 400 vocabulary. Resolved lazily: lib/workflow is optional
// at sandbox start-up time only so the sandbox can boot on a tree where it is still being written.
import fs from "node:fs";
import path from "node:path";
import type { ApiPrompt } from "@/lib/providers/types";

export type ObjectInfoMap = Record<string, any>;

export interface ValidationResult {
  ok: boolean;
  error?: { type: string; message: string; details: string; extra_info: Record<string, unknown> };
  node_errors: Record<string, any>;
  /** Output node ids that passed (queued even when other outputs failed). */
  outputs?: string[];
}

type WorkflowModule = {
  validatePrompt: (prompt: ApiPrompt, objectInfo: ObjectInfoMap, opts: { acceptAnyModelFile?: boolean }) => any;
  bundledObjectInfo?: () => ObjectInfoMap;
};

let workflowModule: Promise<WorkflowModule | null> | null = null;
function loadWorkflowModule(): Promise<WorkflowModule | null> {
  const spec = "@/lib/workflow";
  workflowModule ??= import(/* @vite-ignore */ spec).then(
    (m) => (typeof m.validatePrompt === "function" ? (m as WorkflowModule) : null),
    () => null,
  );
  return workflowModule;
}

export async function bundledObjectInfo(): Promise<ObjectInfoMap> {
  const mod = await loadWorkflowModule();
  if (mod?.bundledObjectInfo) return mod.bundledObjectInfo();
  const file = path.resolve(import.meta.dirname, "../../lib/workflow/data/object_info.json");
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

export async function validate(prompt: ApiPrompt, objectInfo: ObjectInfoMap, acceptAnyModelFile: boolean): Promise<ValidationResult> {
  const mod = await loadWorkflowModule();
  if (mod) return mod.validatePrompt(prompt, objectInfo, { acceptAnyModelFile }) as ValidationResult;
  return minimalValidate(prompt, objectInfo);
}

/** Stop-gap until lib/workflow lands: only the top-level checks, in ComfyUI's words. */
function minimalValidate(prompt: ApiPrompt, objectInfo: ObjectInfoMap): ValidationResult {
  for (const [id, node] of Object.entries(prompt ?? {})) {
    const cls = node?.class_type;
    if (!cls || !objectInfo[cls]) {
      return {
        ok: false,
        error: {
          type: "invalid_prompt",
          message: `Cannot execute because node ${cls} does not exist.`,
          details: `Node ID '#${id}'`,
          extra_info: {},
        },
        node_errors: {},
      };
    }
  }
  const outputs = Object.entries(prompt).filter(([, n]) => objectInfo[n.class_type]?.output_node).map(([id]) => id);
  if (!outputs.length) {
    return {
      ok: false,
      error: { type: "prompt_no_outputs", message: "Prompt has no outputs", details: "", extra_info: {} },
      node_errors: {},
    };
  }
  return { ok: true, node_errors: {}, outputs };
}
