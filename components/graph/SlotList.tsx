"use client";
// The deployment's API parameters in order: rename inline, reorder, remove; suggestions are
// marked until accepted or dismissed, and dismissed ones can be restored.
import { useState } from "react";
import type { Slot } from "../api";
import { Badge, Button, cn } from "../ui";
import type { SlotDraftApi } from "../workflows/slot-draft";
import { slotKey } from "./slot-infer";

export function SlotList({
  draftApi,
  suggested,
  onSelect,
}: {
  draftApi: SlotDraftApi;
  suggested: Slot[];
  onSelect: (s: { nodeId: string; input: string }) => void;
}) {
  const { draft } = draftApi;
  // huge graphs can suggest thousands of parameters: render a page of them at a time
  const [limit, setLimit] = useState(60);
  const dismissed = suggested.filter((s) => draft.dismissed.includes(slotKey(s)));
  const names = draft.slots.map((s) => s.name);
  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-3">
        <div>
          <p className="text-sm font-semibold text-zinc-900">API parameters</p>
          <p className="text-xs text-zinc-500">Click a value in the graph to add one.</p>
        </div>
        {draft.pending.length > 0 && (
          <Button size="sm" onClick={draftApi.acceptAll}>
            Accept all
          </Button>
        )}
      </div>
      <ol className="flex-1 divide-y divide-zinc-100 overflow-y-auto" data-testid="slot-list">
        {draft.slots.length === 0 && (
          <li className="px-4 py-8 text-center text-xs text-zinc-500">
            No parameters yet: every run would use the workflow exactly as exported.
          </li>
        )}
        {draft.slots.slice(0, limit).map((s, i) => {
          const key = slotKey(s);
          const pending = draft.pending.includes(key);
          const dup = names.indexOf(s.name) !== i;
          return (
            <li key={key} className={cn("group px-3 py-2", pending && "bg-indigo-50/40")}>
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
              <div className="mt-0.5 flex items-center justify-between gap-2 pl-1">
                <button type="button" className="truncate font-mono text-[11px] text-zinc-500 hover:text-indigo-600" onClick={() => onSelect(s)}>
                  #{s.nodeId}.{s.input}
                  {s.required ? " · required" : ""}
                </button>
                {pending && (
                  <span className="flex shrink-0 items-center gap-1 text-[11px]">
                    <span className="text-indigo-600">Suggested</span>
                    <button type="button" className="rounded px-1 font-medium text-zinc-700 hover:bg-white" onClick={() => draftApi.accept(key)}>
                      Accept
                    </button>
                    <button type="button" className="rounded px-1 text-zinc-500 hover:bg-white" onClick={() => draftApi.remove(key)}>
                      Dismiss
                    </button>
                  </span>
                )}
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
                title="Restore"
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
