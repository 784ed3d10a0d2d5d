// Slots: the named inputs of a deployment, each bound to one literal input of one node.
// Inference from node definitions (click-to-expose), checks against the prompt, the JSON Schema
// of a run's `inputs`, validation of submitted values, and applying them to a copy of the prompt.
import { isLink } from "./api-format";
import { isModelInput } from "./models";
import { findInput, getDef, hasControlWidget, type InputInfo } from "./object-info";
import { getOwn, hasOwn, isPlainObject, RESERVED_KEYS, setOwn } from "./own";
import type { ApiPrompt, ObjectInfo } from "./types";

export type SlotType = "string" | "integer" | "number" | "boolean" | "image" | "enum" | "seed";
export const SLOT_TYPES: readonly SlotType[] = ["string", "integer", "number", "boolean", "image", "enum", "seed"];

export interface Slot {
  name: string;
  nodeId: string;
  input: string;
  type: SlotType;
  required?: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  enum?: (string | number)[];
  description?: string;
}

export interface SlotRefusal {
  refused: true;
  code: "slot_unknown_node" | "slot_unknown_input" | "slot_linked_input";
  message: string;
}

export interface SlotProblem {
  slot?: string;
  message: string;
  code: string;
}

export const SEED_MAX = Number.MAX_SAFE_INTEGER;
const SLOT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const UPLOAD_KIND: [string, string][] = [["image_upload", "image"], ["video_upload", "video"], ["audio_upload", "audio"], ["file_upload", "file"]];

export function isSlotRefusal(v: Slot | SlotRefusal): v is SlotRefusal {
  return (v as SlotRefusal).refused === true;
}

/** A usable slot name from an input name: identifier characters only. */
export function slotNameFor(input: string): string {
  let n = input.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  if (!n) n = "input";
  if (/^[0-9]/.test(n)) n = `_${n}`;
  if (RESERVED_KEYS.has(n)) n = `${n}_`;
  return n.slice(0, 64);
}

function clampSafe(n: unknown): number | undefined {
  if (typeof n !== "number" || !Number.isFinite(n)) return undefined;
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/**
 * The range a new slot offers callers: a node's hard limits are what the model code tolerates
 * (EmptyLatentImage width 16–16384, batch_size 1–4096, KSampler steps 1–10000), not what a caller
 * of a deployed API should be invited to send. Intersected with the node's limits; editable.
 */
const SENSIBLE_RANGES: [RegExp, { min: number; max: number; step?: number }][] = [
  [/^(width|height)$/, { min: 64, max: 2048, step: 8 }],
  [/^batch_size$/, { min: 1, max: 8 }],
  [/^steps$/, { min: 1, max: 150 }],
  [/^cfg$/, { min: 0, max: 30 }],
  [/^guidance$/, { min: 0, max: 20 }],
  [/^(strength_model|strength_clip)$/, { min: -2, max: 2 }],
];

export interface InputLimits {
  min?: number;
  max?: number;
  step?: number;
}

/** The node definition's own limits for a numeric input (what ComfyUI itself enforces). */
export function inputLimits(prompt: ApiPrompt, nodeId: string, input: string, objectInfo?: ObjectInfo): InputLimits {
  const node = getOwn<{ class_type?: unknown }>(prompt, nodeId);
  const def = isPlainObject(node) && typeof node.class_type === "string" ? getDef(objectInfo, node.class_type) : undefined;
  const info = def ? findInput(def, input) : undefined;
  const out: InputLimits = {};
  const min = clampSafe(info?.opts.min);
  const max = clampSafe(info?.opts.max);
  const step = clampSafe(info?.opts.step);
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  if (step !== undefined && step > 0) out.step = step;
  return out;
}

/** The offered range: sensible limits for well-known inputs, within the hard ones, always including the current value. */
export function offeredRange(input: string, hard: InputLimits, value: unknown): InputLimits {
  const sensible = SENSIBLE_RANGES.find(([re]) => re.test(input))?.[1];
  if (!sensible) return hard;
  let min = Math.max(sensible.min, hard.min ?? -Infinity);
  let max = Math.min(sensible.max, hard.max ?? Infinity);
  if (typeof value === "number" && Number.isFinite(value)) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min > max) return hard;
  const out: InputLimits = { min, max };
  const step = hard.step ?? sensible.step;
  if (step !== undefined) out.step = step;
  return out;
}

