// analyzeWorkflow: the "Analysis" object of API.md — nodes, outputs, model files with their
// folders, custom (non-core) nodes, suggested slots and warnings (API nodes needing a Comfy.org key, ...).
import { compareIds, inputsOf, nodeOf, outputNodeIds, reachableFromOutputs, sortedIds } from "./graph";
import { isModelInput, modelFolder } from "./models";
import { bundledObjectInfo } from "./bundled";
import { getDef, isCoreModule } from "./object-info";
import type { Slot } from "./slots";
import { suggestSlots } from "./suggest";
import { checkGraph } from "./graph-check";
import type { LoadedWorkflow, ObjectInfo, WorkflowWarning } from "./types";

export interface Analysis {
  format: "api" | "ui";
  nodeCount: number;
  nodes: { id: string; classType: string; title: string }[];
  outputs: { nodeId: string; classType: string }[];
  models: { nodeId: string; input: string; name: string; folder: string | null }[];
  customNodes: { classType: string; nodeIds: string[]; pythonModule?: string }[];
  suggestedSlots: Slot[];
  warnings: WorkflowWarning[];
}

export function analyzeWorkflow(loaded: LoadedWorkflow, objectInfo: ObjectInfo = bundledObjectInfo()): Analysis {
  const prompt = loaded.prompt;
  const ids = sortedIds(prompt);
  const warnings: WorkflowWarning[] = [...(loaded.warnings ?? [])];
  const nodes: Analysis["nodes"] = [];
  const models: Analysis["models"] = [];
  const custom = new Map<string, { classType: string; nodeIds: string[]; pythonModule?: string }>();
  const apiNodes: string[] = [];

  for (const id of ids) {
    const node = nodeOf(prompt, id);
    if (!node) continue;
    const def = getDef(objectInfo, node.class_type);
    const title = node._meta?.title || (typeof def?.display_name === "string" && def.display_name) || node.class_type;
    nodes.push({ id, classType: node.class_type, title });
    if (!def || !isCoreModule(def.python_module)) {
      let c = custom.get(node.class_type);
      if (!c) {
        c = { classType: node.class_type, nodeIds: [] };
        if (def && typeof def.python_module === "string") c.pythonModule = def.python_module;
        custom.set(node.class_type, c);
      }
      c.nodeIds.push(id);
    }
    if (def && (def.api_node === true || (typeof def.python_module === "string" && def.python_module.startsWith("comfy_api_nodes")))) {
      apiNodes.push(id);
      warnings.push({
        code: "api_node_requires_key",
        message: `Node ${id} (${node.class_type}) calls a paid Comfy.org API; runs need a Comfy.org API key on the endpoint`,
        nodeId: id,
      });
    }
    if (def?.deprecated === true) {
      warnings.push({ code: "deprecated_node", message: `Node ${id} uses ${node.class_type}, which ComfyUI marks as deprecated`, nodeId: id });
    }
    for (const [input, value] of Object.entries(inputsOf(node))) {
      if (isModelInput(node.class_type, input, value, objectInfo)) {
        models.push({ nodeId: id, input, name: value as string, folder: modelFolder(node.class_type, input) });
      }
    }
  }

  const outputIds = outputNodeIds(prompt, objectInfo);
  const outputs = outputIds.map((id) => ({ nodeId: id, classType: nodeOf(prompt, id)!.class_type }));
  if (outputs.length === 0) {
    const unknown = custom.size > 0 ? " (some node classes are unknown, so their output status is too)" : "";
    warnings.push({ code: "no_outputs", message: `The workflow has no output node (SaveImage, PreviewImage, ...)${unknown}` });
  } else {
    const reachable = reachableFromOutputs(prompt, outputIds);
    const idle = ids.filter((id) => !reachable.has(id));
    if (idle.length > 0) {
      warnings.push({
        code: "nodes_not_executed",
        message: `${idle.length} node(s) feed no output and will not run: ${idle.slice(0, 10).join(", ")}${idle.length > 10 ? ", …" : ""}`,
      });
    }
  }
  // Broken links and cycles on nodes that never run: ComfyUI skips them, so they are warnings here
  // (on nodes that run they refuse the upload: lib/workflows/import-workflow.ts).
  for (const p of checkGraph(prompt, objectInfo).warnings) warnings.push({ code: p.code, message: `${p.message} (the node feeds no output, so ComfyUI skips it)`, nodeId: p.nodeId });
  for (const c of custom.values()) {
    if (!getDef(objectInfo, c.classType)) {
      warnings.push({
        code: "unknown_node",
        message: `${c.classType} (node${c.nodeIds.length > 1 ? "s" : ""} ${c.nodeIds.join(", ")}) is not a ComfyUI core node; the endpoint needs the custom node pack that provides it`,
        nodeId: c.nodeIds[0],
      });
    }
  }

  return {
    format: loaded.format,
    nodeCount: Object.keys(prompt).length,
    nodes,
    outputs,
    models,
    customNodes: [...custom.values()].sort((a, b) => compareIds(a.nodeIds[0]!, b.nodeIds[0]!)),
    suggestedSlots: suggestSlots(prompt, objectInfo),
    warnings,
  };
}
