// Automatic left-to-right layered layout (elkjs) for versions without exported positions.
import type { Edge } from "@xyflow/react";
import { estimateHeight, type ComfyFlowNode } from "./model";

type ElkLike = { layout: (graph: unknown) => Promise<{ children?: { id: string; x?: number; y?: number }[] }> };
let elkPromise: Promise<ElkLike> | null = null;

function getElk(): Promise<ElkLike> {
  elkPromise ??= import("elkjs/lib/elk.bundled.js").then((m) => {
    const ELK = (m as unknown as { default: new () => ElkLike }).default;
    return new ELK();
  });
  return elkPromise;
}

export async function layoutGraph(nodes: ComfyFlowNode[], edges: Edge[]): Promise<Map<string, { x: number; y: number }>> {
  const elk = await getElk();
  const big = nodes.length > 300;
  const result = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "60",
      "elk.spacing.nodeNode": "28",
      "elk.layered.nodePlacement.strategy": big ? "SIMPLE" : "NETWORK_SIMPLEX",
      "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
      "elk.layered.thoroughness": big ? "1" : "7",
      "elk.separateConnectedComponents": "true",
    },
    children: nodes.map((n) => ({ id: n.id, width: n.data.width, height: estimateHeight(n.data) })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = new Map<string, { x: number; y: number }>();
  for (const c of result.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}
