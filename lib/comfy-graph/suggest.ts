// suggestSlots: the inputs a user most likely wants to expose — positive/negative prompt (found by
// walking back from the sampler's conditioning to the text encoder), seed, steps, cfg, denoise,
// guidance, latent size, image/video/audio loaders and LoRA strengths. Names are unique identifiers.
import { isLink } from "./api-format";
import { inputsOf, nodeOf, outputNodeIds, reachableFromOutputs, sortedIds } from "./graph";
import { bundledObjectInfo } from "./bundled";
import { defInputs, getDef } from "./object-info";
import { inferSlot, isSlotRefusal, type Slot } from "./slots";
import type { ApiPrompt, ObjectInfo } from "./types";

const TEXT_INPUTS = ["text", "prompt", "text_g", "t5xxl", "clip_l", "text_l", "clip_g", "llama", "user_prompt", "positive_prompt", "caption", "bert", "mt5xl"];
const SCALAR_INPUTS: Record<string, string> = {
  seed: "seed",
  noise_seed: "seed",
  steps: "steps",
  cfg: "cfg",
  denoise: "denoise",
  guidance: "guidance",
};
const SIZE_INPUTS = ["width", "height", "length", "batch_size"];
const LORA_INPUTS: Record<string, string> = { strength_model: "lora_strength", strength_clip: "lora_clip_strength", strength: "lora_strength" };

interface Target {
  nodeId: string;
  input: string;
}

/** A literal input, or the literal behind a one-hop link to a primitive-like node (one literal, no links). */
function literalTarget(prompt: ApiPrompt, nodeId: string, input: string): Target | undefined {
  const v = inputsOf(nodeOf(prompt, nodeId))[input];
  if (v === undefined) return undefined;
  if (!isLink(v)) return typeof v === "object" && v !== null ? undefined : { nodeId, input };
  const srcId = String(v[0]);
  const src = inputsOf(nodeOf(prompt, srcId));
  const entries = Object.entries(src);
  if (entries.some(([, x]) => isLink(x))) return undefined;
  const literals = entries.filter(([, x]) => x === null || typeof x !== "object");
  if (literals.length === 1) return { nodeId: srcId, input: literals[0]![0] };
  const named = literals.find(([k]) => k === "value" || k === "text" || k === "string" || k === "seed");
  return named ? { nodeId: srcId, input: named[0] } : undefined;
}

function textInputOf(prompt: ApiPrompt, nodeId: string, objectInfo: ObjectInfo): Target | undefined {
  const node = nodeOf(prompt, nodeId);
  if (!node) return undefined;
  const inputs = inputsOf(node);
  for (const name of TEXT_INPUTS) {
    if (name in inputs) {
      const t = literalTarget(prompt, nodeId, name);
      if (t && typeof inputsOf(nodeOf(prompt, t.nodeId))[t.input] === "string") return t;
    }
  }
  const def = getDef(objectInfo, node.class_type);
  if (def) {
    for (const info of defInputs(def)) {
      if (info.type === "STRING" && info.opts.multiline === true) {
        const t = literalTarget(prompt, nodeId, info.name);
        if (t) return t;
      }
    }
  }
  return undefined;
}

/** Walk back from a conditioning link to the first text encoder (breadth first, through conditioning nodes). */
function findEncoder(prompt: ApiPrompt, start: unknown, objectInfo: ObjectInfo): Target | undefined | "zero" {
  if (!isLink(start)) return undefined;
  const queue: string[] = [String(start[0])];
  const seen = new Set<string>(queue);
  let steps = 0;
  while (queue.length && steps++ < 64) {
    const id = queue.shift()!;
    const node = nodeOf(prompt, id);
    if (!node) continue;
    if (node.class_type === "ConditioningZeroOut" && steps === 1) return "zero";
    const t = textInputOf(prompt, id, objectInfo);
    if (t) return t;
    const inputs = inputsOf(node);
    const names = Object.keys(inputs).sort((a, b) => rank(a) - rank(b));
    for (const name of names) {
      const v = inputs[name];
      if (!isLink(v) || /^(clip|model|vae|image|pixels|mask|control_net|style_model|clip_vision|latent|samples)/.test(name)) continue;
      const src = String(v[0]);
      if (!seen.has(src)) {
        seen.add(src);
        queue.push(src);
      }
    }
  }
  return undefined;
}

