// Structural checks of an API-format prompt that need no server: links to nodes that are not in the
// prompt, links to an output index the source node does not have, and dependency cycles. ComfyUI
// refuses each of these (execution.py validate_inputs: a missing linked node or an output index past
// RETURN_TYPES fails validation; graph.py's topological sort raises "Dependency cycle detected") —
// but only for nodes it executes, i.e. nodes an output depends on. So a problem on a node that runs
// is an error (the upload is refused) and a problem on a node that never runs is a warning.
// Iterative throughout: a 5,000-node chain cannot overflow the stack.
import { isLink } from "./api-format";
import { findCycles, inputsOf, nodeOf, sortedIds } from "./graph";
import { getDef, isOutputNode, outputTypes } from "./object-info";
import type { ApiPrompt, ObjectInfo } from "./types";

export interface GraphProblem {
  code: "link_to_missing_node" | "output_index_out_of_range" | "dependency_cycle";
  nodeId: string;
  input?: string;
  linkedNode?: string;
  message: string;
}

export interface GraphCheck {
  /** Problems on nodes that would execute: ComfyUI would refuse the prompt. */
  errors: GraphProblem[];
  /** The same problems on nodes no output depends on: ComfyUI skips them. */
  warnings: GraphProblem[];
}

/** Nodes ComfyUI would execute: those output nodes depend on. A node of unknown class may be an output. */
function executedNodes(prompt: ApiPrompt, objectInfo: ObjectInfo | undefined, ids: string[]): Set<string> {
  const roots = ids.filter((id) => {
    const n = nodeOf(prompt, id);
    if (!n) return false;
    const def = getDef(objectInfo, n.class_type);
    return !def || isOutputNode(def);
  });
  if (roots.length === 0) return new Set(ids);
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length) {
    const id = queue.pop()!;
    for (const v of Object.values(inputsOf(nodeOf(prompt, id)))) {
      if (!isLink(v)) continue;
      const src = String(v[0]);
      if (!seen.has(src) && nodeOf(prompt, src)) {
        seen.add(src);
        queue.push(src);
      }
    }
  }
  return seen;
}

export function checkGraph(prompt: ApiPrompt, objectInfo?: ObjectInfo): GraphCheck {
  const ids = sortedIds(prompt);
  const problems: GraphProblem[] = [];
  const deps = new Map<string, string[]>();
  for (const id of ids) {
    const node = nodeOf(prompt, id);
    if (!node) continue;
    const list: string[] = [];
    for (const [input, v] of Object.entries(inputsOf(node))) {
      if (!isLink(v)) continue;
      const srcId = String(v[0]);
      const src = nodeOf(prompt, srcId);
      if (!src) {
        problems.push({ code: "link_to_missing_node", nodeId: id, input, linkedNode: srcId, message: `Input ${input} of node ${id} is linked to node ${srcId}, which is not in the workflow` });
        continue;
      }
      list.push(srcId);
      const def = getDef(objectInfo, src.class_type);
      if (def && Array.isArray(def.output)) {
        const n = outputTypes(def).length;
        const idx = v[1];
        if (idx < 0 || idx >= n) {
          problems.push({
            code: "output_index_out_of_range",
            nodeId: id,
            input,
            linkedNode: srcId,
            message: `Input ${input} of node ${id} takes output ${idx} of node ${srcId} (${src.class_type}), which has ${n} output${n === 1 ? "" : "s"}`,
          });
        }
      }
    }
    deps.set(id, list);
  }

  // Cycles: every node on a back edge's path is reported once.
  const onCycle = findCycles(ids.filter((id) => deps.has(id)), (id) => deps.get(id) ?? []);
  for (const id of ids) {
    if (onCycle.has(id)) problems.push({ code: "dependency_cycle", nodeId: id, message: `Node ${id} depends on its own output (a dependency cycle)` });
  }

  if (problems.length === 0) return { errors: [], warnings: [] };
  const executed = executedNodes(prompt, objectInfo, ids);
  const errors: GraphProblem[] = [];
  const warnings: GraphProblem[] = [];
  for (const p of problems) (executed.has(p.nodeId) ? errors : warnings).push(p);
  return { errors, warnings };
}
