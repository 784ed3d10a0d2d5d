// What the sandbox ComfyUI has on "disk": the model files and input images ComfyUI's own example
// workflows use (stock.json, derived from the fixtures by `npx tsx sandbox/stock-gen.ts`; a test
// fails when it drifts). A real ComfyUI lists the files of a models folder (models/vae, …) in
// every loader input that reads that folder, in both /object_info formats (legacy `[[…], {…}]`
// and `["COMBO", {"options": […]}]`), and the input folder's images in LoadImage & co. The
// sandbox reports exactly that: the stock of each folder, added to every combo that reads it.
import { defInputs, getDef } from "@/lib/comfy-graph/object-info";
import { isModelInput, modelFolder } from "@/lib/comfy-graph/models";
import type { ApiPrompt, ObjectInfo } from "@/lib/comfy-graph";
import stockJson from "./stock.json" with { type: "json" };

export interface SandboxStock {
  /** models folder (as `/models/{folder}` names it) → file names, sorted */
  models: Record<string, string[]>;
  /** files in the input folder (LoadImage values: "name.png" or "sub/name.png"), sorted */
  inputs: string[];
}

export const defaultStock: SandboxStock = stockJson as SandboxStock;

// Combo inputs that name a folder-like list but are not models (sampler_name, clip `type`, …).
const NOT_A_MODEL = /(^|_)(sampler|scheduler|type|device|dtype|method|mode|weight_dtype)(_|$)/;

/**
 * The models folder a combo input lists, or null: the product's own loader → folder mapping
 * (lib/comfy-graph/models.ts), minus combos that are settings rather than files.
 */
export function stockedFolder(classType: string, input: string): string | null {
  if (classType === "CheckpointLoader" && input === "config_name") return null; // models/configs: yaml, not stocked
  if (NOT_A_MODEL.test(input)) return null;
  return modelFolder(classType, input);
}

/** Upload-backed combos (LoadImage `image`, …): their list is the input folder. */
export function uploadKind(spec: unknown): "image" | "other" | null {
  if (!Array.isArray(spec)) return null;
  const meta = spec[1] as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== "object") return null;
  if (meta.image_upload === true) return meta.image_folder === "output" ? null : "image";
  return Object.keys(meta).some((k) => /_upload$/.test(k) && meta[k] === true) ? "other" : null;
}

function comboOptions(spec: unknown): string[] | null {
  if (!Array.isArray(spec)) return null;
  if (Array.isArray(spec[0])) return spec[0] as string[];
  if (spec[0] === "COMBO") {
    const opts = (spec[1] as { options?: unknown } | undefined)?.options;
    return Array.isArray(opts) ? (opts as string[]) : [];
  }
  return null;
}

function withOptions(spec: unknown[], options: string[]): unknown[] {
  if (Array.isArray(spec[0])) return [options, ...spec.slice(1)];
  return [spec[0], { ...(spec[1] as object), options }, ...spec.slice(2)];
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;
const merge = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

/**
 * /object_info as a ComfyUI holding `stock`'s model files and `inputFiles` (the input folder's
 * top-level files and any in subfolders) would report it.
 */
export function withStock<T extends Record<string, any>>(objectInfo: T, stock: SandboxStock, inputFiles: string[]): T {
  const images = inputFiles.filter((f) => IMAGE_EXT.test(f));
  const out: Record<string, any> = {};
  for (const [cls, def] of Object.entries(objectInfo)) {
    const input = def?.input;
    if (!input || typeof input !== "object") {
      out[cls] = def;
      continue;
    }
    let changed = false;
    const sections: Record<string, any> = {};
    for (const section of ["required", "optional"] as const) {
      const s = input[section];
      if (!s || typeof s !== "object") continue;
      sections[section] = { ...s };
      for (const [name, spec] of Object.entries<any>(s)) {
        const options = comboOptions(spec);
        if (!options) continue;
        const kind = uploadKind(spec);
        let add: string[] = [];
        if (kind === "image") add = images;
        else if (!kind) {
          const folder = stockedFolder(cls, name);
          if (folder) add = stock.models[folder] ?? [];
        }
        if (!add.length) continue;
        sections[section][name] = withOptions(spec, merge(options, add));
        changed = true;
      }
    }
    out[cls] = changed ? { ...def, input: { ...input, ...sections } } : def;
  }
  return out as T;
}

/**
 * The stock a set of workflows needs: every model file they name, in the folder its loader reads,
 * and every input file their upload widgets name. Values the definitions already list (ComfyUI's
 * built-ins like `taesd`, or `example.png`) are left out.
 */
export function deriveStock(prompts: ApiPrompt[], objectInfo: ObjectInfo): SandboxStock {
  const models = new Map<string, Set<string>>();
  const inputs = new Set<string>();
  for (const prompt of prompts) {
    for (const node of Object.values(prompt)) {
      const def = getDef(objectInfo, node.class_type);
      if (!def) continue; // a custom node class: missing on a stock server whatever its models
      const raw = { ...(def.input?.required ?? {}), ...(def.input?.optional ?? {}) } as Record<string, unknown>;
      for (const info of defInputs(def)) {
        if (info.type !== "COMBO") continue;
        const v = node.inputs?.[info.name];
        if (typeof v !== "string" || v === "" || (info.options ?? []).includes(v)) continue;
        const kind = uploadKind(raw[info.name]);
        if (kind) {
          const m = /^(.*?)(?: \[input\])?$/.exec(v)!;
          if (!/ \[(output|temp)\]$/.test(v) && !m[1].split(/[\\/]/).includes("..")) inputs.add(m[1].replace(/\\/g, "/"));
          continue;
        }
        const folder = stockedFolder(node.class_type, info.name);
        if (!folder || !isModelInput(node.class_type, info.name, v, objectInfo)) continue;
        if (!models.has(folder)) models.set(folder, new Set());
        models.get(folder)!.add(v);
      }
    }
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    models: Object.fromEntries([...models.keys()].sort().map((f) => [f, sorted(models.get(f)!)])),
    inputs: sorted(inputs),
  };
}
