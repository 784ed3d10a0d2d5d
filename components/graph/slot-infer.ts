// Slot inference used by the graph's slot panel: what kind of API parameter a literal input
// becomes (type, default, limits, choices) from its node definition and current value.
// Delegates to inferSlot in lib/comfy-graph/slots.ts (browser-safe) and adds the editor's naming.
import type { ApiPrompt, Slot } from "../api";
import { isLink } from "./model";
import type { ObjectInfoLite } from "./object-info";
import { inferSlot, isSlotRefusal } from "@/lib/comfy-graph/slots";
import type { ApiPrompt as LibPrompt, ObjectInfo } from "@/lib/comfy-graph/types";

export type InferResult = { ok: true; slot: Slot } | { ok: false; reason: string };

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
  // The type, limits and choices come from the workflow library, the same code the API validates with.
  const inferred = inferSlot(prompt as unknown as LibPrompt, nodeId, input, (objectInfo ?? undefined) as unknown as ObjectInfo | undefined);
  if (isSlotRefusal(inferred)) return { ok: false, reason: inferred.message };
  const base = node.class_type === "CLIPTextEncode" && input === "text" ? "prompt" : inferred.type === "seed" ? "seed" : inferred.name;
  return { ok: true, slot: { ...inferred, name: uniqueName(base, takenNames), required: inferred.required ?? false } };
}
