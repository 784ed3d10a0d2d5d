"use client";
// Beside an editable graph: the chosen input's slot editor, or the list of slots and suggestions.
import type { ApiPrompt, Slot } from "../api";
import type { SlotDraftApi } from "../workflows/slot-draft";
import type { ObjectInfoLite } from "./object-info";
import { SlotList } from "./SlotList";
import { SlotPanel } from "./SlotPanel";

export type SelectedInput = { nodeId: string; input: string };

export function SlotSidebar({
  prompt,
  objectInfo,
  draftApi,
  suggested,
  selected,
  onSelect,
  onDeselect,
}: {
  prompt: ApiPrompt;
  objectInfo: ObjectInfoLite | null;
  draftApi: SlotDraftApi;
  suggested: Slot[];
  selected: SelectedInput | null;
  /** From the list: select the input and bring its node into view. */
  onSelect: (s: SelectedInput) => void;
  onDeselect: () => void;
}) {
  return (
    <aside className="w-80 shrink-0 overflow-y-auto border-l border-zinc-200 bg-white">
      {selected ? (
        <SlotPanel
          key={`${selected.nodeId}.${selected.input}`}
          prompt={prompt}
          nodeId={selected.nodeId}
          input={selected.input}
          objectInfo={objectInfo}
          slots={draftApi.draft.slots}
          suggestion={draftApi.offers.find((o) => o.nodeId === selected.nodeId && o.input === selected.input)}
          onSave={(slot: Slot, previousKey?: string) => {
            draftApi.upsert(slot, previousKey);
            onDeselect();
          }}
          onRemove={(key) => {
            draftApi.remove(key);
            onDeselect();
          }}
          onClose={onDeselect}
        />
      ) : (
        <SlotList draftApi={draftApi} suggested={suggested} onSelect={onSelect} />
      )}
    </aside>
  );
}
