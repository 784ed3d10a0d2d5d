// Slot inference used by the graph's slot panel: what kind of API parameter a literal input
// becomes (type, default, limits, choices) from its node definition and current value.
// Mirrors inferSlot in lib/workflow/slots.ts, which cannot be bundled for the browser yet: it
// reaches lib/workflow/object-info.ts, which imports node:fs at module level.
import type { ApiPrompt, Slot, SlotType } from "../api";
import { isLink } from "./model";
import { inputSpec, type ObjectInfoLite } from "./object-info";

export type InferResult = { ok: true; slot: Slot } | { ok: false; reason: string };

const SEED_NAMES = new Set(["seed", "noise_seed"]);

export function slotKey(s: { nodeId: string; input: string }) {
  return `${s.nodeId}.${s.input}`;
}

export function uniqueName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  const clean = base.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "input";
  if (!set.has(clean)) return clean;
  for (let i = 2; ; i++) if (!set.has(`${clean}_${i}`)) return `${clean}_${i}`;
}

export function inferSlotFor(
  prompt: ApiPrompt,
  nodeId: string,
  input: string,
  objectInfo: ObjectInfoLite | null,
  takenNames: string[],
): InferResult {
  const node = prompt[nodeId];
  if (!node) return { ok: false, reason: `Node #${nodeId} is not part of this version.` };
  const value = node.inputs?.[input];
  if (isLink(value)) {
    const from = prompt[String(value[0])];
    return {
      ok: false,
      reason: `“${input}” is wired to the output of #${value[0]}${from ? ` (${from.class_type})` : ""}, so its value is computed while the workflow runs. Only literal values can become API parameters: expose a literal input of that upstream node instead.`,
    };
  }
  const def = objectInfo && Object.prototype.hasOwnProperty.call(objectInfo, node.class_type) ? objectInfo[node.class_type] : undefined;
  const spec = inputSpec(def, input);
  let type: SlotType;
  let min: number | undefined;
  let max: number | undefined;
  let choices: (string | number)[] | undefined;
  const opts = spec?.opts ?? {};
  const raw = spec?.type;
  const list = Array.isArray(raw) ? raw : raw === "COMBO" && Array.isArray(opts.options) ? (opts.options as unknown[]) : null;
  if (list) {
    if (opts.image_upload || input === "image") type = "image";
    else {
      type = "enum";
      choices = list.filter((c): c is string | number => typeof c === "string" || typeof c === "number");
    }
  } else if (raw === "INT") {
    type = SEED_NAMES.has(input) || opts.control_after_generate ? "seed" : "integer";
  } else if (raw === "FLOAT") type = "number";
  else if (raw === "BOOLEAN") type = "boolean";
  else if (raw === "STRING") type = "string";
  else if (typeof value === "boolean") type = "boolean";
  else if (typeof value === "number") type = SEED_NAMES.has(input) ? "seed" : Number.isInteger(value) ? "integer" : "number";
  else type = "string";
  if (type === "integer" || type === "number") {
    if (typeof opts.min === "number") min = opts.min;
    if (typeof opts.max === "number" && opts.max < Number.MAX_SAFE_INTEGER) max = opts.max;
  }
  const base =
    node.class_type === "CLIPTextEncode" && input === "text"
      ? "prompt"
      : type === "seed"
        ? "seed"
        : input;
  const slot: Slot = {
    name: uniqueName(base, takenNames),
    nodeId,
    input,
    type,
    required: false,
    default: type === "image" ? undefined : value,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(choices ? { enum: choices } : {}),
    ...(typeof opts.tooltip === "string" ? { description: opts.tooltip } : {}),
  };
  if (type === "seed") delete slot.default;
  return { ok: true, slot };
}
