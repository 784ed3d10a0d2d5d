"use client";
// Big graphs drawn on canvases instead of DOM: their edges at every zoom, their nodes below
// OVERVIEW_ZOOM, and the minimap. Thousands of DOM cards and SVG paths cost hundreds of milliseconds
// per frame to hit-test, layerize and paint (and React Flow keeps every edge whose bounding box
// crosses the view: hundreds of long ones even at zoom 2); one canvas redrawn from a flat list of
// rectangles and curves costs a few.
import { useStoreApi, type Edge, type ReactFlowState } from "@xyflow/react";
import { useEffect, useMemo, useRef, type PointerEvent as ReactPointerEvent, type WheelEvent as ReactWheelEvent } from "react";
import { edgeColor, ROW_H, ROW_Y0, type ComfyNodeData, type FlowNode } from "./model";

/** Below this zoom, graphs of SIMPLIFY_MIN_NODES+ nodes are drawn by OverviewLayer. */
export const OVERVIEW_ZOOM = 0.2;

/** A node's fill in the overview and the minimap: what it is marked with, most urgent first. */
export function nodeFill(d: ComfyNodeData): string {
  if (d.highlighted) return "#6366f1";
  if (d.runState === "executing") return "#10b981";
  if (d.runState === "done") return "#6ee7b7";
  if (d.diff === "added") return "#34d399";
  if (d.diff === "changed") return "#38bdf8";
  if (d.issues.some((i) => i.kind === "error" || i.kind === "model")) return "#f59e0b";
  if (d.slotInputs.length) return "#a5b4fc";
  if (d.dimmed) return "#f4f4f5";
  return "#d4d4d8";
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** Everything the canvases draw, in flow coordinates, grouped by colour (one fill/stroke per colour). */
export interface Scene {
  rects: Map<string, Rect[]>;
  frames: { rect: Rect; color: string }[];
  curves: Map<string, number[]>;
  bounds: Rect;
}

export function buildScene(nodes: FlowNode[], edges: Edge[]): Scene {
  const rects = new Map<string, Rect[]>();
  const frames: Scene["frames"] = [];
  const boxes = new Map<string, Rect>();
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    const r = { x: n.position.x, y: n.position.y, w: n.measured?.width ?? n.width ?? 0, h: n.measured?.height ?? n.height ?? 0 };
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
    if (n.type === "frame") {
      frames.push({ rect: r, color: n.data.color });
      continue;
    }
    boxes.set(n.id, r);
    const fill = nodeFill(n.data);
    const list = rects.get(fill);
    if (list) list.push(r);
    else rects.set(fill, [r]);
  }
  // edges leave output row i on the right and enter the input's row on the left, as on the cards
  const inputRow = new Map<string, number>();
  for (const n of nodes) if (n.type === "comfy") n.data.linked.forEach((l, i) => inputRow.set(`${n.id}:${l.name}`, i));
  const curves = new Map<string, number[]>();
  for (const e of edges) {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const out = Number(e.sourceHandle?.slice(1) ?? 0) || 0;
    const row = inputRow.get(`${e.target}:${e.targetHandle?.slice(2)}`) ?? 0;
    const color = edgeColor((e.data as { type?: string } | undefined)?.type ?? "*");
    const list = curves.get(color) ?? [];
    // handle centres, as placed by ComfyNode
    list.push(s.x + s.w + 1, s.y + ROW_Y0 + out * ROW_H, t.x - 1, t.y + ROW_Y0 + row * ROW_H);
    curves.set(color, list);
  }
  const bounds = Number.isFinite(x0) ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : { x: 0, y: 0, w: 0, h: 0 };
  return { rects, frames, curves, bounds };
}

function drawCurves(ctx: CanvasRenderingContext2D, scene: Scene, width: number) {
  ctx.lineWidth = width;
  for (const [color, c] of scene.curves) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (let i = 0; i < c.length; i += 4) {
      const [sx, sy, tx, ty] = [c[i], c[i + 1], c[i + 2], c[i + 3]];
      const dx = Math.max(Math.abs(tx - sx) / 2, 40);
      ctx.moveTo(sx, sy);
      ctx.bezierCurveTo(sx + dx, sy, tx - dx, ty, tx, ty);
    }
    ctx.stroke();
  }
}

function drawRects(ctx: CanvasRenderingContext2D, scene: Scene) {
  for (const f of scene.frames) {
    ctx.fillStyle = f.color + "14";
    ctx.fillRect(f.rect.x, f.rect.y, f.rect.w, f.rect.h);
  }
  for (const [fill, list] of scene.rects) {
    ctx.fillStyle = fill;
    ctx.beginPath();
    for (const r of list) ctx.rect(r.x, r.y, r.w, r.h);
    ctx.fill();
  }
}

/** Sizes the canvas to its box at the device pixel ratio; returns false while it has no size. */
function fit(canvas: HTMLCanvasElement, w: number, h: number): number {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  return dpr;
}

