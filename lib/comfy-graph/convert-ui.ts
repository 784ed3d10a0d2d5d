// UI format (what ComfyUI's "Save" writes) → API format (what /prompt takes), following what the
// ComfyUI frontend's graphToPrompt sends: widget values mapped by the node definition's widget
// order (control_after_generate and upload widgets skipped), converted widgets fed by links,
// PrimitiveNode values inlined, Reroute/SetNode/GetNode followed, muted (mode 2) nodes dropped,
// bypassed (mode 4) nodes wired through by type, Notes dropped, legacy group nodes and subgraphs
// (ids `outer:inner`) flattened. Nodes that cannot be converted are reported, never dropped silently.
import { WorkflowError } from "./errors";
import { CONTROL_VALUES, defInputs, getDef, hasControlWidget, isWidgetInput, type InputInfo } from "./object-info";
import { getOwn, hasOwn, isPlainObject, RESERVED_KEYS, setOwn } from "./own";
import type { ApiNode, ApiPrompt, NodeDef, ObjectInfo, WorkflowWarning } from "./types";
import { expandGroupNodes } from "./group-nodes";
import { normalizeLinks, type UiInput, type UiLink, type UiNode } from "./ui-graph";

export { normalizeLinks, type UiInput, type UiLink, type UiNode };
import { MAX_NODES } from "./json";


const MODE_MUTED = 2;
const MODE_BYPASS = 4;
const DROPPED_TYPES = new Set(["Note", "MarkdownNote", "Note Plus (mtb)", "Label (rgthree)", "Bookmark (rgthree)", "Fast Groups Bypasser (rgthree)", "Fast Groups Muter (rgthree)", "Image Comparer (rgthree)"]);
const SUBGRAPH_INPUT_NODE = -10;
const SUBGRAPH_OUTPUT_NODE = -20;
const MAX_SUBGRAPH_DEPTH = 32;
const MAX_RESOLVE_STEPS = 10_000;
const MAX_RESOLVE_DEPTH = 1_000;

interface SubgraphDef {
  id: string;
  name?: string;
  inputs: { name?: string; type?: unknown; linkIds?: number[] }[];
  outputs: { name?: string; type?: unknown; linkIds?: number[] }[];
  nodes: UiNode[];
  links: UiLink[];
}

/** One graph level: the root, or one instance of a subgraph (prefix "13:" etc.). */
interface Scope {
  prefix: string;
  nodes: Map<string, UiNode>;
  links: Map<number, UiLink>;
  parent?: { scope: Scope; instance: UiNode };
  depth: number;
}

type Resolved = { kind: "link"; id: string; slot: number } | { kind: "value"; value: unknown } | { kind: "none" };

function normalizeNodes(raw: unknown): UiNode[] {
  if (!Array.isArray(raw)) return [];
  const out: UiNode[] = [];
  for (const n of raw) {
    if (!isPlainObject(n)) continue;
    if ((typeof n.id !== "number" && typeof n.id !== "string") || typeof n.type !== "string") continue;
    out.push({
      ...(n as object),
      id: n.id,
      type: n.type,
      inputs: Array.isArray(n.inputs) ? (n.inputs as unknown[]).filter(isPlainObject).map((i) => ({ ...i, name: String(i.name ?? "") }) as UiInput) : [],
      outputs: Array.isArray(n.outputs) ? (n.outputs as unknown[]).filter(isPlainObject) : [],
    } as UiNode);
  }
  return out;
}

function typesMatch(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  const sa = String(a).toUpperCase();
  const sb = String(b).toUpperCase();
  if (sa === sb || sa === "*" || sb === "*" || sa === "" || sb === "") return true;
  const la = sa.split(",").map((s) => s.trim());
  const lb = sb.split(",").map((s) => s.trim());
  return la.some((t) => lb.includes(t));
}

function isControlValue(v: unknown): boolean {
  return typeof v === "boolean" || (typeof v === "string" && CONTROL_VALUES.has(v));
}

const UPLOAD_VALUES = new Set(["image", "video", "audio", "file", "Upload", "upload"]);

function isUploadWidget(info: InputInfo): boolean {
  return ["image_upload", "video_upload", "audio_upload", "file_upload"].some((k) => info.opts[k] === true);
}

function fitsWidget(info: InputInfo | undefined, v: unknown): boolean {
  if (!info) return false;
  if (info.type === "COMBO") return (info.options ?? []).includes(v as never);
  return true;
}

