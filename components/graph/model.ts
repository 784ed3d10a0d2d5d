// Turns a workflow version (API-format prompt + optional UI-format original + analysis) into
// React Flow nodes, edges and group frames. Pure and framework-free apart from the RF types.
import { Position, type Edge, type Node } from "@xyflow/react";
import type { Analysis, ApiPrompt, Slot } from "../api";
import type { NodeDefLite, ObjectInfoLite } from "./object-info";

export interface WidgetRow {
  name: string;
  value: unknown;
}

export interface LinkedInput {
  name: string;
  from: string;
  fromIndex: number;
  type: string;
}

export interface NodeIssue {
  kind: "custom" | "model" | "warning" | "error";
  message: string;
}

export interface ComfyNodeData extends Record<string, unknown> {
  id: string;
  title: string;
  classType: string;
  widgets: WidgetRow[];
  linked: LinkedInput[];
  outputs: string[];
  issues: NodeIssue[];
  slotInputs: string[];
  suggestedInputs: string[];
  highlighted: boolean;
  dimmed: boolean;
  muted: boolean;
  /** During a run: the node the run reports as executing, or one it already passed. */
  runState?: "executing" | "done";
  /** Compared with another version: this node is new, or its inputs changed. */
  diff?: "added" | "changed";
  width: number;
  color?: string;
}

export interface GroupNodeData extends Record<string, unknown> {
  title: string;
  color: string;
}

export type ComfyFlowNode = Node<ComfyNodeData, "comfy">;
export type GroupFlowNode = Node<GroupNodeData, "frame">;
export type FlowNode = ComfyFlowNode | GroupFlowNode;

/** ComfyUI's link colours, darkened where the originals vanish on a white canvas. */
export const TYPE_COLORS: Record<string, string> = {
  MODEL: "#8b6fd6",
  CLIP: "#c9a100",
  VAE: "#e15759",
  CONDITIONING: "#f28e2b",
  LATENT: "#d264c8",
  IMAGE: "#3b8fd9",
  MASK: "#3fa34d",
  CLIP_VISION: "#4aa3a8",
  CLIP_VISION_OUTPUT: "#4aa3a8",
  CONTROL_NET: "#10b27a",
  STYLE_MODEL: "#a3a35c",
  UPSCALE_MODEL: "#7b8fa6",
  GUIDER: "#b3785f",
  SAMPLER: "#a08c5b",
  SIGMAS: "#6b8e23",
  NOISE: "#8c8c8c",
  INT: "#2f9e8f",
  FLOAT: "#2f9e8f",
  STRING: "#5f8c3a",
  AUDIO: "#b05f8c",
};
export const DEFAULT_EDGE_COLOR = "#a1a1aa";
export const edgeColor = (type: string) => TYPE_COLORS[type] ?? DEFAULT_EDGE_COLOR;

export const isLink = (v: unknown): v is [string | number, number] =>
  Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || typeof v[0] === "number") && typeof v[1] === "number";

interface UiNode {
  id: number | string;
  type?: string;
  title?: string;
  pos?: [number, number] | Record<string, number>;
  size?: [number, number] | Record<string, number>;
  mode?: number;
  color?: string;
  bgcolor?: string;
}
interface UiGroup {
  title?: string;
  bounding?: number[];
  color?: string;
}

function pair(v: unknown): [number, number] | null {
  if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "number") return [v[0], v[1]];
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["0"] === "number" && typeof o["1"] === "number") return [o["0"] as number, o["1"] as number];
  }
  return null;
}

function uiParts(original: unknown): { nodes: Map<string, UiNode>; groups: UiGroup[]; links: Map<string, string> } | null {
  if (!original || typeof original !== "object") return null;
  const o = original as { nodes?: unknown; groups?: unknown; links?: unknown };
  if (!Array.isArray(o.nodes)) return null;
  const nodes = new Map<string, UiNode>();
  for (const n of o.nodes as UiNode[]) if (n && (typeof n.id === "number" || typeof n.id === "string")) nodes.set(String(n.id), n);
  // link id → type, to colour edges even when the node definition is unknown (custom nodes)
  const links = new Map<string, string>();
  if (Array.isArray(o.links)) {
    for (const l of o.links as unknown[]) {
      if (Array.isArray(l) && l.length >= 6) links.set(`${l[1]}:${l[2]}->${l[3]}`, String(l[5]));
    }
  }
  return { nodes, groups: Array.isArray(o.groups) ? (o.groups as UiGroup[]) : [], links };
}