/** Calls `draw` at most once per frame whenever the viewport (or `deps`) changes. */
function useViewportDraw(draw: (s: ReactFlowState) => void, active: boolean) {
  const store = useStoreApi();
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    if (!active) return;
    let frame = 0;
    const schedule = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        drawRef.current(store.getState());
      });
    };
    schedule();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store, active, draw]);
}

/**
 * A big graph's edges, under React Flow's nodes (which then get no edges), and below OVERVIEW_ZOOM
 * its nodes too, as coloured blocks (React Flow's are hidden then).
 */
export function OverviewLayer({ scene, overview }: { scene: Scene; overview: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const draw = useMemo(
    () => (s: ReactFlowState) => {
      const canvas = ref.current;
      if (!canvas) return;
      const dpr = fit(canvas, s.width, s.height);
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const [tx, ty, k] = s.transform;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      ctx.globalAlpha = overview ? 0.8 : 1;
      drawCurves(ctx, scene, Math.max(1.75, 1 / k));
      ctx.globalAlpha = 1;
      if (overview) drawRects(ctx, scene);
    },
    [scene, overview],
  );
  useViewportDraw(draw, true);
  // z-index 3: above the background, below React Flow's renderer (4) and its nodes
  return <canvas ref={ref} className="pointer-events-none absolute inset-0 z-[3] h-full w-full" data-testid="graph-canvas" aria-hidden />;
}

const MINIMAP_W = 150;
const MINIMAP_H = 96;
const OFFSET = 5;

/**
 * Minimap for big graphs: React Flow's SVG minimap keeps one store subscription and one <rect> per
 * node and repaints them all on every frame of a pan. Click or drag to move there, wheel to zoom.
 */
export function CanvasMiniMap({ scene }: { scene: Scene }) {
  const store = useStoreApi();
  const ref = useRef<HTMLCanvasElement>(null);
  // flow → minimap mapping of the last draw, for the pointer handlers
  const mapping = useRef({ x: 0, y: 0, scale: 1 });
  const draw = useMemo(
    () => (s: ReactFlowState) => {
      const canvas = ref.current;
      if (!canvas) return;
      const dpr = fit(canvas, MINIMAP_W, MINIMAP_H);
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      const [tx, ty, k] = s.transform;
      const view = { x: -tx / k, y: -ty / k, w: s.width / k, h: s.height / k };
      const b = scene.bounds;
      const bx0 = Math.min(b.x, view.x), by0 = Math.min(b.y, view.y);
      const bw = Math.max(b.x + b.w, view.x + view.w) - bx0, bh = Math.max(b.y + b.h, view.y + view.h) - by0;
      // like React Flow's minimap: the union of graph and view, centred, with a margin
      const s2 = Math.max(bw / (MINIMAP_W - 2 * OFFSET), bh / (MINIMAP_H - 2 * OFFSET)) || 1;
      const x = bx0 + bw / 2 - (MINIMAP_W * s2) / 2;
      const y = by0 + bh / 2 - (MINIMAP_H * s2) / 2;
      mapping.current = { x, y, scale: s2 };
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(dpr / s2, 0, 0, dpr / s2, (-x * dpr) / s2, (-y * dpr) / s2);
      drawRects(ctx, scene);
      ctx.fillStyle = "rgba(244,244,245,0.7)";
      ctx.beginPath();
      ctx.rect(x, y, MINIMAP_W * s2, MINIMAP_H * s2);
      ctx.rect(view.x, view.y, view.w, view.h);
      ctx.fill("evenodd");
    },
    [scene],
  );
  useViewportDraw(draw, true);

  const centreOn = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const m = mapping.current;
    const s = store.getState();
    const [, , k] = s.transform;
    const fx = m.x + (e.clientX - box.left) * m.scale;
    const fy = m.y + (e.clientY - box.top) * m.scale;
    void s.panZoom?.setViewport({ x: s.width / 2 - fx * k, y: s.height / 2 - fy * k, zoom: k });
  };
  const onWheel = (e: ReactWheelEvent<HTMLCanvasElement>) => {
    const s = store.getState();
    const [tx, ty, k] = s.transform;
    const next = Math.min(s.maxZoom, Math.max(s.minZoom, k * Math.pow(2, -e.deltaY * 0.002)));
    // zoom about the centre of the view
    const cx = (s.width / 2 - tx) / k, cy = (s.height / 2 - ty) / k;
    void s.panZoom?.setViewport({ x: s.width / 2 - cx * next, y: s.height / 2 - cy * next, zoom: next });
  };
  return (
    <canvas
      ref={ref}
      className="react-flow__minimap nopan nowheel block cursor-grab bg-white"
      style={{ width: MINIMAP_W, height: MINIMAP_H }}
      data-testid="graph-minimap"
      aria-label="Minimap: click or drag to move the view, wheel to zoom"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        centreOn(e);
      }}
      onPointerMove={(e) => e.buttons & 1 && centreOn(e)}
      onWheel={onWheel}
    />
  );
}