/** Maps widgets_values onto widget input names using the definition's widget order. */
export function mapWidgetValues(node: UiNode, def: NodeDef | undefined): Map<string, unknown> | undefined {
  const values = node.widgets_values;
  const out = new Map<string, unknown>();
  if (values === undefined || values === null) return out;
  if (isPlainObject(values)) {
    // Some custom nodes (e.g. VideoHelperSuite) save widgets by name.
    for (const k of Object.keys(values)) if (!RESERVED_KEYS.has(k)) out.set(k, values[k]);
    return out;
  }
  if (!Array.isArray(values)) return out;
  if (def) {
    const widgets = defInputs(def).filter(isWidgetInput);
    let p = 0;
    for (let w = 0; w < widgets.length && p < values.length; w++) {
      const info = widgets[w]!;
      out.set(info.name, values[p++]);
      if (hasControlWidget(info) && p < values.length && isControlValue(values[p])) {
        p++;
        // Newer frontends add a filter widget after a combo's control widget.
        if (info.type === "COMBO" && p < values.length && typeof values[p] === "string" && !fitsWidget(widgets[w + 1], values[p]) && widgets[w + 1]?.type !== "STRING") p++;
      }
      if (isUploadWidget(info) && p < values.length && UPLOAD_VALUES.has(values[p] as string) && !fitsWidget(widgets[w + 1], values[p])) p++;
    }
    return out;
  }
  // No definition: newer frontends list every widget as an input with `widget`, in widget order.
  const widgetInputs = (node.inputs ?? []).filter((i) => isPlainObject(i.widget));
  if (widgetInputs.length === 0) return values.length === 0 ? out : undefined;
  let p = 0;
  for (const input of widgetInputs) {
    if (p >= values.length) break;
    out.set(input.widget?.name ?? input.name, values[p++]);
    const isInt = String(input.type).toUpperCase() === "INT";
    if (isInt && p < values.length && isControlValue(values[p]) && widgetInputs.length < values.length) p++;
  }
  return out;
}

interface Ctx {
  objectInfo: ObjectInfo;
  subgraphs: Map<string, SubgraphDef>;
  warnings: WorkflowWarning[];
  unconvertible: { id: string; type: string; message: string }[];
  prompt: ApiPrompt;
  setNodes: Map<string, { scope: Scope; node: UiNode }>;
  steps: number;
  depth: number;
  /** Subgraph instance scopes by their id path (inner node objects are shared between instances). */
  scopes: Map<string, Scope>;
  /** Nodes in every scope entered so far; bounded so nested subgraph instances cannot multiply without end. */
  scopeNodes: number;
  maxNodes: number;
}

function scopeOf(prefix: string, nodes: UiNode[], links: UiLink[], depth: number, parent?: Scope["parent"]): Scope {
  const nodeMap = new Map<string, UiNode>();
  for (const n of nodes) nodeMap.set(String(n.id), n);
  const linkMap = new Map<number, UiLink>();
  for (const l of links) linkMap.set(l.id, l);
  return { prefix, nodes: nodeMap, links: linkMap, parent, depth };
}

function isVirtual(node: UiNode, ctx: Ctx): boolean {
  if (node.type === "Reroute" || node.type === "PrimitiveNode" || node.type === "GetNode" || node.type === "SetNode") return !getDef(ctx.objectInfo, node.type);
  return false;
}

/** Where does output `slot` of node `nodeId` (in `scope`) really come from? */
function resolveOutput(ctx: Ctx, scope: Scope, nodeId: string | number, slot: number, wantType: unknown): Resolved {
  if (++ctx.steps > MAX_RESOLVE_STEPS * 100 || ctx.depth >= MAX_RESOLVE_DEPTH) {
    throw new WorkflowError("workflow_invalid", "Workflow links cannot be resolved: a chain of reroutes, bypassed nodes or subgraph boundaries loops or is too long");
  }
  ctx.depth++;
  try {
    return resolveOutputStep(ctx, scope, nodeId, slot, wantType);
  } finally {
    ctx.depth--;
  }
}

