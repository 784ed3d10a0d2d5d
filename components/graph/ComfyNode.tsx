"use client";
// One ComfyUI node on the canvas: title, class, linked inputs (left handles), outputs (right
// handles) and literal widget values, which can be clicked to become API parameters (slots).
import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { createContext, memo, useContext } from "react";
import { cn } from "../ui/cn";
import { edgeColor, ROW_H, ROW_Y0, type ComfyFlowNode, type GroupFlowNode, type NodeIssue } from "./model";

export interface GraphActions {
  onInputClick: (nodeId: string, input: string, linked: boolean) => void;
  selected: { nodeId: string; input: string } | null;
  /** Read-only graphs (e.g. beside a run) show values but do not make slots. */
  readOnly?: boolean;
  /** Big graphs draw plain cards when zoomed out (see DETAIL_ZOOM). */
  simplifyWhenFar?: boolean;
}
export const GraphActionsContext = createContext<GraphActions>({ onInputClick: () => {}, selected: null });

/**
 * In big graphs, below this zoom a node is drawn as a plain card (title, id, markers): its rows
 * would be unreadable anyway, and hundreds of nodes on screen stay cheap to paint.
 */
export const DETAIL_ZOOM = 0.3;
export const SIMPLIFY_MIN_NODES = 150;
const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

export function formatWidget(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value.length > 80 ? value.slice(0, 80) + "…" : value || "″″";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === "boolean") return value ? "true" : "false";
  const s = JSON.stringify(value);
  return s.length > 60 ? s.slice(0, 60) + "…" : s;
}

const issueStyle: Record<NodeIssue["kind"], { ring: string; chip: string; label: string }> = {
  error: { ring: "ring-2 ring-red-400", chip: "bg-red-100 text-red-700", label: "Error" },
  model: { ring: "ring-2 ring-amber-400", chip: "bg-amber-100 text-amber-800", label: "Model" },
  custom: { ring: "ring-2 ring-violet-300", chip: "bg-violet-100 text-violet-700", label: "Custom node" },
  warning: { ring: "ring-2 ring-amber-300", chip: "bg-amber-100 text-amber-800", label: "Warning" },
};
const severity: NodeIssue["kind"][] = ["error", "model", "warning", "custom"];

const runStyle = {
  executing: "border-emerald-500 ring-4 ring-emerald-300/70 shadow-lg shadow-emerald-100",
  done: "border-emerald-300",
};
const diffStyle = {
  added: { ring: "ring-2 ring-emerald-400", chip: "bg-emerald-100 text-emerald-800", label: "New" },
  changed: { ring: "ring-2 ring-sky-400", chip: "bg-sky-100 text-sky-800", label: "Changed" },
};

function nodeFrame(data: ComfyFlowNode["data"], top: NodeIssue["kind"] | undefined) {
  return cn(
    "rounded-lg border bg-white text-[11px] shadow-sm transition-opacity",
    data.highlighted ? "border-indigo-500 ring-4 ring-indigo-200" : data.runState ? runStyle[data.runState] : "border-zinc-300",
    !data.highlighted && !data.runState && data.diff && diffStyle[data.diff].ring,
    !data.highlighted && !data.runState && !data.diff && top && issueStyle[top].ring,
    data.dimmed && "opacity-30",
    data.muted && "opacity-60",
  );
}

function RunMarker({ state }: { state: "executing" | "done" }) {
  return state === "executing" ? (
    <span className="flex shrink-0 items-center gap-1 rounded bg-emerald-600 px-1.5 py-0.5 text-[10px] font-semibold text-white" data-testid="node-executing">
      <span className="size-1.5 animate-pulse rounded-full bg-white" />
      Running
    </span>
  ) : (
    <span className="flex size-4 shrink-0 items-center justify-center rounded-full bg-emerald-500 text-[10px] font-bold text-white" title="Executed in this run">
      ✓
    </span>
  );
}

