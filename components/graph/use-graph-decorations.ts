"use client";
// Decoration of the laid-out nodes: chosen slots, suggestions still on offer, search hits (the
// rest dimmed), live run state and version-diff marks. Applied in place without touching nodes
// whose decoration did not change, so React Flow re-renders only those.
import { useEffect, useMemo } from "react";
import type { Slot } from "../api";
import type { ComfyNodeData, FlowNode } from "./model";
import { matchesQuery } from "./use-graph-search";

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function inputsByNode(slots: { nodeId: string; input: string }[]) {
  const m = new Map<string, string[]>();
  for (const s of slots) m.set(s.nodeId, [...(m.get(s.nodeId) ?? []), s.input]);
  return m;
}

export function useGraphDecorations({
  setNodes,
  generation,
  q,
  slots,
  offers,
  nodeStates,
  diffMarks,
}: {
  setNodes: (update: (prev: FlowNode[]) => FlowNode[]) => void;
  /** Bumped when fresh (undecorated) nodes are installed. */
  generation: number;
  /** The normalised search query ("" for none). */
  q: string;
  slots: Slot[];
  offers: Slot[];
  nodeStates?: Record<string, "executing" | "done">;
  diffMarks?: Record<string, "added" | "changed">;
}) {
  const slotMap = useMemo(() => inputsByNode(slots), [slots]);
  const suggestedMap = useMemo(() => inputsByNode(offers), [offers]);
  useEffect(() => {
    setNodes((prev) =>
      prev.map((n) => {
        if (n.type !== "comfy") return n;
        const d = n.data as ComfyNodeData;
        const hit = !!q && matchesQuery(d, q);
        const slotInputs = slotMap.get(d.id) ?? [];
        const suggestedInputs = suggestedMap.get(d.id) ?? [];
        const dimmed = !!q && !hit;
        const runState = nodeStates?.[d.id];
        const diff = diffMarks?.[d.id];
        if (
          d.highlighted === hit &&
          d.dimmed === dimmed &&
          d.runState === runState &&
          d.diff === diff &&
          sameList(d.slotInputs, slotInputs) &&
          sameList(d.suggestedInputs, suggestedInputs)
        )
          return n;
        return { ...n, data: { ...d, highlighted: hit, dimmed, slotInputs, suggestedInputs, runState, diff } } as FlowNode;
      }),
    );
  }, [q, slotMap, suggestedMap, nodeStates, diffMarks, setNodes, generation]);
}
