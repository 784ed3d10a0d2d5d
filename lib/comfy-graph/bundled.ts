// The bundled core set of node definitions (lib/comfy-graph/data), imported statically so every bundler
// (Next.js under `next dev` and `next build`, esbuild for the worker) and every runner (tsx for the
// CLI, vitest) includes the JSON itself. It used to be read from disk at a path relative to the
// module, which inside the Next.js server pointed nowhere: UI-format uploads of core nodes failed.
// Server-only by convention (half a megabyte); browser code imports the library's other modules.
import baseDump from "./data/object_info.json" with { type: "json" };
import extraDump from "./data/object_info.extra.json" with { type: "json" };
import { hasOwn } from "./own";
import type { NodeDef, ObjectInfo } from "./types";

let bundled: ObjectInfo | undefined;

/**
 * The bundled core set: a real ComfyUI `/object_info` dump (496 classes) plus a few newer core
 * nodes it predates (data/object_info.extra.json). Loaded once, lazily.
 */
export function bundledObjectInfo(): ObjectInfo {
  if (!bundled) {
    // A private copy: the combo patches below must not change the imported module's objects.
    const base = structuredClone(baseDump) as unknown as ObjectInfo;
    const extra = extraDump as unknown as ObjectInfo;
    const merged: ObjectInfo = Object.create(null);
    for (const [k, v] of Object.entries(base)) merged[k] = v;
    for (const [k, v] of Object.entries(extra)) {
      if (!hasOwn(merged, k)) merged[k] = v;
      else mergeComboOptions(merged[k]!, v);
    }
    bundled = merged;
  }
  return bundled;
}

/** Patches a core definition with choices newer ComfyUI versions added (e.g. CLIPLoader type "flux2"). */
function mergeComboOptions(target: NodeDef, patch: NodeDef): void {
  for (const category of ["required", "optional"] as const) {
    const extra = patch.input?.[category];
    const base = target.input?.[category];
    if (!extra || !base) continue;
    for (const [name, spec] of Object.entries(extra)) {
      const cur = base[name];
      if (!Array.isArray(cur) || !Array.isArray(cur[0]) || !Array.isArray(spec) || !Array.isArray(spec[0])) continue;
      const values = cur[0] as unknown[];
      for (const v of spec[0] as unknown[]) if (!values.includes(v)) values.push(v);
    }
  }
}