function ComfyNodeView({ data }: NodeProps<ComfyFlowNode>) {
  const { onInputClick, selected, readOnly, simplifyWhenFar } = useContext(GraphActionsContext);
  const top = severity.find((k) => data.issues.some((i) => i.kind === k));
  const far = useStore(zoomedOut) && !!simplifyWhenFar;
  const attrs = { "data-node-id": data.id, "data-run-state": data.runState, "data-diff": data.diff };
  if (far)
    return (
      <div className={cn(nodeFrame(data, top), "flex h-full flex-col justify-center px-3")} style={{ width: data.width, height: "100%" }} {...attrs}>
        <div className="truncate text-[22px] font-semibold leading-tight text-zinc-800">{data.title}</div>
        <div className="truncate font-mono text-[16px] text-zinc-500">#{data.id}</div>
        {/* no handles: far cards only exist in big graphs, whose edges are drawn on a canvas */}
      </div>
    );
  return (
    <div className={nodeFrame(data, top)} style={{ width: data.width }} {...attrs}>
      <div
        className="flex h-11 items-center gap-2 rounded-t-lg border-b border-zinc-200 bg-zinc-50 px-2.5"
        style={data.color ? { boxShadow: `inset 3px 0 0 ${data.color}` } : undefined}
      >
        <div className="min-w-0 flex-1">
          <div className="truncate text-xs font-semibold text-zinc-900" title={data.title}>
            {data.title}
          </div>
          <div className="truncate font-mono text-[10px] text-zinc-500">
            #{data.id} · {data.classType}
          </div>
        </div>
        {data.runState && <RunMarker state={data.runState} />}
        {data.diff && !data.runState && (
          <span className={cn("shrink-0 rounded px-1.5 py-0.5 text-[10px] font-semibold", diffStyle[data.diff].chip)}>{diffStyle[data.diff].label}</span>
        )}
        {top && (
          <div className="group/issue relative">
            <span className={cn("rounded px-1.5 py-0.5 text-[10px] font-semibold", issueStyle[top].chip)} data-testid="node-issue">
              {data.issues.length > 1 ? `${issueStyle[top].label} +${data.issues.length - 1}` : issueStyle[top].label}
            </span>
            <div className="pointer-events-none absolute right-0 top-6 z-50 hidden w-64 space-y-1 rounded-md border border-zinc-200 bg-white p-2 text-[11px] leading-snug text-zinc-700 shadow-lg group-hover/issue:block">
              {data.issues.map((i, k) => (
                <p key={k}>
                  <span className={cn("mr-1 rounded px-1 text-[10px] font-semibold", issueStyle[i.kind].chip)}>{issueStyle[i.kind].label}</span>
                  {i.message}
                </p>
              ))}
            </div>
          </div>
        )}
      </div>
      {(data.linked.length > 0 || data.outputs.length > 0) && (
        <div className="flex justify-between gap-2 py-1">
          <div className="min-w-0 flex-1">
            {data.linked.map((l) => (
              <button
                type="button"
                key={l.name}
                className={cn("nodrag relative flex h-5 w-full items-center gap-1.5 pl-3 pr-1 text-left text-zinc-600", !readOnly && "hover:bg-zinc-50")}
                onClick={() => !readOnly && onInputClick(data.id, l.name, true)}
                title={`${l.name} ← #${l.from} (${l.type})`}
              >
                <Handle
                  type="target"
                  position={Position.Left}
                  id={`i:${l.name}`}
                  isConnectable={false}
                  style={{ background: edgeColor(l.type), width: 8, height: 8, border: "1.5px solid white", left: -4 }}
                />
                <span className="truncate">{l.name}</span>
              </button>
            ))}
          </div>
          <div className="min-w-0">
            {data.outputs.map((t, i) => (
              <div key={i} className="relative flex h-5 items-center justify-end pl-1 pr-3 text-zinc-500">
                <span className="truncate font-mono text-[10px]">{t}</span>
                <Handle
                  type="source"
                  position={Position.Right}
                  id={`o${i}`}
                  isConnectable={false}
                  style={{ background: edgeColor(t), width: 8, height: 8, border: "1.5px solid white", right: -4 }}
                />
              </div>
            ))}
          </div>
        </div>
      )}
      {data.widgets.length > 0 && (
        <div className={cn("space-y-px px-1 pb-1", data.linked.length + data.outputs.length > 0 ? "border-t border-zinc-100 pt-1" : "pt-1")}>
          {data.widgets.map((w) => {
            const isSlot = data.slotInputs.includes(w.name);
            const isSuggested = !isSlot && data.suggestedInputs.includes(w.name);
            const isSelected = selected?.nodeId === data.id && selected.input === w.name;
            return (
              <button
                type="button"
                key={w.name}
                onClick={() => !readOnly && onInputClick(data.id, w.name, false)}
                data-testid={`widget-${data.id}-${w.name}`}
                title={readOnly ? `${w.name}: ${formatWidget(w.value)}` : isSlot ? "API parameter — click to edit" : "Click to expose as an API parameter"}
                className={cn(
                  "nodrag flex h-5 w-full items-center gap-2 rounded px-1.5 text-left",
                  readOnly
                    ? isSlot
                      ? "cursor-default bg-indigo-50 text-indigo-900"
                      : "cursor-default text-zinc-700"
                    : isSelected
                    ? "bg-indigo-600 text-white"
                    : isSlot
                      ? "bg-indigo-50 text-indigo-900 ring-1 ring-inset ring-indigo-300 hover:bg-indigo-100"
                      : isSuggested
                        ? "bg-white text-zinc-700 outline-1 -outline-offset-1 outline-dashed outline-indigo-300 hover:bg-indigo-50"
                        : "text-zinc-700 hover:bg-zinc-100",
                )}
              >
                <span className={cn("shrink-0", isSelected ? "text-indigo-100" : "text-zinc-500")}>{w.name}</span>
                <span className="min-w-0 flex-1 truncate text-right font-mono text-[10px]">{formatWidget(w.value)}</span>
                {isSlot && !isSelected && <span className="shrink-0 rounded bg-indigo-600 px-1 text-[9px] font-semibold uppercase text-white">API</span>}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const ComfyNode = memo(ComfyNodeView);

function FrameView({ data }: NodeProps<GroupFlowNode>) {
  return (
    <div
      className="h-full w-full rounded-md border-2"
      style={{ borderColor: data.color + "99", background: data.color + "14" }}
    >
      <div className="truncate px-2 py-1 text-sm font-semibold" style={{ color: data.color, filter: "brightness(0.7)" }}>
        {data.title}
      </div>
    </div>
  );
}
export const FrameNode = memo(FrameView);

export const nodeTypes = { comfy: ComfyNode, frame: FrameNode };
