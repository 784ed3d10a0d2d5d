// validatePrompt: what ComfyUI's execution.py validate_prompt/validate_inputs would answer for a
// prompt on a server with the given /object_info, in the same 400-body vocabulary, without the
// server. Only nodes reachable from output nodes are checked, as ComfyUI does. Iterative (no
// recursion) so long chains cannot overflow the stack; cycles are reported, not followed forever.
import { isLink } from "./api-format";
import { findCycles } from "./graph";
import { looksLikeModelFile, isModelInput } from "./models";
import { defInputs, getDef, isOutputNode, isWidgetInput, outputTypes, type InputInfo } from "./object-info";
import { getOwn, hasOwn, isPlainObject, setOwn } from "./own";
import type { ApiPrompt, NodeDef, ObjectInfo } from "./types";

export interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: { input_name?: string; input_config?: unknown; received_value?: unknown; [k: string]: unknown };
}

export interface NodeErrors {
  errors: ValidationError[];
  dependent_outputs: string[];
  class_type: string;
}

export interface PromptValidation {
  ok: boolean;
  error?: ValidationError;
  node_errors: Record<string, NodeErrors>;
}

export interface ValidateOptions {
  /**
   * Lenient mode (the sandbox's default): accept combo values that look like model files, and
   * uploaded-file names (image/video/audio loaders), even when the server's list lacks them, and
   * let a missing required widget input fall back to its default (a workflow exported by an
   * older ComfyUI). Without it, validation is exactly as strict as ComfyUI's.
   */
  acceptAnyModelFile?: boolean;
}

/** Python-ish repr, for messages that mirror ComfyUI's. */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object") {
    try {
      return JSON.stringify(v);
    } catch {
      return "{...}";
    }
  }
  return String(v);
}

function pyStr(v: unknown): string {
  return typeof v === "string" ? v : pyRepr(v);
}

function typeLabel(t: unknown): string {
  return Array.isArray(t) ? "COMBO" : String(t);
}

export function typesCompatible(received: unknown, input: unknown): boolean {
  if (received === input) return true;
  const inputIsCombo = Array.isArray(input) || input === "COMBO";
  if (inputIsCombo) return received === "*" || received === "COMBO" || Array.isArray(received);
  if (typeof received !== "string" || typeof input !== "string") return false;
  const r = received.split(",").map((s) => s.trim());
  const i = input.split(",").map((s) => s.trim());
  if (r.includes("*") || i.includes("*")) return true;
  return r.some((t) => i.includes(t));
}

function toInt(v: unknown): number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

function toFloat(v: unknown): number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === "string" && /^\s*[+-]?(nan|inf|infinity)\s*$/i.test(v)) return /nan/i.test(v) ? NaN : /-/.test(v) ? -Infinity : Infinity;
  return undefined;
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === "number" || typeof a === "boolean") && (typeof b === "number" || typeof b === "boolean")) return Number(a) === Number(b);
  return false;
}

function isUploadInput(info: InputInfo): boolean {
  return ["image_upload", "video_upload", "audio_upload", "file_upload", "image_folder"].some((k) => info.opts[k]);
}

function inputConfig(info: InputInfo): unknown {
  return [info.rawType, info.opts];
}

interface NodeCheck {
  errors: ValidationError[];
  /** Upstream node ids linked through inputs that passed the link checks. */
  deps: string[];
}

