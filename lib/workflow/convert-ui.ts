import { WorkflowError } from "./errors";
import type { ApiPrompt, ObjectInfo, WorkflowWarning } from "./types";
export function convertUiToApi(_ui: Record<string, unknown>, _objectInfo: ObjectInfo): { prompt: ApiPrompt; warnings: WorkflowWarning[] } {
  throw new WorkflowError("workflow_unconvertible", "UI format conversion not implemented yet");
}