export function uploadKind(info: InputInfo | undefined, classType: string, input: string): string | undefined {
  if (info) for (const [opt, kind] of UPLOAD_KIND) if (info.opts[opt]) return kind;
  if (/^Load(Image|Video|Audio)/.test(classType) && ["image", "video", "audio", "file"].includes(input)) return input;
  return undefined;
}

/** Type, limits and default of one literal input, from its definition (or its value when there is none). */
export function inferSlot(prompt: ApiPrompt, nodeId: string, input: string, objectInfo?: ObjectInfo): Slot | SlotRefusal {
  const node = getOwn<{ class_type?: unknown; inputs?: unknown; _meta?: { title?: unknown } }>(prompt, nodeId);
  if (!isPlainObject(node)) return { refused: true, code: "slot_unknown_node", message: `Node ${nodeId} is not in the workflow` };
  const inputs = isPlainObject(node.inputs) ? node.inputs : {};
  if (!hasOwn(inputs, input)) {
    return { refused: true, code: "slot_unknown_input", message: `Node ${nodeId} has no input named ${JSON.stringify(input)}` };
  }
  const value = inputs[input];
  if (isLink(value)) {
    return {
      refused: true,
      code: "slot_linked_input",
      message: `Input ${input} of node ${nodeId} is connected to node ${String(value[0])}; only literal values can be exposed as slots`,
    };
  }
  const classType = typeof node.class_type === "string" ? node.class_type : "";
  const def = getDef(objectInfo, classType);
  const info = def ? findInput(def, input) : undefined;
  const title = typeof node._meta?.title === "string" ? node._meta.title : classType;
  const slot: Slot = { name: slotNameFor(input), nodeId, input, type: "string" };
  const tooltip = typeof info?.opts.tooltip === "string" ? info.opts.tooltip : undefined;
  slot.description = tooltip ? `${title} · ${input}: ${tooltip}` : `${title} · ${input}`;

  const upload = uploadKind(info, classType, input);
  if (upload) {
    slot.type = "image";
    slot.description = `${title} · ${input}: an uploaded ${upload} (data URI, base64 or http(s) URL)`;
    return slot;
  }
  const t = info?.type;
  const isSeedName = /(^|_)seed$/.test(input);
  if (t === "INT" || (!info && typeof value === "number" && Number.isInteger(value))) {
    slot.type = isSeedName && (!info || hasControlWidget(info)) ? "seed" : "integer";
  } else if (t === "FLOAT" || (!info && typeof value === "number")) {
    slot.type = "number";
  } else if (t === "BOOLEAN" || (!info && typeof value === "boolean")) {
    slot.type = "boolean";
  } else if (t === "COMBO") {
    const options = (info?.options ?? []).filter((o): o is string | number => typeof o === "string" || typeof o === "number");
    if (isModelInput(classType, input, value, objectInfo) || options.length === 0) {
      slot.type = "string"; // model lists differ per server; the endpoint check validates the name
    } else {
      slot.type = "enum";
      slot.enum = options.slice(0, 1000);
      if (value !== undefined && (typeof value === "string" || typeof value === "number") && !slot.enum.includes(value)) slot.enum.push(value);
    }
  } else {
    slot.type = "string";
  }
  if (slot.type === "integer" || slot.type === "number") {
    const r = offeredRange(input, inputLimits(prompt, nodeId, input, objectInfo), value);
    if (r.min !== undefined) slot.min = r.min;
    if (r.max !== undefined) slot.max = r.max;
    if (r.step !== undefined) slot.step = r.step;
  }
  if (slot.type === "seed") {
    slot.min = 0;
    slot.max = SEED_MAX;
    slot.description = `${title} · ${input}: leave empty for a fresh random seed per run`;
    return slot; // no default: an empty seed means a random one
  }
  if (value !== undefined && value !== null && typeof value !== "object") slot.default = value;
  return slot;
}