function resolveOutputStep(ctx: Ctx, scope: Scope, nodeId: string | number, slot: number, wantType: unknown): Resolved {
  if (Number(nodeId) === SUBGRAPH_INPUT_NODE && scope.parent) {
    const { scope: outer, instance } = scope.parent;
    const input = instance.inputs?.[slot];
    return resolveInputOf(ctx, outer, instance, input, wantType);
  }
  const node = scope.nodes.get(String(nodeId));
  if (!node) return { kind: "none" };
  if (node.mode === MODE_MUTED) return { kind: "link", id: scope.prefix + String(node.id), slot }; // pruned later, like the frontend
  const sub = ctx.subgraphs.get(node.type);
  if (node.mode === MODE_BYPASS) return resolveBypass(ctx, scope, node, slot, wantType);
  if (sub) {
    const inner = enterSubgraph(ctx, scope, node, sub);
    const out = sub.outputs[slot];
    const linkId = out?.linkIds?.[0];
    const link = linkId === undefined ? undefined : inner.links.get(linkId);
    if (!link) return { kind: "none" };
    return resolveOutput(ctx, inner, link.origin_id, link.origin_slot, wantType);
  }
  if (isVirtual(node, ctx)) {
    if (node.type === "PrimitiveNode") {
      const v = Array.isArray(node.widgets_values) ? node.widgets_values[0] : undefined;
      return v === undefined ? { kind: "none" } : { kind: "value", value: v };
    }
    if (node.type === "GetNode") {
      const name = Array.isArray(node.widgets_values) ? node.widgets_values[0] : undefined;
      const set = typeof name === "string" ? ctx.setNodes.get(name) : undefined;
      if (!set) return { kind: "none" };
      return resolveInputOf(ctx, set.scope, set.node, set.node.inputs?.[0], wantType);
    }
    // Reroute / SetNode: follow the single input.
    return resolveInputOf(ctx, scope, node, node.inputs?.[0], wantType);
  }
  return { kind: "link", id: scope.prefix + String(node.id), slot };
}

function resolveInputOf(ctx: Ctx, scope: Scope, node: UiNode, input: UiInput | undefined, wantType: unknown): Resolved {
  if (!input || input.link === null || input.link === undefined) return { kind: "none" };
  const link = scope.links.get(Number(input.link));
  if (!link) return { kind: "none" };
  if (String(link.target_id) !== String(node.id) && Number(link.target_id) !== SUBGRAPH_OUTPUT_NODE) {
    // A link whose target disagrees with the node is stale; still follow its origin.
  }
  return resolveOutput(ctx, scope, link.origin_id, link.origin_slot, wantType ?? link.type);
}

/** A bypassed node passes through the input of the requested type (same slot index first). */
function resolveBypass(ctx: Ctx, scope: Scope, node: UiNode, slot: number, wantType: unknown): Resolved {
  const inputs = node.inputs ?? [];
  const candidates: number[] = [];
  if (slot < inputs.length) candidates.push(slot);
  for (let i = 0; i < inputs.length; i++) if (i !== slot) candidates.push(i);
  const sub = ctx.subgraphs.get(node.type);
  for (const i of candidates) {
    const input = inputs[i]!;
    if (!typesMatch(input.type, wantType)) continue;
    if (input.link === null || input.link === undefined) return { kind: "none" };
    const parentScope = scope;
    void sub;
    return resolveInputOf(ctx, parentScope, node, input, wantType);
  }
  return { kind: "none" };
}

function enterSubgraph(ctx: Ctx, scope: Scope, instance: UiNode, sub: SubgraphDef): Scope {
  const key = `${scope.prefix}${String(instance.id)}`;
  const cached = ctx.scopes.get(key);
  if (cached) return cached;
  if (scope.depth + 1 > MAX_SUBGRAPH_DEPTH) {
    throw new WorkflowError("workflow_invalid", `Subgraphs are nested more than ${MAX_SUBGRAPH_DEPTH} levels deep (or a subgraph contains itself)`);
  }
  ctx.scopeNodes += sub.nodes.length;
  if (ctx.scopeNodes > ctx.maxNodes) {
    throw new WorkflowError("workflow_too_large", `The workflow expands to more than ${ctx.maxNodes} nodes once its subgraphs are instantiated`, { maxNodes: ctx.maxNodes });
  }
  const inner = scopeOf(`${scope.prefix}${String(instance.id)}:`, sub.nodes, sub.links, scope.depth + 1, { scope, instance });
  ctx.scopes.set(key, inner);
  return inner;
}

function titleOf(node: UiNode, def: NodeDef | undefined): string {
  if (typeof node.title === "string" && node.title) return node.title;
  if (def && typeof def.display_name === "string" && def.display_name) return def.display_name;
  return node.type;
}

function hasAnyLink(node: UiNode): boolean {
  return (node.inputs ?? []).some((i) => i.link !== null && i.link !== undefined) || (node.outputs ?? []).some((o) => Array.isArray(o.links) && o.links.length > 0);
}