export interface BuiltGraph {
  nodes: FlowNode[];
  edges: Edge[];
  /** True when positions must come from the automatic layout (no usable UI positions). */
  needsLayout: boolean;
}

export interface BuildOptions {
  prompt: ApiPrompt;
  original?: unknown;
  analysis?: Analysis;
  objectInfo?: ObjectInfoLite | null;
  slots: Slot[];
  suggested: Slot[];
  /** Extra issues from elsewhere (e.g. an endpoint that lacks a model), by node id. */
  extraIssues?: Record<string, NodeIssue[]>;
}

const NODE_MIN_W = 220;
/** Vertical centre of the first input/output row, and the row pitch (see ComfyNode). */
export const ROW_Y0 = 1 + 44 + 4 + 10;
export const ROW_H = 20;
const NODE_MAX_W = 340;

export function buildGraph(opts: BuildOptions): BuiltGraph {
  const { prompt, analysis, objectInfo } = opts;
  const ui = uiParts(opts.original);
  const ids = Object.keys(prompt);

  const issues = new Map<string, NodeIssue[]>();
  const addIssue = (id: string, issue: NodeIssue) => {
    const list = issues.get(id) ?? [];
    list.push(issue);
    issues.set(id, list);
  };
  for (const c of analysis?.customNodes ?? [])
    for (const id of c.nodeIds)
      addIssue(id, { kind: "custom", message: `${c.classType} is a custom node (not in ComfyUI core): the endpoint must have it installed.` });
  for (const w of analysis?.warnings ?? []) {
    if (!w.nodeId) continue;
    const kind = /model/i.test(w.code) ? "model" : /invalid|error|missing|unknown/i.test(w.code) ? "error" : "warning";
    addIssue(w.nodeId, { kind, message: w.message });
  }
  for (const [id, list] of Object.entries(opts.extraIssues ?? {})) for (const i of list) addIssue(id, i);

  const slotInputs = new Map<string, string[]>();
  for (const s of opts.slots) slotInputs.set(s.nodeId, [...(slotInputs.get(s.nodeId) ?? []), s.input]);
  const suggestedInputs = new Map<string, string[]>();
  for (const s of opts.suggested) suggestedInputs.set(s.nodeId, [...(suggestedInputs.get(s.nodeId) ?? []), s.input]);

  const defOf = (classType: string): NodeDefLite | undefined =>
    objectInfo && Object.prototype.hasOwnProperty.call(objectInfo, classType) ? objectInfo[classType] : undefined;

  const outputsOf = new Map<string, string[]>();
  for (const id of ids) {
    const def = defOf(prompt[id].class_type);
    outputsOf.set(id, Array.isArray(def?.output) ? def!.output!.map((t) => (typeof t === "string" ? t : "COMBO")) : []);
  }

  const edges: Edge[] = [];
  const nodes: ComfyFlowNode[] = [];
  let positioned = 0;

  for (const id of ids) {
    const entry = prompt[id];
    const widgets: WidgetRow[] = [];
    const linked: LinkedInput[] = [];
    for (const [name, value] of Object.entries(entry.inputs ?? {})) {
      if (isLink(value)) {
        const from = String(value[0]);
        const fromIndex = value[1];
        const outs = outputsOf.get(from) ?? [];
        while (outs.length <= fromIndex) outs.push("*");
        let type = outs[fromIndex];
        if (type === "*" && ui) type = ui.links.get(`${from}:${fromIndex}->${id}`) ?? "*";
        if (type !== "*") outs[fromIndex] = type;
        outputsOf.set(from, outs);
        linked.push({ name, from, fromIndex, type });
        if (prompt[from]) {
          const color = edgeColor(type);
          edges.push({
            id: `${from}:${fromIndex}->${id}:${name}`,
            source: from,
            sourceHandle: `o${fromIndex}`,
            target: id,
            targetHandle: `i:${name}`,
            style: { stroke: color, strokeWidth: 1.75 },
            // no invisible 20px hit path per edge: edges are not interactive
            interactionWidth: 0,
            data: { type },
          });
        }
      } else {
        widgets.push({ name, value });
      }
    }
    const uiNode = ui?.nodes.get(id);
    const pos = uiNode ? pair(uiNode.pos) : null;
    const size = uiNode ? pair(uiNode.size) : null;
    if (pos) positioned++;
    const width = Math.round(Math.max(NODE_MIN_W, Math.min(NODE_MAX_W, size?.[0] ?? 260)));
    nodes.push({
      id,
      type: "comfy",
      position: pos ? { x: pos[0], y: pos[1] } : { x: 0, y: 0 },
      data: {
        id,
        title: entry._meta?.title || uiNode?.title || defOf(entry.class_type)?.display_name || entry.class_type,
        classType: entry.class_type,
        widgets,
        linked,
        outputs: [],
        issues: issues.get(id) ?? [],
        slotInputs: slotInputs.get(id) ?? [],
        suggestedInputs: suggestedInputs.get(id) ?? [],
        highlighted: false,
        dimmed: false,
        muted: uiNode?.mode === 2 || uiNode?.mode === 4,
        width,
        color: uiNode?.color,
      },
      width,
    });
  }
  for (const n of nodes) {
    n.data.outputs = outputsOf.get(n.id) ?? [];
    // Known sizes and handle positions let React Flow skip rendering off-screen nodes even on
    // first paint (otherwise it mounts every node once to measure it). Values follow ComfyNode's
    // fixed geometry: 44px header, 4px padding, 20px rows; measuring later refines them.
    n.height = estimateHeight(n.data);
    // counted as measured, so fitView and "nodes initialized" do not wait for off-screen nodes
    n.measured = { width: n.data.width, height: n.height };
    n.handles = [
      ...n.data.linked.map((l, i) => ({ id: `i:${l.name}`, type: "target" as const, position: Position.Left, x: -5, y: ROW_Y0 + i * ROW_H - 4, width: 8, height: 8 })),
      ...n.data.outputs.map((_, i) => ({ id: `o${i}`, type: "source" as const, position: Position.Right, x: n.data.width - 3, y: ROW_Y0 + i * ROW_H - 4, width: 8, height: 8 })),
    ];
  }

  // Use the exported positions only when nearly every executing node has one; otherwise lay out.
  const needsLayout = !ui || positioned < ids.length * 0.9;
  if (!needsLayout && positioned < ids.length) {
    // a few nodes without positions (e.g. expanded from a subgraph): stack them under the graph
    const maxY = Math.max(...nodes.filter((n) => ui!.nodes.has(n.id)).map((n) => n.position.y)) + 400;
    let x = 0;
    for (const n of nodes)
      if (!ui!.nodes.has(n.id)) {
        n.position = { x, y: maxY };
        x += n.data.width + 40;
      }
  }

  const frames: GroupFlowNode[] = [];
  if (ui && !needsLayout) {
    ui.groups.forEach((g, i) => {
      const b = g.bounding;
      if (!Array.isArray(b) || b.length < 4) return;
      frames.push({
        id: `group-${i}`,
        type: "frame",
        position: { x: b[0], y: b[1] },
        data: { title: g.title ?? "Group", color: g.color ?? "#a1a1aa" },
        style: { width: b[2], height: b[3] },
        width: b[2],
        height: b[3],
        draggable: false,
        selectable: false,
        focusable: false,
        zIndex: -1,
      });
    });
  }

  return { nodes: [...frames, ...nodes], edges, needsLayout };
}

/** Estimated rendered height of a node (for the automatic layout). */
export function estimateHeight(d: ComfyNodeData): number {
  return 44 + Math.max(d.linked.length, d.outputs.length) * 20 + d.widgets.length * 22 + (d.issues.length ? 24 : 0);
}