/** Problems with a slot list against a prompt: unknown node/input, linked input, duplicate or bad names. */
export function validateSlots(slots: Slot[], prompt: ApiPrompt): SlotProblem[] {
  const problems: SlotProblem[] = [];
  if (!Array.isArray(slots)) return [{ message: "slots must be an array", code: "slot_invalid" }];
  const names = new Set<string>();
  const targets = new Map<string, string>();
  for (const slot of slots) {
    if (!isPlainObject(slot)) {
      problems.push({ message: "Each slot must be an object", code: "slot_invalid" });
      continue;
    }
    const name = typeof slot.name === "string" ? slot.name : "";
    const ref = name || undefined;
    if (!SLOT_NAME.test(name) || RESERVED_KEYS.has(name)) {
      problems.push({ slot: ref, code: "slot_invalid_name", message: `Slot name ${JSON.stringify(slot.name)} must be an identifier (letters, digits, _; not starting with a digit; at most 64 characters)` });
    } else if (names.has(name)) {
      problems.push({ slot: ref, code: "slot_duplicate_name", message: `Slot name ${name} is used more than once` });
    }
    names.add(name);
    if (!SLOT_TYPES.includes(slot.type)) {
      problems.push({ slot: ref, code: "slot_invalid_type", message: `Slot ${name} has unknown type ${JSON.stringify(slot.type)}` });
    }
    if (slot.type === "enum" && (!Array.isArray(slot.enum) || slot.enum.length === 0)) {
      problems.push({ slot: ref, code: "slot_invalid_enum", message: `Enum slot ${name} needs a non-empty enum list` });
    }
    if (typeof slot.min === "number" && typeof slot.max === "number" && slot.min > slot.max) {
      problems.push({ slot: ref, code: "slot_invalid_range", message: `Slot ${name} has min ${slot.min} greater than max ${slot.max}` });
    }
    const bad = defaultProblem(slot);
    if (bad) problems.push({ slot: ref, code: "slot_invalid_default", message: `The default of slot ${name} is not a valid value for it: ${bad}` });
    const nodeId = typeof slot.nodeId === "string" ? slot.nodeId : String(slot.nodeId);
    const node = getOwn<{ inputs?: unknown }>(prompt, nodeId);
    if (!isPlainObject(node)) {
      problems.push({ slot: ref, code: "slot_unknown_node", message: `Slot ${name} points at node ${nodeId}, which is not in the workflow` });
      continue;
    }
    const inputs = isPlainObject(node.inputs) ? node.inputs : {};
    if (typeof slot.input !== "string" || !hasOwn(inputs, slot.input)) {
      problems.push({ slot: ref, code: "slot_unknown_input", message: `Slot ${name} points at input ${JSON.stringify(slot.input)}, which node ${nodeId} does not have` });
      continue;
    }
    if (isLink(inputs[slot.input])) {
      problems.push({ slot: ref, code: "slot_linked_input", message: `Slot ${name} points at input ${slot.input} of node ${nodeId}, which is connected to another node; only literal inputs can be slots` });
      continue;
    }
    const key = `${nodeId}\u0000${slot.input}`;
    const other = targets.get(key);
    if (other !== undefined) {
      problems.push({ slot: ref, code: "slot_duplicate_target", message: `Slots ${other} and ${name} both set input ${slot.input} of node ${nodeId}` });
    } else targets.set(key, name);
  }
  return problems;
}

/** Why a slot's default could never be used (checked as a run input would be: type, min/max, enum), or null. */
function defaultProblem(slot: Slot): string | null {
  if (slot.default === undefined || slot.default === null || !SLOT_TYPES.includes(slot.type)) return null;
  if (slot.default === "" && slot.type !== "string") return null; // an emptied form field: no default
  const r = validateRunInputs([{ ...slot, required: false }], { [slot.name]: slot.default });
  return r.ok ? null : (r.errors[0]?.message ?? "invalid");
}

