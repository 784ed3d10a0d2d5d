"use client";
// The slots being prepared for a deployment of one workflow version: starts from the analysis'
// suggestions (pending until accepted or dismissed), edited in the graph, kept in localStorage.
import { useCallback, useEffect, useState } from "react";
import type { Slot } from "../api";
import { slotKey } from "../graph/slot-infer";

export interface SlotDraft {
  slots: Slot[];
  /** keys of slots that came from suggestions and are not accepted yet */
  pending: string[];
  /** keys of suggestions the user dismissed */
  dismissed: string[];
}

const storageKey = (versionId: string) => `flowgate.slots.${versionId}`;

function initial(suggested: Slot[]): SlotDraft {
  return { slots: suggested.map((s) => ({ ...s })), pending: suggested.map(slotKey), dismissed: [] };
}

export function useSlotDraft(versionId: string | undefined, suggested: Slot[] | undefined) {
  const [draft, setDraft] = useState<SlotDraft>(() => initial(suggested ?? []));
  const [loadedFor, setLoadedFor] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!versionId || !suggested || loadedFor === versionId) return;
    let next = initial(suggested);
    try {
      const raw = localStorage.getItem(storageKey(versionId));
      if (raw) next = JSON.parse(raw) as SlotDraft;
    } catch {
      // unreadable saved draft: start from the suggestions
    }
    setDraft(next);
    setLoadedFor(versionId);
  }, [versionId, suggested, loadedFor]);

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

  const actions = {
    upsert: (slot: Slot, previousKey?: string) =>
      update((d) => {
        const key = previousKey ?? slotKey(slot);
        const i = d.slots.findIndex((s) => slotKey(s) === key);
        const slots = [...d.slots];
        if (i >= 0) slots[i] = slot;
        else slots.push(slot);
        return { ...d, slots, pending: d.pending.filter((k) => k !== key) };
      }),
    remove: (key: string) =>
      update((d) => ({
        slots: d.slots.filter((s) => slotKey(s) !== key),
        pending: d.pending.filter((k) => k !== key),
        dismissed: (suggested ?? []).some((s) => slotKey(s) === key) ? [...new Set([...d.dismissed, key])] : d.dismissed,
      })),
    accept: (key: string) => update((d) => ({ ...d, pending: d.pending.filter((k) => k !== key) })),
    acceptAll: () => update((d) => ({ ...d, pending: [] })),
    restore: (key: string) =>
      update((d) => {
        const s = (suggested ?? []).find((x) => slotKey(x) === key);
        if (!s || d.slots.some((x) => slotKey(x) === key)) return { ...d, dismissed: d.dismissed.filter((k) => k !== key) };
        return { slots: [...d.slots, { ...s }], pending: d.pending, dismissed: d.dismissed.filter((k) => k !== key) };
      }),
    move: (key: string, dir: -1 | 1) =>
      update((d) => {
        const i = d.slots.findIndex((s) => slotKey(s) === key);
        const j = i + dir;
        if (i < 0 || j < 0 || j >= d.slots.length) return d;
        const slots = [...d.slots];
        [slots[i], slots[j]] = [slots[j], slots[i]];
        return { ...d, slots };
      }),
    rename: (key: string, name: string) =>
      update((d) => ({ ...d, slots: d.slots.map((s) => (slotKey(s) === key ? { ...s, name } : s)) })),
    reset: () => update(() => initial(suggested ?? [])),
  };

  return { draft, ...actions };
}

export type SlotDraftApi = ReturnType<typeof useSlotDraft>;
