// Node definitions (ComfyUI `/object_info`): the questions the rest of the library asks of a
// definition — which inputs are widgets, in what order, with which limits. Browser-safe (no node:
// imports); the bundled core set is read from disk in bundled.ts.
import { WorkflowError } from "./errors";
import { getOwn, hasOwn, isPlainObject } from "./own";
import type { NodeDef, ObjectInfo } from "./types";

/** Accepts an `/object_info` JSON (possibly from a user); throws object_info_invalid if unusable. */
export function parseObjectInfo(value: unknown): ObjectInfo {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new WorkflowError("object_info_invalid", "object_info is not valid JSON");
    }
  }
  if (!isPlainObject(value)) throw new WorkflowError("object_info_invalid", "object_info must be a JSON object of node definitions");
  const out: ObjectInfo = Object.create(null);
  for (const [k, v] of Object.entries(value)) if (isPlainObject(v)) out[k] = v as NodeDef;
  return out;
}

export function getDef(objectInfo: ObjectInfo | undefined, classType: string): NodeDef | undefined {
  if (!objectInfo) return undefined;
  const d = getOwn<NodeDef>(objectInfo, classType);
  return isPlainObject(d) ? d : undefined;
}

export const WIDGET_TYPES = new Set(["INT", "FLOAT", "STRING", "BOOLEAN", "COMBO"]);
export const CONTROL_VALUES = new Set(["fixed", "increment", "decrement", "randomize"]);

export interface InputInfo {
  name: string;
  category: "required" | "optional";
  /** "INT" | "FLOAT" | ... or "COMBO" for list-valued inputs. */
  type: string;
  /** The raw type (a string, or the list of choices for old-style combos). */
  rawType: unknown;
  opts: Record<string, unknown>;
  options?: unknown[];
}

function inputInfo(name: string, category: "required" | "optional", spec: unknown): InputInfo | undefined {
  if (!Array.isArray(spec) || spec.length === 0) return undefined;
  const raw = spec[0];
  const opts = isPlainObject(spec[1]) ? (spec[1] as Record<string, unknown>) : {};
  if (Array.isArray(raw)) return { name, category, type: "COMBO", rawType: raw, opts, options: raw };
  if (typeof raw !== "string") return undefined;
  if (raw === "COMBO") {
    const options = Array.isArray(opts.options) ? (opts.options as unknown[]) : [];
    return { name, category, type: "COMBO", rawType: raw, opts, options };
  }
  return { name, category, type: raw, rawType: raw, opts };
}

const inputsCache = new WeakMap<NodeDef, InputInfo[]>();

/** Required then optional inputs, in the definition's `input_order` when present. */
export function defInputs(def: NodeDef): InputInfo[] {
  const cached = inputsCache.get(def);
  if (cached) return cached;
  const out: InputInfo[] = [];
  const input = isPlainObject(def.input) ? def.input : {};
  for (const category of ["required", "optional"] as const) {
    const group = getOwn(input, category);
    if (!isPlainObject(group)) continue;
    const order = getOwn<unknown>(getOwn(def, "input_order"), category);
    const names = Array.isArray(order) && order.every((n) => typeof n === "string" && hasOwn(group, n))
      ? [...(order as string[]), ...Object.keys(group).filter((n) => !(order as string[]).includes(n))]
      : Object.keys(group);
    for (const name of names) {
      const info = inputInfo(name, category, group[name]);
      if (info) out.push(info);
    }
  }
  inputsCache.set(def, out);
  return out;
}

export function findInput(def: NodeDef, name: string): InputInfo | undefined {
  return defInputs(def).find((i) => i.name === name);
}

/** Whether ComfyUI's frontend renders this input as a widget (and so stores it in widgets_values). */
export function isWidgetInput(info: InputInfo): boolean {
  if (info.opts.forceInput === true) return false;
  return WIDGET_TYPES.has(info.type);
}

/** Whether the frontend adds a control_after_generate widget right after this one. */
export function hasControlWidget(info: InputInfo): boolean {
  if (info.opts.control_after_generate) return true;
  return info.type === "INT" && (info.name === "seed" || info.name === "noise_seed");
}

export function outputTypes(def: NodeDef): string[] {
  return Array.isArray(def.output) ? def.output.map((t) => (typeof t === "string" ? t : Array.isArray(t) ? "COMBO" : String(t))) : [];
}

export function isOutputNode(def: NodeDef | undefined): boolean {
  return !!def && def.output_node === true;
}

/** Core = shipped with ComfyUI itself (nodes, comfy_extras.*, comfy_api_nodes.*). */
export function isCoreModule(pythonModule: unknown): boolean {
  if (typeof pythonModule !== "string") return true;
  return pythonModule === "nodes" || pythonModule.startsWith("comfy_extras.") || pythonModule.startsWith("comfy_api_nodes.") || pythonModule === "comfy_extras" || pythonModule.startsWith("comfy.");
}
