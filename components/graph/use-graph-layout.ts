"use client";
// The graph's structure and placement: nodes and edges built from a version (rebuilt only when the
// version or the node definitions change), laid out with ELK when the export has no positions, and
// fitted into view once installed. Big graphs open at a readable zoom rather than as a speck.
import { getViewportForBounds, useNodesState, useReactFlow, type Edge, type Viewport } from "@xyflow/react";
import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { Analysis, ApiPrompt } from "../api";
import { SIMPLIFY_MIN_NODES } from "./ComfyNode";
import { layoutGraph } from "./layout";
import { buildGraph, type ComfyFlowNode, type FlowNode, type NodeIssue } from "./model";
import type { ObjectInfoLite } from "./object-info";

/**
 * Performance marks for bench/graph.ts: `fg:graph:data` when a version's prompt reaches the
 * editor, `fg:graph:rendered` once its nodes are laid out, installed and painted.
 */
export const GRAPH_MARKS = {
  data: "fg:graph:data",
  built: "fg:graph:built",
  laidOut: "fg:graph:laid-out",
  rendered: "fg:graph:rendered",
  measure: "fg:graph:render",
} as const;

/** The smallest zoom at which node titles and widget values are comfortably read. */
const READABLE_ZOOM = 0.65;
/** Low enough to zoom out over 2,000+ nodes; nodes are plain cards below DETAIL_ZOOM. */
export const MIN_ZOOM = 0.02;
/** The lowest zoom a graph opens at. */
const FIT_MIN_ZOOM = 0.25;

export function useGraphLayout({
  prompt,
  original,
  analysis,
  objectInfo,
  extraIssues,
  canvasRef,
}: {
  prompt: ApiPrompt;
  original?: unknown;
  analysis?: Analysis;
  objectInfo: ObjectInfoLite | null;
  extraIssues?: Record<string, NodeIssue[]>;
  canvasRef: RefObject<HTMLDivElement | null>;
}) {
  const flow = useReactFlow();

  useMemo(() => {
    if (typeof performance !== "undefined") performance.mark(GRAPH_MARKS.data, { detail: { nodes: Object.keys(prompt).length } });
  }, [prompt]);

  // Structure: rebuilt only when the version or the node definitions change.
  const base = useMemo(() => {
    if (!objectInfo) return null;
    const built = buildGraph({ prompt, original, analysis, objectInfo, slots: [], suggested: [], extraIssues });
    performance.mark(GRAPH_MARKS.built);
    return built;
  }, [prompt, original, analysis, objectInfo, extraIssues]);
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const [edges, setEdges] = useState<Edge[]>([]);
  const [layingOut, setLayingOut] = useState(false);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  // bumped whenever fresh (undecorated) nodes are installed, so decoration is re-applied
  const [generation, setGeneration] = useState(0);
  // zooming out stops where the whole graph fits (with room to spare), not at an empty speck
  const [minZoom, setMinZoom] = useState(MIN_ZOOM);

  useEffect(() => {
    if (!base) return;
    let alive = true;
    setEdges(base.edges);
    if (!base.needsLayout) {
      setNodes(base.nodes);
      setGeneration((g) => g + 1);
      return;
    }
    setLayingOut(true);
    setLayoutError(null);
    const comfy = base.nodes.filter((n): n is ComfyFlowNode => n.type === "comfy");
    layoutGraph(comfy, base.edges)
      .then((pos) => {
        if (!alive) return;
        performance.mark(GRAPH_MARKS.laidOut);
        setNodes(comfy.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position })));
        setGeneration((g) => g + 1);
      })
      .catch((e) => {
        if (!alive) return;
        setLayoutError(String(e));
        setNodes(gridFallback(comfy));
        setGeneration((g) => g + 1);
      })
      .finally(() => alive && setLayingOut(false));
    return () => {
      alive = false;
    };
  }, [base, setNodes, flow]);

  // Fit fresh nodes into view. React Flow (a child) has synced them into its store by the time
  // this parent effect runs. A graph opens whole unless that needs a zoom below FIT_MIN_ZOOM: big
  // graphs open centred at that zoom (a screenful of a few hundred plain cards, see DETAIL_ZOOM in
  // ComfyNode) with the minimap for the rest, because mounting 1,000+ nodes at once costs seconds.
  useEffect(() => {
    if (!generation || !base) return;
    // computed here rather than with fitView(), whose promise waits for React Flow to have
    // measured every node (seconds on a 1,000-node graph): the sizes are known in advance
    const el = canvasRef.current;
    const placed = nodesRef.current;
    if (!el || !placed.length) return;
    // the instance's getNodesBounds (React Flow 12): the free function is deprecated and warns
    const bounds = flow.getNodesBounds(placed);
    const fit = getViewportForBounds(bounds, el.clientWidth, el.clientHeight, MIN_ZOOM, 1.1, 0.06);
    setMinZoom(Math.min(FIT_MIN_ZOOM, Math.max(MIN_ZOOM, fit.zoom * 0.75)));
    void flow.setViewport(openingViewport(placed, base.edges, bounds, fit, el.clientWidth, el.clientHeight, (ns) => flow.getNodesBounds(ns)));
    // two frames: the fitted viewport is committed, then painted
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (performance.getEntriesByName(GRAPH_MARKS.data).length === 0) return;
        performance.mark(GRAPH_MARKS.rendered);
        performance.measure(GRAPH_MARKS.measure, GRAPH_MARKS.data, GRAPH_MARKS.rendered);
      }),
    );
  }, [generation, base, flow, canvasRef]);

  return { base, nodes, setNodes, onNodesChange, edges, layingOut, layoutError, generation, minZoom };
}