function emitScope(ctx: Ctx, scope: Scope): void {
  for (const node of scope.nodes.values()) {
    const id = scope.prefix + String(node.id);
    if (node.mode === MODE_MUTED || node.mode === MODE_BYPASS) continue;
    const sub = ctx.subgraphs.get(node.type);
    if (sub) {
      emitScope(ctx, enterSubgraph(ctx, scope, node, sub));
      continue;
    }
    if (isVirtual(node, ctx)) continue;
    const def = getDef(ctx.objectInfo, node.type);
    if (!def && DROPPED_TYPES.has(node.type)) continue;
    if (!def && !hasAnyLink(node) && (node.outputs ?? []).length === 0 && (node.inputs ?? []).length === 0) {
      ctx.warnings.push({ code: "ui_node_dropped", message: `Node ${id} (${node.type}) has no definition and no connections; it was left out`, nodeId: id });
      continue;
    }
    if (RESERVED_KEYS.has(String(node.id))) {
      throw new WorkflowError("workflow_invalid", `Node id ${JSON.stringify(node.id)} is not allowed`, { nodeId: String(node.id) });
    }
    const widgets = mapWidgetValues(node, def);
    if (!widgets) {
      ctx.unconvertible.push({
        id,
        type: node.type,
        message: `No definition for node type ${node.type}, so its widget values cannot be mapped to input names (install its custom node pack on the endpoint and upload its /object_info, or upload the API-format export)`,
      });
      continue;
    }
    if (!def) {
      ctx.warnings.push({ code: "unknown_node", message: `Node ${id} (${node.type}) has no definition; its inputs were taken from the saved widget names`, nodeId: id });
    }
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of widgets) {
      if (name === "__proto__") continue;
      setOwn(inputs, name, value);
    }
    for (const input of node.inputs ?? []) {
      if (input.link === null || input.link === undefined) continue;
      const name = input.name;
      if (!name || name === "__proto__") continue;
      const r = resolveInputOf(ctx, scope, node, input, input.type);
      if (r.kind === "link") setOwn(inputs, name, [r.id, r.slot]);
      else if (r.kind === "value") setOwn(inputs, name, r.value);
      else if (!isPlainObject(input.widget)) delete inputs[name];
    }
    const apiNode: ApiNode = { inputs, class_type: node.type, _meta: { title: titleOf(node, def) } };
    setOwn(ctx.prompt, id, apiNode);
  }
}

function collectSetNodes(ctx: Ctx, scope: Scope): void {
  for (const node of scope.nodes.values()) {
    if (node.type === "SetNode" && Array.isArray(node.widgets_values) && typeof node.widgets_values[0] === "string") {
      ctx.setNodes.set(node.widgets_values[0], { scope, node });
    }
  }
}

export function convertUiToApi(ui: Record<string, unknown>, objectInfo: ObjectInfo, opts: { maxNodes?: number } = {}): { prompt: ApiPrompt; warnings: WorkflowWarning[] } {
  const expanded = expandGroupNodes(ui, objectInfo);
  const nodes = normalizeNodes(expanded.nodes);
  if (nodes.length === 0) throw new WorkflowError("workflow_empty", "The workflow has no nodes");
  const subgraphs = new Map<string, SubgraphDef>();
  const defs = getOwn<unknown>(getOwn(ui, "definitions"), "subgraphs");
  if (Array.isArray(defs)) {
    for (const d of defs) {
      if (!isPlainObject(d) || typeof d.id !== "string") continue;
      subgraphs.set(d.id, {
        id: d.id,
        name: typeof d.name === "string" ? d.name : undefined,
        inputs: Array.isArray(d.inputs) ? (d.inputs as unknown[]).filter(isPlainObject) : [],
        outputs: Array.isArray(d.outputs) ? (d.outputs as unknown[]).filter(isPlainObject) : [],
        nodes: normalizeNodes(d.nodes),
        links: normalizeLinks(d.links),
      } as SubgraphDef);
    }
  }
  const ctx: Ctx = { objectInfo, subgraphs, warnings: [...expanded.warnings], unconvertible: [], prompt: {}, setNodes: new Map(), steps: 0, depth: 0, scopes: new Map(), scopeNodes: 0, maxNodes: opts.maxNodes ?? MAX_NODES };
  const root = scopeOf("", nodes, normalizeLinks(expanded.links), 0);
  collectSetNodes(ctx, root);
  emitScope(ctx, root);
  if (ctx.unconvertible.length > 0) {
    const first = ctx.unconvertible[0]!;
    throw new WorkflowError(
      "workflow_unconvertible",
      `${ctx.unconvertible.length} node(s) cannot be converted to API format: node ${first.id} (${first.type}): ${first.message}`,
      { nodes: ctx.unconvertible },
    );
  }
  // Like the frontend: drop inputs linked to nodes that are not in the prompt (muted, unresolvable).
  for (const id of Object.keys(ctx.prompt)) {
    const inputs = ctx.prompt[id]!.inputs;
    for (const name of Object.keys(inputs)) {
      const v = inputs[name];
      if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && !hasOwn(ctx.prompt, v[0])) delete inputs[name];
    }
  }
  if (Object.keys(ctx.prompt).length === 0) throw new WorkflowError("workflow_empty", "The workflow has no nodes that execute (all are notes, muted or bypassed)");
  return { prompt: ctx.prompt, warnings: ctx.warnings };
}
