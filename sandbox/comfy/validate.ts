// The sandbox validates /prompt bodies with the product's own validator (lib/comfy-graph), so the
// look-alike answers with ComfyUI's exact 400 vocabulary; no second validator lives here.
import { bundledObjectInfo as bundled, validatePrompt, type ObjectInfo, type ApiPrompt } from "@/lib/comfy-graph";

export type ObjectInfoMap = ObjectInfo & Record<string, any>;

export interface ValidationResult {
  ok: boolean;
  error?: { type: string; message: string; details: string; extra_info: Record<string, unknown> };
  node_errors: Record<string, any>;
}

export async function bundledObjectInfo(): Promise<ObjectInfoMap> {
  return bundled() as ObjectInfoMap;
}

export async function validate(prompt: ApiPrompt, objectInfo: ObjectInfoMap, acceptAnyModelFile: boolean): Promise<ValidationResult> {
  return validatePrompt(prompt, objectInfo, { acceptAnyModelFile }) as ValidationResult;
}
