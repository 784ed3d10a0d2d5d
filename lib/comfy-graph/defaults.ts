// Workflows exported from an older ComfyUI lack the widgets newer versions added (CLIPVisionEncode
// `crop`, StyleModelApply `strength`, …); ComfyUI's own frontend gives such a widget its default
// when it opens the file, while its /prompt refuses the bare export ("Required input is missing").
// Flowgate does what the frontend does, on a copy, and says so.
import { defInputs, getDef, isWidgetInput } from "./object-info";
import { hasOwn, isPlainObject, setOwn } from "./own";
import type { ApiPrompt, ObjectInfo, WorkflowWarning } from "./types";

export interface FilledDefault {
  nodeId: string;
  classType: string;
  input: string;
  value: unknown;
}

/** The prompt with every missing required widget input set to its definition's default. */
export function fillMissingDefaults(prompt: ApiPrompt, objectInfo: ObjectInfo): { prompt: ApiPrompt; filled: FilledDefault[]; warnings: WorkflowWarning[] } {
  const filled: FilledDefault[] = [];
  let out: ApiPrompt | null = null;
  for (const [nodeId, node] of Object.entries(prompt)) {
    if (!isPlainObject(node) || typeof node.class_type !== "string") continue;
    const def = getDef(objectInfo, node.class_type);
    if (!def) continue;
    const inputs = isPlainObject(node.inputs) ? node.inputs : {};
    for (const info of defInputs(def)) {
      if (info.category !== "required" || !isWidgetInput(info) || hasOwn(inputs, info.name)) continue;
      let value: unknown = info.opts.default;
      if (value === undefined && info.type === "COMBO" && info.options?.length) value = info.options[0];
      if (value === undefined || value === null) continue; // no default to give: ComfyUI's refusal stands
      out ??= { ...prompt };
      const cur = out[nodeId]!;
      const copy = cur === node ? { ...node, inputs: { ...inputs } } : cur;
      if (cur === node) setOwn(out, nodeId, copy);
      setOwn(copy.inputs, info.name, value);
      filled.push({ nodeId, classType: node.class_type, input: info.name, value });
    }
  }
  const warnings = filled.map((f) => ({
    code: "input_default_filled",
    message: `Node ${f.nodeId} (${f.classType}) had no "${f.input}" (an input newer ComfyUI versions added); set to its default ${JSON.stringify(f.value)}, as ComfyUI's editor does when it opens the file`,
    nodeId: f.nodeId,
  }));
  return { prompt: out ?? prompt, filled, warnings };
}
