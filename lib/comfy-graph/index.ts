// Public surface of the workflow library (framework-free: no Next.js, no Prisma).
// Loading any accepted workflow file, UI→API conversion, analysis, ComfyUI-style validation and slots.
export { WorkflowError, isWorkflowError, type WorkflowErrorCode } from "./errors";
export type { ObjectInfo, NodeDef, ApiPrompt, ApiNode, LoadedWorkflow, WorkflowWarning, InputSpec } from "./types";
export { parseObjectInfo } from "./object-info";
export { bundledObjectInfo } from "./bundled";
export { loadWorkflow, type LoadOptions } from "./load";
export { convertUiToApi } from "./convert-ui";
export { analyzeWorkflow, type Analysis } from "./analyze";
export {
  validatePrompt,
  checkCompatibility,
  type PromptValidation,
  type ValidationError,
  type NodeErrors,
  type ValidateOptions,
  type Compatibility,
} from "./validate";
export {
  inferSlot,
  inputLimits,
  offeredRange,
  isSlotRefusal,
  validateSlots,
  slotsJsonSchema,
  validateRunInputs,
  applyInputs,
  normalizeSlotDefault,
  SLOT_TYPES,
  type Slot,
  type SlotType,
  type SlotRefusal,
  type SlotProblem,
  type RunInputsResult,
} from "./slots";
export { suggestSlots } from "./suggest";
export { checkGraph, type GraphCheck, type GraphProblem } from "./graph-check";
export { MAX_NODES, MAX_DEPTH } from "./json";
export { fillMissingDefaults, type FilledDefault } from "./defaults";
export { modelFolder, looksLikeModelFile } from "./models";
export { contentHash, canonicalJson } from "./hash";
export { diffPrompts, carryOverSlots, type PromptDiff, type SlotCarryOver } from "./diff";