/**
 * The default as runs will use it: a default that validateSlots accepted in a coercible spelling
 * ("7" for an integer, "true" for a boolean) is stored as the value itself, so ComfyUI receives 7 / true;
 * an empty string on a non-string slot (an emptied form field) means no default.
 */
export function normalizeSlotDefault(slot: Slot): unknown {
  if (slot.default === undefined || slot.default === null || !SLOT_TYPES.includes(slot.type)) return slot.default;
  if (slot.default === "" && slot.type !== "string") return undefined;
  const r = validateRunInputs([{ ...slot, required: false }], { [slot.name]: slot.default });
  return r.ok && hasOwn(r.values, slot.name) ? r.values[slot.name] : slot.default;
}

/** JSON Schema (draft 2020-12) of a run's `inputs` object. */
export function slotsJsonSchema(slots: Slot[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const s of slots) {
    const p: Record<string, unknown> = {};
    switch (s.type) {
      case "string":
        p.type = "string";
        break;
      case "integer":
        p.type = "integer";
        break;
      case "number":
        p.type = "number";
        break;
      case "boolean":
        p.type = "boolean";
        break;
      case "image":
        p.type = "string";
        p.contentMediaType = "image/*";
        break;
      case "enum": {
        const values = s.enum ?? [];
        p.enum = values;
        const kinds = new Set(values.map((v) => typeof v));
        if (kinds.size === 1) p.type = kinds.has("number") ? "number" : "string";
        break;
      }
      case "seed":
        p.type = ["integer", "null"];
        p.minimum = 0;
        p.maximum = SEED_MAX;
        break;
    }
    if (s.type === "integer" || s.type === "number") {
      if (typeof s.min === "number") p.minimum = s.min;
      if (typeof s.max === "number") p.maximum = s.max;
      if (s.type === "number" && typeof s.step === "number" && s.step > 0) p["x-step"] = s.step;
      if (s.type === "integer" && typeof s.step === "number" && s.step > 1 && Number.isInteger(s.step)) p["x-step"] = s.step;
    }
    const description = s.type === "image" ? `${s.description ?? s.name} — data URI, raw base64 or http(s) URL` : s.description;
    if (description) p.description = description;
    if (s.default !== undefined && s.type !== "seed") p.default = s.default;
    setOwn(properties, s.name, p);
    if (s.required) required.push(s.name);
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

function coerceNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)?.slice(0, 60)}`;
}

export type RunInputsResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: { slot: string; message: string }[] };

/** Checks a run's `inputs` against the slots. Numeric strings are accepted for numbers ("7" → 7), "true"/"false" for booleans. */
export function validateRunInputs(slots: Slot[], inputs: unknown): RunInputsResult {
  const errors: { slot: string; message: string }[] = [];
  const values: Record<string, unknown> = {};
  if (inputs === undefined || inputs === null) inputs = {};
  if (!isPlainObject(inputs)) return { ok: false, errors: [{ slot: "", message: `inputs must be an object, got ${describe(inputs)}` }] };
  const byName = new Map<string, Slot>();
  for (const s of slots) byName.set(s.name, s);
  for (const key of Object.keys(inputs)) {
    if (!byName.has(key)) {
      errors.push({ slot: key, message: `Unknown input ${JSON.stringify(key)}; expected one of: ${[...byName.keys()].join(", ") || "(none)"}` });
    }
  }
  for (const s of slots) {
    const present = hasOwn(inputs, s.name) && inputs[s.name] !== undefined;
    const raw = present ? inputs[s.name] : undefined;
    if (!present || raw === null || (s.type === "seed" && raw === "")) {
      if (s.required && s.type !== "seed") errors.push({ slot: s.name, message: `${s.name} is required` });
      else if (s.required && s.type === "seed" && !present) errors.push({ slot: s.name, message: `${s.name} is required` });
      continue;
    }
    let v: unknown = raw;
    const fail = (message: string) => errors.push({ slot: s.name, message });
    switch (s.type) {
      case "string":
        if (typeof raw !== "string") {
          fail(`${s.name} must be a string, got ${describe(raw)}`);
          continue;
        }
        break;
      case "image":
        if (typeof raw !== "string" || raw.trim() === "") {
          fail(`${s.name} must be an image: a data URI, base64 string or http(s) URL`);
          continue;
        }
        break;
      case "boolean":
        if (raw === "true" || raw === "false") v = raw === "true";
        else if (typeof raw !== "boolean") {
          fail(`${s.name} must be true or false, got ${describe(raw)}`);
          continue;
        }
        break;
      case "integer":
      case "number":
      case "seed": {
        const n = coerceNumber(raw);
        if (n === undefined || (s.type !== "number" && !Number.isInteger(n))) {
          fail(`${s.name} must be ${s.type === "number" ? "a number" : "an integer"}, got ${describe(raw)}`);
          continue;
        }
        if (s.type === "seed" && (n < 0 || n > SEED_MAX)) {
          fail(`${s.name} must be between 0 and ${SEED_MAX}`);
          continue;
        }
        if (typeof s.min === "number" && n < s.min) {
          fail(`${s.name} must be at least ${s.min}, got ${n}`);
          continue;
        }
        if (typeof s.max === "number" && n > s.max) {
          fail(`${s.name} must be at most ${s.max}, got ${n}`);
          continue;
        }
        v = n;
        break;
      }
      case "enum": {
        const allowed = s.enum ?? [];
        const match = allowed.find((a) => a === raw || (typeof a === "number" && coerceNumber(raw) === a));
        if (match === undefined) {
          const list = allowed.length > 20 ? `${allowed.slice(0, 20).map((a) => JSON.stringify(a)).join(", ")}, … (${allowed.length} values)` : allowed.map((a) => JSON.stringify(a)).join(", ");
          fail(`${s.name} must be one of ${list}; got ${describe(raw)}`);
          continue;
        }
        v = match;
        break;
      }
      default:
        fail(`${s.name} has an unknown slot type`);
        continue;
    }
    setOwn(values, s.name, v);
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

function clonePrompt(prompt: ApiPrompt): ApiPrompt {
  return JSON.parse(JSON.stringify(prompt)) as ApiPrompt;
}

/**
 * Applies slot values to a copy of the prompt. Missing values fall back to the slot default, else
 * the workflow's own literal; an empty seed slot gets a fresh random seed; an image slot takes the
 * uploaded file's name from `imageNames`. `resolved` records what each slot ended up as.
 */
export function applyInputs(
  prompt: ApiPrompt,
  slots: Slot[],
  values: Record<string, unknown>,
  opts: { imageNames?: Record<string, string>; random?: () => number } = {},
): { prompt: ApiPrompt; resolved: Record<string, unknown> } {
  const out = clonePrompt(prompt);
  const resolved: Record<string, unknown> = {};
  const random = opts.random ?? Math.random;
  for (const s of slots) {
    const node = getOwn<{ inputs?: Record<string, unknown> }>(out, s.nodeId);
    if (!isPlainObject(node)) continue;
    if (!isPlainObject(node.inputs)) node.inputs = {};
    let v: unknown = hasOwn(values ?? {}, s.name) ? values[s.name] : undefined;
    if (s.type === "seed") {
      if (v === undefined || v === null || v === "") v = Math.floor(random() * 2 ** 50);
    } else if (s.type === "image") {
      const uploaded = opts.imageNames && hasOwn(opts.imageNames, s.name) ? opts.imageNames[s.name] : undefined;
      if (uploaded !== undefined) v = uploaded;
    }
    if (v === undefined || v === null) v = s.default;
    if (v === undefined) {
      setOwn(resolved, s.name, node.inputs![s.input]);
      continue;
    }
    setOwn(node.inputs!, s.input, v);
    setOwn(resolved, s.name, v);
  }
  return { prompt: out, resolved };
}
