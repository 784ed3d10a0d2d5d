"use client";
// The slots being prepared for a deployment of one workflow version: only the ones the user chose
// (clicked in the graph, or a suggestion they accepted). The analysis' suggestions are offers beside
// them, never deployed unless accepted; dismissed ones are remembered. Kept in localStorage.
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Slot } from "../api";
import { slotKey, uniqueName } from "../graph/slot-infer";

export interface SlotDraft {
  v: 2;
  /** the parameters that will be deployed, in order */
  slots: Slot[];
  /** keys of suggestions the user dismissed */
  dismissed: string[];
}

const storageKey = (versionId: string) => `flowgate.slots.${versionId}`;

export const emptyDraft = (): SlotDraft => ({ v: 2, slots: [], dismissed: [] });

/**
 * A saved draft. Drafts saved before v2 held every suggestion in `slots` with the unaccepted ones
 * listed in `pending`: those were never chosen, so they go back to being offers.
 */
export function readDraft(raw: string | null): SlotDraft {
  if (!raw) return emptyDraft();
  try {
    const d = JSON.parse(raw) as { slots?: unknown; pending?: unknown; dismissed?: unknown };
    const pending = new Set(Array.isArray(d.pending) ? (d.pending as string[]) : []);
    const slots = (Array.isArray(d.slots) ? (d.slots as Slot[]) : []).filter((s) => s && typeof s === "object" && !pending.has(slotKey(s)));
    const dismissed = Array.isArray(d.dismissed) ? (d.dismissed as unknown[]).filter((k): k is string => typeof k === "string") : [];
    return { v: 2, slots, dismissed };
  } catch {
    return emptyDraft(); // unreadable saved draft: start empty
  }
}

/** Suggestions still on offer: not chosen, not dismissed. */
export function offersOf(draft: SlotDraft, suggested: Slot[]): Slot[] {
  const chosen = new Set(draft.slots.map(slotKey));
  const dismissed = new Set(draft.dismissed);
  return suggested.filter((s) => !chosen.has(slotKey(s)) && !dismissed.has(slotKey(s)));
}

/** Pure draft edits (the hook below persists them). */
export const draftOps = {
  upsert(d: SlotDraft, slot: Slot, previousKey?: string): SlotDraft {
    const key = previousKey ?? slotKey(slot);
    const i = d.slots.findIndex((s) => slotKey(s) === key);
    const slots = [...d.slots];
    if (i >= 0) slots[i] = slot;
    else slots.push(slot);
    return { ...d, slots, dismissed: d.dismissed.filter((k) => k !== slotKey(slot)) };
  },
  /** A chosen slot leaves the deployment; if it was a suggestion it is offered again. */
  remove(d: SlotDraft, key: string): SlotDraft {
    return { ...d, slots: d.slots.filter((s) => slotKey(s) !== key) };
  },
  accept(d: SlotDraft, key: string, suggested: Slot[]): SlotDraft {
    const s = offersOf(d, suggested).find((x) => slotKey(x) === key);
    if (!s) return d;
    const name = uniqueName(s.name, d.slots.map((x) => x.name));
    return { ...d, slots: [...d.slots, { ...s, name }] };
  },
  acceptAll(d: SlotDraft, suggested: Slot[]): SlotDraft {
    return offersOf(d, suggested).reduce((acc, s) => draftOps.accept(acc, slotKey(s), suggested), d);
  },
  dismiss(d: SlotDraft, key: string): SlotDraft {
    return { ...d, dismissed: [...new Set([...d.dismissed, key])] };
  },
  restore(d: SlotDraft, key: string): SlotDraft {
    return { ...d, dismissed: d.dismissed.filter((k) => k !== key) };
  },
  move(d: SlotDraft, key: string, dir: -1 | 1): SlotDraft {
    const i = d.slots.findIndex((s) => slotKey(s) === key);
    const j = i + dir;
    if (i < 0 || j < 0 || j >= d.slots.length) return d;
    const slots = [...d.slots];
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
    return { ...d, slots };
  },
  rename(d: SlotDraft, key: string, name: string): SlotDraft {
    return { ...d, slots: d.slots.map((s) => (slotKey(s) === key ? { ...s, name } : s)) };
  },
};

const NO_SUGGESTIONS: Slot[] = [];

export function useSlotDraft(versionId: string | undefined, suggestedIn: Slot[] | undefined) {
  const suggested = suggestedIn ?? NO_SUGGESTIONS;
  const [draft, setDraft] = useState<SlotDraft>(emptyDraft);
  const [loadedFor, setLoadedFor] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!versionId || loadedFor === versionId) return;
    let raw: string | null = null;
    try {
      raw = localStorage.getItem(storageKey(versionId));
    } catch {
      // storage disabled: start empty
    }
    setDraft(readDraft(raw));
    setLoadedFor(versionId);
  }, [versionId, loadedFor]);

  const update = useCallback(
    (fn: (d: SlotDraft) => SlotDraft) =>
      setDraft((d) => {
        const next = fn(d);
        if (versionId) {
          try {
            localStorage.setItem(storageKey(versionId), JSON.stringify(next));
          } catch {
            // storage full or disabled: the draft still lives in memory
          }
        }
        return next;
      }),
    [versionId],
  );

  const offers = useMemo(() => offersOf(draft, suggested), [draft, suggested]);
  const actions = {
    upsert: (slot: Slot, previousKey?: string) => update((d) => draftOps.upsert(d, slot, previousKey)),
    remove: (key: string) => update((d) => draftOps.remove(d, key)),
    accept: (key: string) => update((d) => draftOps.accept(d, key, suggested)),
    acceptAll: () => update((d) => draftOps.acceptAll(d, suggested)),
    dismiss: (key: string) => update((d) => draftOps.dismiss(d, key)),
    restore: (key: string) => update((d) => draftOps.restore(d, key)),
    move: (key: string, dir: -1 | 1) => update((d) => draftOps.move(d, key, dir)),
    rename: (key: string, name: string) => update((d) => draftOps.rename(d, key, name)),
    reset: () => update(() => emptyDraft()),
  };

  return { draft, offers, suggested, ...actions };
}

export type SlotDraftApi = ReturnType<typeof useSlotDraft>;
