// What changed between two versions of a workflow (API-format prompts), and which slots of a
// deployment still resolve on the new version — the basis of "move this deployment to version N+1".
import { isLink } from "./api-format";
import { getOwn, hasOwn, isPlainObject } from "./own";
import { canonicalJson } from "./hash";
import type { ApiPrompt } from "./types";
import type { Slot } from "./slots";

export interface PromptDiff {
  added: { id: string; classType: string }[];
  removed: { id: string; classType: string }[];
  changed: { id: string; classType: string; classChanged?: { from: string; to: string }; inputs: { name: string; before: unknown; after: unknown }[] }[];
  unchanged: number;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

export function diffPrompts(before: ApiPrompt, after: ApiPrompt): PromptDiff {
  const diff: PromptDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const byId = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  for (const id of Object.keys(after).sort(byId)) {
    const next = getOwn<ApiPrompt[string]>(after, id)!;
    const prev = hasOwn(before, id) ? getOwn<ApiPrompt[string]>(before, id) : undefined;
    if (!prev) {
      diff.added.push({ id, classType: next.class_type });
      continue;
    }
    const a = isPlainObject(prev.inputs) ? prev.inputs : {};
    const b = isPlainObject(next.inputs) ? next.inputs : {};
    const inputs: PromptDiff["changed"][number]["inputs"] = [];
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const x = hasOwn(a, name) ? a[name] : undefined;
      const y = hasOwn(b, name) ? b[name] : undefined;
      if (!same(x, y)) inputs.push({ name, before: x, after: y });
    }
    if (inputs.length || prev.class_type !== next.class_type) {
      diff.changed.push({
        id,
        classType: next.class_type,
        ...(prev.class_type !== next.class_type ? { classChanged: { from: prev.class_type, to: next.class_type } } : {}),
        inputs,
      });
    } else diff.unchanged++;
  }
  for (const id of Object.keys(before).sort(byId)) {
    if (!hasOwn(after, id)) diff.removed.push({ id, classType: getOwn<ApiPrompt[string]>(before, id)!.class_type });
  }
  return diff;
}

export interface SlotCarryOver {
  kept: Slot[];
  unresolved: { slot: Slot; reason: string }[];
}

/** Slots carry over when their node id and input still exist as a literal on the new version. */
export function carryOverSlots(slots: Slot[], next: ApiPrompt): SlotCarryOver {
  const out: SlotCarryOver = { kept: [], unresolved: [] };
  for (const slot of slots) {
    const node = hasOwn(next, slot.nodeId) ? getOwn<ApiPrompt[string]>(next, slot.nodeId) : undefined;
    if (!node) out.unresolved.push({ slot, reason: `node ${slot.nodeId} is not in the new version` });
    else if (!isPlainObject(node.inputs) || !hasOwn(node.inputs, slot.input)) out.unresolved.push({ slot, reason: `node ${slot.nodeId} (${node.class_type}) has no input "${slot.input}" any more` });
    else if (isLink(node.inputs[slot.input])) out.unresolved.push({ slot, reason: `input "${slot.input}" of node ${slot.nodeId} is now connected to another node, not a value` });
    else out.kept.push(slot);
  }
  return out;
}