function checkNode(id: string, prompt: ApiPrompt, def: NodeDef, objectInfo: ObjectInfo, opts: ValidateOptions): NodeCheck {
  const node = getOwn<Record<string, unknown>>(prompt, id)!;
  const inputs = isPlainObject(node.inputs) ? (node.inputs as Record<string, unknown>) : {};
  const errors: ValidationError[] = [];
  const deps: string[] = [];
  for (const info of defInputs(def)) {
    const x = info.name;
    if (!hasOwn(inputs, x)) {
      // Lenient mode: a widget input added to a node after the workflow was exported (e.g.
      // CLIPVisionEncode.crop) is filled with its default by the frontend, so do not fail on it.
      const fillable = opts.acceptAnyModelFile && isWidgetInput(info) && (hasOwn(info.opts, "default") || (info.options?.length ?? 0) > 0);
      if (info.category === "required" && !fillable) {
        errors.push({ type: "required_input_missing", message: "Required input is missing", details: x, extra_info: { input_name: x } });
      }
      continue;
    }
    let val = inputs[x];
    if (Array.isArray(val)) {
      if (!isLink(val)) {
        errors.push({
          type: "bad_linked_input",
          message: "Bad linked input, must be a length-2 list of [node_id, slot_index]",
          details: x,
          extra_info: { input_name: x, input_config: inputConfig(info), received_value: val },
        });
        continue;
      }
      const srcId = String(val[0]);
      const src = getOwn<Record<string, unknown>>(prompt, srcId);
      const srcDef = src && typeof src.class_type === "string" ? getDef(objectInfo, src.class_type) : undefined;
      if (!src || !srcDef) {
        errors.push({
          type: "bad_linked_input",
          message: "Linked node does not exist",
          details: `${x}: node '${srcId}' is not in the prompt`,
          extra_info: { input_name: x, input_config: inputConfig(info), received_value: val, linked_node: val },
        });
        continue;
      }
      const outs = outputTypes(srcDef);
      const rawOuts = Array.isArray(srcDef.output) ? srcDef.output : [];
      const idx = val[1];
      if (idx < 0 || idx >= outs.length) {
        errors.push({
          type: "return_type_mismatch",
          message: "Return type mismatch between linked nodes",
          details: `${x}, output index ${idx} does not exist on ${String(src.class_type)} (it has ${outs.length} outputs)`,
          extra_info: { input_name: x, input_config: inputConfig(info), received_type: null, linked_node: val },
        });
        continue;
      }
      const receivedType = rawOuts[idx];
      if (!typesCompatible(receivedType, info.rawType)) {
        errors.push({
          type: "return_type_mismatch",
          message: "Return type mismatch between linked nodes",
          details: `${x}, received_type(${typeLabel(receivedType)}) mismatch input_type(${typeLabel(info.rawType)})`,
          extra_info: { input_name: x, input_config: inputConfig(info), received_type: typeLabel(receivedType), linked_node: val },
        });
        continue;
      }
      deps.push(srcId);
      continue;
    }
    if (isPlainObject(val) && hasOwn(val, "__value__")) val = val.__value__;
    const t = info.type;
    if (t === "INT" || t === "FLOAT") {
      const n = t === "INT" ? toInt(val) : toFloat(val);
      if (n === undefined) {
        errors.push({
          type: "invalid_input_type",
          message: `Failed to convert an input value to a ${t} value`,
          details: `${x}, ${pyStr(val)}`,
          extra_info: { input_name: x, input_config: inputConfig(info), received_value: val },
        });
        continue;
      }
      const min = info.opts.min;
      const max = info.opts.max;
      if (typeof min === "number" && n < min) {
        errors.push({
          type: "value_smaller_than_min",
          message: `Value ${n} smaller than min of ${min}`,
          details: x,
          extra_info: { input_name: x, input_config: inputConfig(info), received_value: val },
        });
        continue;
      }
      if (typeof max === "number" && n > max) {
        errors.push({
          type: "value_bigger_than_max",
          message: `Value ${n} bigger than max of ${max}`,
          details: x,
          extra_info: { input_name: x, input_config: inputConfig(info), received_value: val },
        });
        continue;
      }
    } else if (t === "COMBO") {
      const options = info.options ?? [];
      if (options.some((o) => looseEquals(o, val))) continue;
      if (opts.acceptAnyModelFile && (looksLikeModelFile(val) || (isUploadInput(info) && typeof val === "string" && val !== ""))) continue;
      if (info.opts.multiselect === true && Array.isArray(val)) continue;
      const big = options.length > 20;
      errors.push({
        type: "value_not_in_list",
        message: "Value not in list",
        details: `${x}: ${pyRepr(typeof val === "string" ? val : pyStr(val))} not in ${big ? `(list of length ${options.length})` : pyRepr(options)}`,
        extra_info: { input_name: x, input_config: big ? null : inputConfig(info), received_value: val },
      });
    }
  }
  return { errors, deps };
}

function fail(type: string, message: string, details: string, extra: Record<string, unknown> = {}): PromptValidation {
  return { ok: false, error: { type, message, details, extra_info: extra }, node_errors: {} };
}

