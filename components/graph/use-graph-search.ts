"use client";
// Search over the graph's nodes (title, class or #id): the matches, which one is focused, and
// Enter / Shift+Enter / arrows to step through them (the view flies to each).
import { useReactFlow } from "@xyflow/react";
import { useCallback, useMemo, useRef, useState } from "react";
import type { ComfyNodeData, FlowNode } from "./model";

export function matchesQuery(d: ComfyNodeData, q: string) {
  return d.title.toLowerCase().includes(q) || d.classType.toLowerCase().includes(q) || d.id.toLowerCase() === q || `#${d.id}` === q;
}

export function useGraphSearch(nodes: FlowNode[] | undefined) {
  const flow = useReactFlow();
  const [query, setQueryState] = useState("");
  const q = query.trim().toLowerCase();
  const matchIds = useMemo(
    () => (q && nodes ? nodes.filter((n) => n.type === "comfy" && matchesQuery(n.data as ComfyNodeData, q)).map((n) => n.id) : []),
    [q, nodes],
  );
  const [matchIndex, setMatchIndex] = useState(0);
  const focusMatch = useCallback(
    (i: number) => {
      if (!matchIds.length) return;
      const idx = ((i % matchIds.length) + matchIds.length) % matchIds.length;
      setMatchIndex(idx);
      flow.fitView({ nodes: [{ id: matchIds[idx] }], duration: 300, maxZoom: 1.2, padding: 0.4, includeHiddenNodes: true });
    },
    [matchIds, flow],
  );
  const setQuery = useCallback((value: string) => {
    setQueryState(value);
    setMatchIndex(0);
  }, []);
  // Enter first goes to the first match of a new query, then steps (Shift: backwards)
  const focusedQuery = useRef("");
  const onEnter = useCallback(
    (backwards: boolean) => {
      const first = focusedQuery.current !== q;
      focusedQuery.current = q;
      focusMatch(first ? 0 : matchIndex + (backwards ? -1 : 1));
    },
    [q, focusMatch, matchIndex],
  );
  return { query, q, setQuery, clear: () => setQueryState(""), matchIds, matchIndex, focusMatch, onEnter };
}

export type GraphSearch = ReturnType<typeof useGraphSearch>;