/**
 * Where a graph opens. Whole when that is readable; a graph of up to SIMPLIFY_MIN_NODES nodes that
 * would need a smaller zoom opens at READABLE_ZOOM on the screenful that shows the most whole nodes
 * (ties go to the one nearer the outputs: sampler, decode, save), kept inside the graph's bounds,
 * rather than fitted into unreadable text; bigger graphs open centred at FIT_MIN_ZOOM (mounting
 * 1,000+ cards at once costs seconds).
 */
export function openingViewport(
  nodes: FlowNode[],
  edges: Edge[],
  bounds: { x: number; y: number; width: number; height: number },
  fit: Viewport,
  width: number,
  height: number,
  boundsOf: (nodes: FlowNode[]) => { x: number; y: number; width: number; height: number },
): Viewport {
  if (fit.zoom >= READABLE_ZOOM) return fit;
  if (nodes.length >= SIMPLIFY_MIN_NODES) return getViewportForBounds(bounds, width, height, FIT_MIN_ZOOM, 1.1, 0.06);
  const zoom = READABLE_ZOOM;
  const cards = nodes.filter((n) => n.type === "comfy");
  const box = (n: FlowNode) => {
    const b = boundsOf([n]);
    return { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height };
  };
  const boxes = cards.map(box);
  const sources = new Set(edges.map((e) => e.source));
  const sinks = cards.map((n, i) => (sources.has(n.id) ? null : boxes[i]!)).filter((b) => b !== null);
  const pad = 24 / zoom;
  const halfW = width / zoom / 2;
  const halfH = height / zoom / 2;
  const clamp = (v: number, lo: number, hi: number) => (lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v)));
  const place = (cx: number, cy: number) => ({
    cx: clamp(cx, bounds.x - pad + halfW, bounds.x + bounds.width + pad - halfW),
    cy: clamp(cy, bounds.y - pad + halfH, bounds.y + bounds.height + pad - halfH),
  });
  let best = place(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2);
  let bestScore = -1;
  // candidate views: each node at the view's centre, left edge or right edge
  for (const b of boxes) {
    const my = (b.y1 + b.y2) / 2;
    for (const cx of [(b.x1 + b.x2) / 2, b.x1 - pad + halfW, b.x2 + pad - halfW]) {
      const c = place(cx, my);
      const inView = (q: { x1: number; y1: number; x2: number; y2: number }) =>
        q.x1 >= c.cx - halfW && q.x2 <= c.cx + halfW && q.y1 >= c.cy - halfH && q.y2 <= c.cy + halfH;
      const score = boxes.filter(inView).length * 10 + sinks.filter(inView).length;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
  }
  return { x: width / 2 - best.cx * zoom, y: height / 2 - best.cy * zoom, zoom };
}

function gridFallback(nodes: ComfyFlowNode[]): ComfyFlowNode[] {
  const cols = Math.ceil(Math.sqrt(nodes.length));
  return nodes.map((n, i) => ({ ...n, position: { x: (i % cols) * 320, y: Math.floor(i / cols) * 260 } }));
}