function rank(name: string): number {
  if (/^(conditioning|cond|positive)/.test(name)) return 0;
  if (/^(conditioning_to|conditioning_1)/.test(name)) return 1;
  return 2;
}

function isSampler(classType: string, inputs: Record<string, unknown>): boolean {
  if (!("positive" in inputs)) return false;
  return /sampler|guider/i.test(classType) || ("model" in inputs && ("latent_image" in inputs || "cfg" in inputs));
}

export function suggestSlots(prompt: ApiPrompt, objectInfo: ObjectInfo = bundledObjectInfo()): Slot[] {
  const slots: Slot[] = [];
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const taken = new Set<string>();
  const add = (t: Target | undefined, name: string, patch: Partial<Slot> = {}) => {
    if (!t) return;
    const key = `${t.nodeId}\u0000${t.input}`;
    if (taken.has(key)) return;
    const s = inferSlot(prompt, t.nodeId, t.input, objectInfo);
    if (isSlotRefusal(s)) return;
    let unique = name;
    let i = nextSuffix.get(name) ?? 2;
    while (used.has(unique)) unique = `${name}_${i++}`;
    nextSuffix.set(name, i);
    used.add(unique);
    taken.add(key);
    slots.push({ ...s, ...patch, name: unique });
  };

  const reachable = reachableFromOutputs(prompt, outputNodeIds(prompt, objectInfo));
  const ids = sortedIds(prompt).filter((id) => reachable.has(id));

  // Prompts first: follow each sampler's (or guider's) positive/negative conditioning back to its encoder.
  for (const id of ids) {
    const node = nodeOf(prompt, id)!;
    const inputs = inputsOf(node);
    const guider = /guider/i.test(node.class_type) && ("conditioning" in inputs || "cond1" in inputs);
    if (!isSampler(node.class_type, inputs) && !guider) continue;
    const pos = findEncoder(prompt, inputs.positive ?? inputs.conditioning ?? inputs.cond1, objectInfo);
    if (pos && pos !== "zero") add(pos, "prompt", { description: "What to generate (positive prompt)" });
    const neg = findEncoder(prompt, inputs.negative, objectInfo);
    if (neg && neg !== "zero") add(neg, "negative_prompt", { description: "What to avoid (negative prompt)" });
  }

  // Media inputs.
  for (const id of ids) {
    const node = nodeOf(prompt, id)!;
    for (const name of ["image", "video", "audio", "file"]) {
      if (!(name in inputsOf(node))) continue;
      const s = inferSlot(prompt, id, name, objectInfo);
      if (!isSlotRefusal(s) && s.type === "image") add({ nodeId: id, input: name }, name);
    }
  }

  // Sampling parameters, latent size, LoRA strengths — in node order.
  for (const id of ids) {
    const node = nodeOf(prompt, id)!;
    const inputs = inputsOf(node);
    for (const [input, name] of Object.entries(SCALAR_INPUTS)) {
      if (input in inputs) add(literalTarget(prompt, id, input), name);
    }
    if (/latent|imagetovideo|texttovideo|i2v|t2v/i.test(node.class_type) && !/sampler|scheduler|upscale/i.test(node.class_type)) {
      for (const input of SIZE_INPUTS) if (input in inputs) add(literalTarget(prompt, id, input), input);
    }
    if (/lora/i.test(node.class_type)) {
      for (const [input, name] of Object.entries(LORA_INPUTS)) if (input in inputs) add(literalTarget(prompt, id, input), name);
    }
  }
  return slots;
}
