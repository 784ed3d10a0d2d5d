// The shapes of a ComfyUI UI-format graph (what "Save" writes) and the tolerant link reader, shared
// by the converter (convert-ui) and the group-node expander (group-nodes) without either importing
// the other.
import { isPlainObject } from "./own";

export interface UiInput {
  name: string;
  type?: unknown;
  link?: number | null;
  widget?: { name?: string };
}

export interface UiNode {
  id: number | string;
  type: string;
  mode?: number;
  title?: string;
  inputs?: UiInput[];
  outputs?: { name?: string; type?: unknown; links?: number[] | null }[];
  widgets_values?: unknown;
  properties?: Record<string, unknown>;
}

export interface UiLink {
  id: number;
  origin_id: number | string;
  origin_slot: number;
  target_id: number | string;
  target_slot: number;
  type?: unknown;
}

export function toNum(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export function normalizeLinks(raw: unknown): UiLink[] {
  const out: UiLink[] = [];
  const list = Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.values(raw) : [];
  for (const l of list) {
    if (Array.isArray(l) && l.length >= 5) {
      const id = toNum(l[0]);
      const os = toNum(l[2]);
      const ts = toNum(l[4]);
      if (id === undefined || os === undefined || ts === undefined) continue;
      out.push({ id, origin_id: l[1] as number, origin_slot: os, target_id: l[3] as number, target_slot: ts, type: l[5] });
    } else if (isPlainObject(l)) {
      const id = toNum(l.id);
      const os = toNum(l.origin_slot);
      const ts = toNum(l.target_slot);
      if (id === undefined || os === undefined || ts === undefined) continue;
      out.push({ id, origin_id: l.origin_id as number, origin_slot: os, target_id: l.target_id as number, target_slot: ts, type: l.type });
    }
  }
  return out;
}