export function validatePrompt(prompt: ApiPrompt, objectInfo: ObjectInfo, opts: ValidateOptions = {}): PromptValidation {
  if (!isPlainObject(prompt)) return fail("invalid_prompt", "Prompt must be an object of nodes", "");
  const ids = Object.keys(prompt);
  const defs = new Map<string, NodeDef>();
  const outputs: string[] = [];
  let firstMissing: { id: string; type: string } | undefined;
  const missingTypes = new Set<string>();
  for (const id of ids) {
    const node = prompt[id] as unknown;
    const classType = isPlainObject(node) ? node.class_type : undefined;
    if (typeof classType !== "string") {
      return fail("invalid_prompt", "Cannot execute because a node is missing the class_type property.", `Node ID '#${id}'`);
    }
    const def = getDef(objectInfo, classType);
    if (!def) {
      firstMissing ??= { id, type: classType };
      missingTypes.add(classType);
      continue;
    }
    defs.set(id, def);
    if (isOutputNode(def)) outputs.push(id);
  }
  if (firstMissing) {
    return fail("invalid_prompt", `Cannot execute because node ${firstMissing.type} does not exist.`, `Node ID '#${firstMissing.id}'`, {
      missing_node_types: [...missingTypes],
    });
  }
  if (outputs.length === 0) return fail("prompt_no_outputs", "Prompt has no outputs", "");

  const checks = new Map<string, NodeCheck>();
  const check = (id: string): NodeCheck => {
    let c = checks.get(id);
    if (!c) {
      c = checkNode(id, prompt, defs.get(id)!, objectInfo, opts);
      checks.set(id, c);
    }
    return c;
  };

  // Depth-first from every output: post-order validity, cycle detection on the grey path.
  const valid = new Map<string, boolean>();
  const cyclic = findCycles(outputs, (id) => check(id).deps, (id, onCycle) => {
    const c = check(id);
    valid.set(id, c.errors.length === 0 && !onCycle.has(id) && c.deps.every((d) => valid.get(d) !== false && !onCycle.has(d)));
  });
  for (const id of cyclic) {
    check(id).errors.push({
      type: "dependency_cycle",
      message: "Dependency cycle detected",
      details: `Node ${id} depends on its own output`,
      extra_info: {},
    });
  }

  const nodeErrors: Record<string, NodeErrors> = {};
  const failedOutputs: string[] = [];
  for (const out of outputs) {
    if (valid.get(out) !== false) continue;
    failedOutputs.push(out);
    // Walk this output's ancestors to attribute it to every failing node upstream.
    const seen = new Set<string>([out]);
    const queue = [out];
    while (queue.length) {
      const id = queue.pop()!;
      const c = check(id);
      if (c.errors.length > 0) {
        let ne = getOwn<NodeErrors>(nodeErrors, id);
        if (!ne) {
          ne = { errors: c.errors, dependent_outputs: [], class_type: String(prompt[id]!.class_type) };
          setOwn(nodeErrors, id, ne);
        }
        ne.dependent_outputs.push(out);
      }
      for (const d of c.deps) if (!seen.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  if (failedOutputs.length === 0) return { ok: true, node_errors: {} };
  const lines: string[] = [];
  for (const [id, ne] of Object.entries(nodeErrors)) {
    for (const e of ne.errors) lines.push(`${e.message}: ${e.details} (node ${id}, ${ne.class_type})`);
  }
  return {
    ok: false,
    error: { type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: lines.join("\n"), extra_info: {} },
    node_errors: nodeErrors,
  };
}

export interface Compatibility {
  missingNodes: string[];
  missingModels: { nodeId: string; input: string; name: string }[];
  errors: PromptValidation;
}

/** Can a server with this /object_info run the prompt? Missing node classes and model files, plus full validation. */
export function checkCompatibility(prompt: ApiPrompt, objectInfo: ObjectInfo): Compatibility {
  const missingNodes: string[] = [];
  const missingModels: { nodeId: string; input: string; name: string }[] = [];
  if (isPlainObject(prompt)) {
    for (const id of Object.keys(prompt)) {
      const node = prompt[id] as unknown;
      if (!isPlainObject(node) || typeof node.class_type !== "string") continue;
      const def = getDef(objectInfo, node.class_type);
      if (!def) {
        if (!missingNodes.includes(node.class_type)) missingNodes.push(node.class_type);
        continue;
      }
      const inputs = isPlainObject(node.inputs) ? node.inputs : {};
      for (const info of defInputs(def)) {
        if (info.type !== "COMBO" || !hasOwn(inputs, info.name)) continue;
        const v = inputs[info.name];
        if (typeof v !== "string" || (info.options ?? []).some((o) => o === v)) continue;
        if (isModelInput(node.class_type, info.name, v, objectInfo)) missingModels.push({ nodeId: id, input: info.name, name: v });
      }
    }
  }
  return { missingNodes, missingModels, errors: validatePrompt(prompt, objectInfo) };
}
