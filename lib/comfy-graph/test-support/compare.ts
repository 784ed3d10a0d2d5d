// Comparing two API-format prompts the way the fixture pairs are judged: same node ids, class
// types, links and literal values; `_meta`, key order and int/float spelling ignored. Inputs that
// are not inputs of the node's definition (the `upload` / `choose file to upload` button value some
// frontend versions sent, which ComfyUI ignores) are left out of the comparison.
import { getDef, defInputs } from "../object-info";
import type { ApiPrompt, ObjectInfo } from "../types";

type Simple = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

export function comparable(prompt: ApiPrompt, objectInfo: ObjectInfo): Simple {
  const out: Simple = {};
  for (const [id, node] of Object.entries(prompt)) {
    const def = getDef(objectInfo, node.class_type);
    const known = def ? new Set(defInputs(def).map((i) => i.name)) : undefined;
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node.inputs)) if (!known || known.has(k)) inputs[k] = v;
    out[id] = { class_type: node.class_type, inputs };
  }
  return JSON.parse(JSON.stringify(out));
}

/**
 * Id-independent form: each node replaced by a signature of its class, literals and (recursively)
 * the signatures of what feeds it. Used when a fixture's API export predates grouping its nodes.
 */
export function structural(p: Simple): string[] {
  const memo = new Map<string, string>();
  const sig = (id: string, depth: number): string => {
    if (memo.has(id)) return memo.get(id)!;
    const n = p[id];
    if (!n || depth > 200) return "?";
    const parts = Object.keys(n.inputs)
      .sort()
      .map((k) => {
        const v = n.inputs[k];
        return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" ? `${k}=<${sig(v[0], depth + 1)}#${v[1]}>` : `${k}=${JSON.stringify(v)}`;
      });
    const s = `${n.class_type}(${parts.join(",")})`;
    memo.set(id, s);
    return s;
  };
  return Object.keys(p).map((id) => sig(id, 0)).sort();
}
