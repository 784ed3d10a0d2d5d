"use client";
// The deployment's API parameters in order: only those the user chose (rename inline, reorder,
// remove). Suggestions are offers below them, deployed only once accepted; dismissed ones can be
// restored.
import { useState } from "react";
import type { Slot } from "../api";
import { Badge, Button, cn } from "../ui";
import type { SlotDraftApi } from "../workflows/slot-draft";
import { slotKey } from "./slot-infer";

const range = (s: Slot) => (s.type === "integer" || s.type === "number") && (s.min !== undefined || s.max !== undefined) ? ` · ${s.min ?? "…"}–${s.max ?? "…"}` : "";

export function SlotList({
  draftApi,
  suggested,
  onSelect,
}: {
  draftApi: SlotDraftApi;
  suggested: Slot[];
  onSelect: (s: { nodeId: string; input: string }) => void;
}) {
  const { draft, offers } = draftApi;
  // huge graphs can suggest thousands of parameters: render a page of them at a time
  const [limit, setLimit] = useState(60);
  const [offerLimit, setOfferLimit] = useState(20);
  const dismissed = suggested.filter((s) => draft.dismissed.includes(slotKey(s)) && !draft.slots.some((x) => slotKey(x) === slotKey(s)));
  const names = draft.slots.map((s) => s.name);
  return (
    <div className="flex h-full flex-col">
      <div className="border-b border-zinc-100 px-4 py-3">
        <p className="text-sm font-semibold text-zinc-900">
          API parameters <span className="font-normal text-zinc-500">({draft.slots.length})</span>
        </p>
        <p className="text-xs text-zinc-500">Click a value in the graph to add one. Only these are deployed.</p>
      </div>
      <div className="flex-1 overflow-y-auto">
        <ol className="divide-y divide-zinc-100" data-testid="slot-list">
          {draft.slots.length === 0 && (
            <li className="px-4 py-6 text-center text-xs text-zinc-500">
              No parameters yet: every run would use the workflow exactly as exported.
            </li>
          )}
          {draft.slots.slice(0, limit).map((s, i) => {
            const key = slotKey(s);
            const dup = names.indexOf(s.name) !== i;
            return (
              <li key={key} className="group px-3 py-2" data-testid="slot-item">
                <div className="flex items-center gap-1.5">
                  <input
                    aria-label={`Name of ${s.nodeId}.${s.input}`}
                    value={s.name}
                    onChange={(e) => draftApi.rename(key, e.target.value)}
                    className={cn(
                      "min-w-0 flex-1 rounded border border-transparent bg-transparent px-1 py-0.5 font-mono text-xs font-medium text-zinc-900 hover:border-zinc-200 focus:border-indigo-400 focus:bg-white focus:outline-none",
                      dup && "border-red-300 text-red-700",
                    )}
                  />
                  <Badge tone={s.type === "image" ? "violet" : s.type === "seed" ? "amber" : "neutral"}>{s.type}</Badge>
                  <div className="flex opacity-60 group-hover:opacity-100">
                    <IconButton label="Move up" disabled={i === 0} onClick={() => draftApi.move(key, -1)}>↑</IconButton>
                    <IconButton label="Move down" disabled={i === draft.slots.length - 1} onClick={() => draftApi.move(key, 1)}>↓</IconButton>
                    <IconButton label="Remove" onClick={() => draftApi.remove(key)}>✕</IconButton>
                  </div>
                </div>
                <div className="mt-0.5 pl-1">
                  <button type="button" className="truncate font-mono text-[11px] text-zinc-500 hover:text-indigo-600" onClick={() => onSelect(s)} title="Edit: name, default, limits">
                    #{s.nodeId}.{s.input}
                    {s.required ? " · required" : ""}
                    {range(s)}
                  </button>
                </div>
                {dup && <p className="pl-1 text-[11px] text-red-600">Duplicate name</p>}
              </li>
            );
          })}
          {draft.slots.length > limit && (
            <li className="px-4 py-2 text-center">
              <button type="button" className="text-xs font-medium text-indigo-600 hover:underline" onClick={() => setLimit((l) => l + 200)}>
                Show more ({draft.slots.length - limit} hidden)
              </button>
            </li>
          )}
        </ol>
        {offers.length > 0 && (
          <section className="border-t border-zinc-200 bg-zinc-50/60" data-testid="slot-offers">
            <div className="flex items-center justify-between px-4 pb-1 pt-3">
              <div>
                <p className="text-[11px] font-medium uppercase tracking-wide text-zinc-500">Suggestions ({offers.length})</p>
                <p className="text-[11px] text-zinc-400">Not deployed unless you add them.</p>
              </div>
              <Button size="sm" variant="ghost" onClick={draftApi.acceptAll}>
                Add all
              </Button>
            </div>
            <ul className="divide-y divide-zinc-100">
              {offers.slice(0, offerLimit).map((s) => {
                const key = slotKey(s);
                return (
                  <li key={key} className="flex items-center gap-2 px-3 py-1.5" data-testid="slot-offer">
                    <button type="button" className="min-w-0 flex-1 text-left" onClick={() => onSelect(s)} title="Review before adding">
                      <span className="block truncate font-mono text-xs text-zinc-700">{s.name}</span>
                      <span className="block truncate font-mono text-[11px] text-zinc-400">
                        #{s.nodeId}.{s.input}
                        {range(s)}
                      </span>
                    </button>
                    <button type="button" className="rounded px-1.5 py-0.5 text-[11px] font-medium text-indigo-700 hover:bg-indigo-50" onClick={() => draftApi.accept(key)} aria-label={`Add ${s.name}`}>
                      Add
                    </button>
                    <button type="button" className="rounded px-1.5 py-0.5 text-[11px] text-zinc-500 hover:bg-zinc-100" onClick={() => draftApi.dismiss(key)} aria-label={`Dismiss ${s.name}`}>
                      Dismiss
                    </button>
                  </li>
                );
              })}
              {offers.length > offerLimit && (
                <li className="px-4 py-1.5 text-center">
                  <button type="button" className="text-xs font-medium text-indigo-600 hover:underline" onClick={() => setOfferLimit((l) => l + 100)}>
                    Show more ({offers.length - offerLimit} hidden)
                  </button>
                </li>
              )}
            </ul>
          </section>
        )}
      </div>
      {dismissed.length > 0 && (
        <div className="border-t border-zinc-100 px-4 py-2">
          <p className="mb-1 text-[11px] font-medium uppercase tracking-wide text-zinc-400">Dismissed suggestions</p>
          <div className="flex flex-wrap gap-1">
            {dismissed.slice(0, 40).map((s) => (
              <button
                key={slotKey(s)}
                type="button"
                onClick={() => draftApi.restore(slotKey(s))}
                className="rounded border border-dashed border-zinc-300 px-1.5 py-0.5 font-mono text-[11px] text-zinc-500 hover:border-indigo-300 hover:text-indigo-600"
                title="Offer again"
              >
                + {s.name}
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

function IconButton({ label, onClick, disabled, children }: { label: string; onClick: () => void; disabled?: boolean; children: string }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className="flex size-5 items-center justify-center rounded text-[11px] text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-30"
    >
      {children}
    </button>
  );
}
