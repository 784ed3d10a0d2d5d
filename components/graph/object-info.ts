"use client";
// Node definitions for the browser: the bundled core `/object_info` set, loaded lazily in its own
// chunk the first time a graph is shown (it tells edge types, widget limits and combo choices).
import { useEffect, useState } from "react";

export interface NodeDefLite {
  input?: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]> };
  output?: unknown[];
  output_name?: string[];
  display_name?: string;
  python_module?: string;
  [key: string]: unknown;
}
export type ObjectInfoLite = Record<string, NodeDefLite>;

let cache: Promise<ObjectInfoLite> | null = null;

export function loadObjectInfo(): Promise<ObjectInfoLite> {
  cache ??= Promise.all([
    import("@/lib/comfy-graph/data/object_info.json"),
    import("@/lib/comfy-graph/data/object_info.extra.json"),
  ]).then(([base, extra]) => {
    const merged: ObjectInfoLite = Object.create(null);
    for (const [k, v] of Object.entries((base as unknown as { default: ObjectInfoLite }).default)) merged[k] = v;
    for (const [k, v] of Object.entries((extra as unknown as { default: ObjectInfoLite }).default)) if (!(k in merged)) merged[k] = v;
    return merged;
  });
  return cache;
}

export function useObjectInfo(): ObjectInfoLite | null {
  const [info, setInfo] = useState<ObjectInfoLite | null>(null);
  useEffect(() => {
    let alive = true;
    loadObjectInfo().then(
      (i) => alive && setInfo(i),
      () => alive && setInfo({}),
    );
    return () => {
      alive = false;
    };
  }, []);
  return info;
}

/** The spec of one input: [type or choices, options]. */
export function inputSpec(def: NodeDefLite | undefined, input: string): { type: unknown; opts: Record<string, unknown> } | null {
  if (!def?.input) return null;
  for (const group of [def.input.required, def.input.optional]) {
    const spec = group && Object.prototype.hasOwnProperty.call(group, input) ? group[input] : undefined;
    if (Array.isArray(spec)) return { type: spec[0], opts: (spec[1] as Record<string, unknown>) ?? {} };
  }
  return null;
}
