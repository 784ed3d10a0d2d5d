"use client";
// The workflow graph: React Flow canvas of one version, search, issue markers, and the slot
// editor (click a literal input to make it an API parameter). Built to stay usable at 1,000+
// nodes: only visible elements render, node components are memoised, node objects keep their
// identity unless their own data changes, and big graphs zoomed far out (and their minimap) are
// drawn on a canvas instead of as thousands of DOM cards and SVG paths (see overview.tsx).
import {
  Background,
  BackgroundVariant,
  Controls,
  getViewportForBounds,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type Viewport,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Analysis, ApiPrompt, Slot } from "../api";
import { Spinner } from "../ui";
import { cn } from "../ui/cn";
import type { SlotDraftApi } from "../workflows/slot-draft";
import { GraphActionsContext, nodeTypes, SIMPLIFY_MIN_NODES, type GraphActions } from "./ComfyNode";
import { layoutGraph } from "./layout";
import { buildGraph, edgeColor, type ComfyFlowNode, type ComfyNodeData, type FlowNode, type NodeIssue } from "./model";
import { loadObjectInfo, useObjectInfo } from "./object-info";
import { buildScene, CanvasMiniMap, nodeFill, OVERVIEW_ZOOM, OverviewLayer } from "./overview";
import { slotKey } from "./slot-infer";
import { SlotList } from "./SlotList";
import { SlotPanel } from "./SlotPanel";

export interface GraphEditorProps {
  prompt: ApiPrompt;
  original?: unknown;
  analysis?: Analysis;
  /** The slots being edited; without it the graph is read-only (no slot panel, no clicking). */
  draftApi?: SlotDraftApi;
  /** Slots to mark in a read-only graph (e.g. a deployment's). */
  slots?: Slot[];
  extraIssues?: Record<string, NodeIssue[]>;
  /** Live run state by node id: the executing node and the ones already passed. */
  nodeStates?: Record<string, "executing" | "done">;
  /** Nodes added or changed compared with another version. */
  diffMarks?: Record<string, "added" | "changed">;
  /** Extra controls shown at the canvas' top right (e.g. the endpoint pre-flight check). */
  toolbar?: ReactNode;
  className?: string;
}

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

const EMPTY_SLOTS: Slot[] = [];

