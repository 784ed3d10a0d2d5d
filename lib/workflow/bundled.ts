// The bundled core set of node definitions, read from lib/workflow/data once. Server-only (node:fs);
// everything else in the library stays importable from the browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WorkflowError } from "./errors";
import { hasOwn } from "./own";
import type { NodeDef, ObjectInfo } from "./types";

let bundled: ObjectInfo | undefined;

// Each file is named by a literal `new URL(…, import.meta.url)`: bundlers (Turbopack) emit such a
// URL as an asset, and a template literal made the Next.js server read object_info.extra.json for
// both files, so every core node class was unknown there.
const DATA_URLS: Record<string, () => URL> = {
  "object_info.json": () => new URL("./data/object_info.json", import.meta.url),
  "object_info.extra.json": () => new URL("./data/object_info.extra.json", import.meta.url),
};

function readDataFile(name: keyof typeof DATA_URLS): unknown {
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(DATA_URLS[name]!()));
  } catch {
    // import.meta.url may not be a file: URL inside a bundler; fall back to the project root.
  }
  candidates.push(path.join(process.cwd(), "lib", "workflow", "data", name));
  let lastError: unknown;
  for (const file of candidates) {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      lastError = e;
    }
  }
  throw new WorkflowError("object_info_invalid", `Bundled node definitions ${name} could not be read`, {
    reason: String(lastError),
  });
}

/**
 * The bundled core set: a real ComfyUI `/object_info` dump (496 classes) plus a few newer core
 * nodes it predates (data/object_info.extra.json). Loaded once, lazily.
 */
export function bundledObjectInfo(): ObjectInfo {
  if (!bundled) {
    const base = readDataFile("object_info.json") as ObjectInfo;
    const extra = readDataFile("object_info.extra.json") as ObjectInfo;
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

