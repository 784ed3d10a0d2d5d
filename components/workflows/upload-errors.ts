// A refused upload can name many nodes with the same problem (ten custom nodes of two packs, each
// "No definition for node type …"): grouped by cause, each cause once with its fix and the node
// types and ids it affects, listed compactly.

export interface NodeProblem {
  id?: string;
  nodeId?: string;
  type?: string;
  classType?: string;
  message?: string;
}

export interface ProblemGroup {
  /** what is wrong, said once for the group */
  cause: string;
  /** what to do about it, when the message says */
  fix?: string;
  /** affected node types, each with its node ids */
  types: { type: string; ids: string[] }[];
  count: number;
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The message with the node's own type and id taken out, and its trailing "(what to do)" split off. */
function splitMessage(message: string, type: string, id: string): { cause: string; fix?: string } {
  let m = message;
  if (type) {
    // "No definition for node type FancyUpscaler, so its …" → "No definition for the node type, so its …"
    m = m.replace(new RegExp(`\\b(node type|class|type) ${escapeRe(type)}\\b`, "g"), "the $1");
    m = m.replace(new RegExp(`\\b${escapeRe(type)}\\b`, "g"), "this node type");
  }
  if (id) m = m.replace(new RegExp(`\\b(node|Node) ${escapeRe(id)}\\b`, "g"), "$1");
  const fix = /\s*\(([^()]*)\)\s*\.?$/.exec(m);
  if (fix && fix.index > 0) {
    const text = fix[1]!.trim();
    return { cause: m.slice(0, fix.index).trim(), fix: text.charAt(0).toUpperCase() + text.slice(1) + "." };
  }
  return { cause: m.trim() };
}

export function groupNodeProblems(nodes: NodeProblem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup & { byType: Map<string, string[]> }>();
  for (const n of nodes) {
    const id = String(n.id ?? n.nodeId ?? "?");
    const type = String(n.type ?? n.classType ?? "");
    const { cause, fix } = splitMessage(n.message ?? "cannot be converted", type, id);
    const key = `${cause}\u0000${fix ?? ""}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cause, fix, types: [], count: 0, byType: new Map() }));
    g.count++;
    const ids = g.byType.get(type) ?? [];
    ids.push(id);
    g.byType.set(type, ids);
  }
  return [...groups.values()]
    .map(({ byType, ...g }) => ({ ...g, types: [...byType].map(([type, ids]) => ({ type, ids })) }))
    .sort((a, b) => b.count - a.count);
}

/** "#3, #5, #9 and 4 more" */
export function compactIds(ids: string[], max = 6): string {
  const shown = ids.slice(0, max).map((i) => `#${i}`);
  return ids.length > max ? `${shown.join(", ")} and ${ids.length - max} more` : shown.join(", ");
}
