"use client";
// The workflow graph: React Flow canvas of one version, search, issue markers, and the slot
// editor (click a literal input to make it an API parameter). Built to stay usable at 1,000+
// nodes: only visible elements render, node components are memoised, node objects keep their
// identity unless their own data changes, and big graphs zoomed far out (and their minimap) are
// drawn on a canvas instead of as thousands of DOM cards and SVG paths (see overview.tsx).
// Structure and placement: use-graph-layout; slot/search/run/diff marks: use-graph-decorations;
// search: use-graph-search; the floating panels: GraphPanels; the slot editor: SlotSidebar.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import type { Analysis, ApiPrompt, Slot } from "../api";
import { cn } from "../ui/cn";
import type { SlotDraftApi } from "../workflows/slot-draft";
import { GraphActionsContext, nodeTypes, SIMPLIFY_MIN_NODES, type GraphActions } from "./ComfyNode";
import { GraphOverlays, GraphSearchBar, LinkLegend, useLinkTypes } from "./GraphPanels";
import type { ComfyNodeData, FlowNode, NodeIssue } from "./model";
import { loadObjectInfo, useObjectInfo } from "./object-info";
import { buildScene, CanvasMiniMap, nodeFill, OVERVIEW_ZOOM, OverviewLayer } from "./overview";
import { SlotSidebar, type SelectedInput } from "./SlotSidebar";
import { useGraphDecorations } from "./use-graph-decorations";
import { useGraphLayout } from "./use-graph-layout";
import { useGraphSearch } from "./use-graph-search";

export { GRAPH_MARKS, openingViewport } from "./use-graph-layout";

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

const EMPTY_SLOTS: Slot[] = [];

export function GraphEditor(props: GraphEditorProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

function GraphCanvas({ prompt, original, analysis, draftApi, slots: fixedSlots, extraIssues, nodeStates, diffMarks, toolbar, className }: GraphEditorProps) {
  const objectInfo = useObjectInfo();
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const readOnly = !draftApi;
  const nodeCount = Object.keys(prompt).length;
  const simplifyWhenFar = nodeCount >= SIMPLIFY_MIN_NODES;
  const suggested = useMemo(() => (readOnly ? EMPTY_SLOTS : (analysis?.suggestedSlots ?? EMPTY_SLOTS)), [analysis, readOnly]);

  // 1. Structure and placement.
  const { base, nodes, setNodes, onNodesChange, edges, layingOut, layoutError, generation, minZoom } = useGraphLayout({
    prompt,
    original,
    analysis,
    objectInfo,
    extraIssues,
    canvasRef,
  });

  // 2. Search and decoration: slots, suggestions still on offer, search flags, run and diff marks.
  const search = useGraphSearch(base?.nodes);
  useGraphDecorations({
    setNodes,
    generation,
    q: search.q,
    slots: draftApi?.draft.slots ?? fixedSlots ?? EMPTY_SLOTS,
    offers: draftApi?.offers ?? EMPTY_SLOTS,
    nodeStates,
    diffMarks,
  });

  // 3. Slot selection (click on an input inside a node, or on a slot in the list).
  const [selected, setSelected] = useState<SelectedInput | null>(null);
  const onInputClick = useCallback((nodeId: string, input: string) => setSelected({ nodeId, input }), []);
  const actions = useMemo<GraphActions>(
    () => ({ onInputClick, selected, readOnly, simplifyWhenFar }),
    [onInputClick, selected, readOnly, simplifyWhenFar],
  );
  const selectFromList = useCallback(
    (s: SelectedInput) => {
      setSelected({ nodeId: s.nodeId, input: s.input });
      flow.fitView({ nodes: [{ id: s.nodeId }], duration: 300, maxZoom: 1.2, padding: 0.4, includeHiddenNodes: true });
    },
    [flow],
  );

  const linkTypes = useLinkTypes(edges);
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
              <GraphSearchBar search={search} nodeCount={nodeCount} linkCount={edges.length} issueCount={issueCount} />
            </Panel>
            {toolbar && (
              <Panel position="top-right" className="!m-3">
                {toolbar}
              </Panel>
            )}
            {linkTypes.length > 0 && (
              <Panel position="bottom-center" className="!mb-3">
                <LinkLegend types={linkTypes} />
              </Panel>
            )}
          </ReactFlow>
        </GraphActionsContext.Provider>
        <GraphOverlays loaded={!!base} layingOut={layingOut} layoutError={layoutError} nodeCount={nodeCount} />
      </div>
      {draftApi && (
        <SlotSidebar
          prompt={prompt}
          objectInfo={objectInfo}
          draftApi={draftApi}
          suggested={suggested}
          selected={selected}
          onSelect={selectFromList}
          onDeselect={() => setSelected(null)}
        />
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

// Node definitions are a large chunk: start loading them with the page, not when the graph mounts.
if (typeof window !== "undefined") void loadObjectInfo();