export function GraphEditor(props: GraphEditorProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function matches(d: ComfyNodeData, q: string) {
  return d.title.toLowerCase().includes(q) || d.classType.toLowerCase().includes(q) || d.id.toLowerCase() === q || `#${d.id}` === q;
}

function GraphCanvas({ prompt, original, analysis, draftApi, slots: fixedSlots, extraIssues, nodeStates, diffMarks, toolbar, className }: GraphEditorProps) {
  const objectInfo = useObjectInfo();
  const flow = useReactFlow();
  const readOnly = !draftApi;
  const draftSlots = draftApi?.draft.slots ?? fixedSlots ?? EMPTY_SLOTS;
  const simplifyWhenFar = Object.keys(prompt).length >= SIMPLIFY_MIN_NODES;
  const suggested = useMemo(() => (readOnly ? EMPTY_SLOTS : (analysis?.suggestedSlots ?? EMPTY_SLOTS)), [analysis, readOnly]);

  useMemo(() => {
    if (typeof performance !== "undefined") performance.mark(GRAPH_MARKS.data, { detail: { nodes: Object.keys(prompt).length } });
  }, [prompt]);

  // 1. Structure: rebuilt only when the version or the node definitions change.
  const base = useMemo(() => {
    if (!objectInfo) return null;
    const built = buildGraph({ prompt, original, analysis, objectInfo, slots: [], suggested: [], extraIssues });
    performance.mark(GRAPH_MARKS.built);
    return built;
  }, [prompt, original, analysis, objectInfo, extraIssues]);
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const canvasRef = useRef<HTMLDivElement>(null);
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
  }, [generation, base, flow]);

  // 2. Decoration: slots, suggestions and search flags, applied without touching unchanged nodes.
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const slotMap = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const s of draftSlots) m.set(s.nodeId, [...(m.get(s.nodeId) ?? []), s.input]);
    return m;
  }, [draftSlots]);
  // suggestions still on offer (not chosen, not dismissed) are marked on their widgets
  const offers = draftApi?.offers ?? EMPTY_SLOTS;
  const suggestedMap = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const s of offers) m.set(s.nodeId, [...(m.get(s.nodeId) ?? []), s.input]);
    return m;
  }, [offers]);

  const matchIds = useMemo(
    () =>
      q && base
        ? base.nodes.filter((n) => n.type === "comfy" && matches(n.data as ComfyNodeData, q)).map((n) => n.id)
        : [],
    [q, base],
  );
  useEffect(() => {
    setNodes((prev) =>
      prev.map((n) => {
        if (n.type !== "comfy") return n;
        const d = n.data as ComfyNodeData;
        const hit = !!q && matches(d, q);
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

  // 3. Slot selection (click on an input inside a node).
  const [selected, setSelected] = useState<{ nodeId: string; input: string } | null>(null);
  const onInputClick = useCallback((nodeId: string, input: string) => setSelected({ nodeId, input }), []);
  const actions = useMemo<GraphActions>(
    () => ({ onInputClick, selected, readOnly, simplifyWhenFar }),
    [onInputClick, selected, readOnly, simplifyWhenFar],
  );

  const selectFromList = useCallback(
    (s: { nodeId: string; input: string }) => {
      setSelected({ nodeId: s.nodeId, input: s.input });
      flow.fitView({ nodes: [{ id: s.nodeId }], duration: 300, maxZoom: 1.2, padding: 0.4, includeHiddenNodes: true });
    },
    [flow],
  );

  const typesPresent = useMemo(() => {
    const set = new Set<string>();
    for (const e of edges) set.add((e.data as { type?: string } | undefined)?.type ?? "*");
    set.delete("*");
    return [...set].sort();
  }, [edges]);

  const issueCount = useMemo(
    () => (base ? base.nodes.filter((n) => n.type === "comfy" && (n.data as ComfyNodeData).issues.length > 0).length : 0),
    [base],
  );

  // Big graphs: React Flow gets no edges, a canvas under its nodes draws them; below OVERVIEW_ZOOM
  // React Flow's nodes are hidden (nothing mounted) and the canvas draws them as blocks. The
  // minimap of a big graph is a canvas too.
  const overview = useStore(belowOverviewZoom) && simplifyWhenFar;
  const scene = useMemo(() => (simplifyWhenFar ? buildScene(nodes, edges) : null), [simplifyWhenFar, nodes, edges]);
  const flowNodes = useMemo(() => (overview ? nodes.map(hiddenCopy) : nodes), [overview, nodes]);
  const flowEdges = simplifyWhenFar ? NO_EDGES : edges;

  // a class, not state: toggling it must not re-render the canvas
  const onMoveStart = useCallback(() => canvasRef.current?.classList.add("fg-moving"), []);
  const onMoveEnd = useCallback(() => canvasRef.current?.classList.remove("fg-moving"), []);

  const inputRef = useRef<HTMLInputElement>(null);
  const focusedQuery = useRef("");

  return (
    <div
      className={cn("flex h-[640px] overflow-hidden rounded-lg border border-zinc-200 bg-white", className)}
      data-testid={readOnly ? "graph-view" : "graph-editor"}
    >
      {/* Edges are not interactive: no hit-testing of thousands of SVG paths on every mouse move.
          While the view moves, the viewport is its own compositor layer, so a pan frame moves
          already-painted pixels instead of repainting every card (text sharpens when it stops). */}
      <div
        className="relative min-w-0 flex-1 [&_.react-flow__edge]:pointer-events-none [&.fg-moving_.react-flow__viewport]:[will-change:transform]"
        ref={canvasRef}
      >
        <GraphActionsContext.Provider value={actions}>
          <ReactFlow
            nodes={flowNodes}
            edges={flowEdges}
            onNodesChange={onNodesChange}
            nodeTypes={nodeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            onlyRenderVisibleElements
            minZoom={minZoom}
            maxZoom={2}
            fitView
            onPaneClick={() => setSelected(null)}
            onMoveStart={onMoveStart}
            onMoveEnd={onMoveEnd}
            // a click handler keeps nodes interactive (React Flow disables pointer events on
            // nodes that are neither draggable, selectable nor clickable)
            onNodeClick={noop}
          >
            <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#d4d4d8" />
            <Controls showInteractive={false} position="bottom-left" />
            {scene ? (
              <Panel position="bottom-right">
                <CanvasMiniMap scene={scene} />
              </Panel>
            ) : (
              <MiniMap
                position="bottom-right"
                pannable
                zoomable
                nodeStrokeWidth={0}
                nodeBorderRadius={3}
                style={{ width: 150, height: 96 }}
                maskColor="rgba(244,244,245,0.7)"
                nodeColor={miniMapColor}
              />
            )}
            {scene && <OverviewLayer scene={scene} overview={overview} />}
            <Panel position="top-left" className="!m-3">
              <div className="flex items-center gap-2">
                <div className="flex items-center rounded-md border border-zinc-200 bg-white shadow-sm">
                  <svg viewBox="0 0 20 20" className="ml-2 size-3.5 text-zinc-400" fill="currentColor" aria-hidden>
                    <path fillRule="evenodd" d="M9 3.5a5.5 5.5 0 1 0 3.4 9.83l3.63 3.64a.75.75 0 1 0 1.06-1.06l-3.63-3.64A5.5 5.5 0 0 0 9 3.5ZM5 9a4 4 0 1 1 8 0 4 4 0 0 1-8 0Z" clipRule="evenodd" />
                  </svg>
                  <input
                    ref={inputRef}
                    value={query}
                    onChange={(e) => {
                      setQuery(e.target.value);
                      setMatchIndex(0);
                    }}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        const first = focusedQuery.current !== q;
                        focusedQuery.current = q;
                        focusMatch(first ? 0 : matchIndex + (e.shiftKey ? -1 : 1));
                      }
                      if (e.key === "Escape") setQuery("");
                    }}
                    placeholder="Search title, class or #id"
                    aria-label="Search nodes"
                    className="h-8 w-56 bg-transparent px-2 text-xs focus:outline-none"
                  />
                  {q && (
                    <span className="flex items-center gap-0.5 pr-1 text-[11px] text-zinc-500">
                      {matchIds.length ? `${matchIndex + 1}/${matchIds.length}` : "0"}
                      <button type="button" className="rounded px-1 hover:bg-zinc-100" onClick={() => focusMatch(matchIndex - 1)} aria-label="Previous match">
                        ↑
                      </button>
                      <button type="button" className="rounded px-1 hover:bg-zinc-100" onClick={() => focusMatch(matchIndex + 1)} aria-label="Next match">
                        ↓
                      </button>
                    </span>
                  )}
                </div>
                <span className="rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-[11px] text-zinc-600 shadow-sm">
                  {Object.keys(prompt).length} nodes · {edges.length} links
                  {issueCount > 0 && <span className="ml-1 text-amber-700">· {issueCount} flagged</span>}
                </span>
              </div>
            </Panel>
            {toolbar && (
              <Panel position="top-right" className="!m-3">
                {toolbar}
              </Panel>
            )}
            {typesPresent.length > 0 && (
              <Panel position="bottom-center" className="!mb-3">
                <div className="flex max-w-md flex-wrap justify-center gap-x-2.5 gap-y-1 rounded-md border border-zinc-200 bg-white/90 px-2 py-1.5 shadow-sm backdrop-blur">
                  {typesPresent.map((t) => (
                    <span key={t} className="flex items-center gap-1 font-mono text-[10px] text-zinc-600">
                      <span className="h-0.5 w-3 rounded" style={{ background: edgeColor(t) }} />
                      {t}
                    </span>
                  ))}
                </div>
              </Panel>
            )}
          </ReactFlow>
        </GraphActionsContext.Provider>
        {(!base || layingOut) && (
          <div className="absolute inset-0 flex items-center justify-center bg-white/60 text-sm text-zinc-600">
            <Spinner className="mr-2" /> {base ? `Laying out ${Object.keys(prompt).length} nodes…` : "Loading node definitions…"}
          </div>
        )}
        {layoutError && (
          <div className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-md bg-amber-50 px-3 py-1.5 text-xs text-amber-800 shadow">
            Automatic layout failed; showing a grid instead.
          </div>
        )}
      </div>
      {draftApi && (
      <aside className="w-80 shrink-0 overflow-y-auto border-l border-zinc-200 bg-white">
        {selected ? (
          <SlotPanel
            key={`${selected.nodeId}.${selected.input}`}
            prompt={prompt}
            nodeId={selected.nodeId}
            input={selected.input}
            objectInfo={objectInfo}
            slots={draftSlots}
            suggestion={offers.find((o) => o.nodeId === selected.nodeId && o.input === selected.input)}
            onSave={(slot: Slot, previousKey?: string) => {
              draftApi.upsert(slot, previousKey);
              setSelected(null);
            }}
            onRemove={(key) => {
              draftApi.remove(key);
              setSelected(null);
            }}
            onClose={() => setSelected(null)}
          />
        ) : (
          <SlotList draftApi={draftApi} suggested={suggested} onSelect={selectFromList} />
        )}
      </aside>
      )}
    </div>
  );
}

const noop = () => {};
const NO_EDGES: Edge[] = [];
const belowOverviewZoom = (s: { transform: [number, number, number] }) => s.transform[2] < OVERVIEW_ZOOM;
const miniMapColor = (n: Node) => (n.type === "frame" ? "transparent" : nodeFill(n.data as ComfyNodeData));
// one hidden copy per node object, so flipping in and out of the overview does not churn identities
const hiddenCopies = new WeakMap<FlowNode, FlowNode>();
function hiddenCopy(n: FlowNode): FlowNode {
  let h = hiddenCopies.get(n);
  if (!h) hiddenCopies.set(n, (h = { ...n, hidden: true } as FlowNode));
  return h;
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

/** The smallest zoom at which node titles and widget values are comfortably read. */
const READABLE_ZOOM = 0.65;
/** Low enough to zoom out over 2,000+ nodes; nodes are plain cards below DETAIL_ZOOM. */
const MIN_ZOOM = 0.02;
/** The lowest zoom a graph opens at. */
const FIT_MIN_ZOOM = 0.25;

// Node definitions are a large chunk: start loading them with the page, not when the graph mounts.
if (typeof window !== "undefined") void loadObjectInfo();

function gridFallback(nodes: ComfyFlowNode[]): ComfyFlowNode[] {
  const cols = Math.ceil(Math.sqrt(nodes.length));
  return nodes.map((n, i) => ({ ...n, position: { x: (i % cols) * 320, y: Math.floor(i / cols) * 260 } }));
}
