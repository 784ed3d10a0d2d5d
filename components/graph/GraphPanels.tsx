"use client";
// The panels floating over the graph canvas: search with the node/link/issue counts (top left),
// the legend of link types (bottom centre), and the busy / layout-failed overlays.
import { useMemo } from "react";
import type { Edge } from "@xyflow/react";
import { Spinner } from "../ui";
import { edgeColor } from "./model";
import type { GraphSearch } from "./use-graph-search";

export function GraphSearchBar({ search, nodeCount, linkCount, issueCount }: { search: GraphSearch; nodeCount: number; linkCount: number; issueCount: number }) {
  const { query, q, setQuery, clear, matchIds, matchIndex, focusMatch, onEnter } = search;
  return (
    <div className="flex items-center gap-2">
      <div className="flex items-center rounded-md border border-zinc-200 bg-white shadow-sm">
        <svg viewBox="0 0 20 20" className="ml-2 size-3.5 text-zinc-400" fill="currentColor" aria-hidden>
          <path fillRule="evenodd" d="M9 3.5a5.5 5.5 0 1 0 3.4 9.83l3.63 3.64a.75.75 0 1 0 1.06-1.06l-3.63-3.64A5.5 5.5 0 0 0 9 3.5ZM5 9a4 4 0 1 1 8 0 4 4 0 0 1-8 0Z" clipRule="evenodd" />
        </svg>
        <input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") onEnter(e.shiftKey);
            if (e.key === "Escape") clear();
          }}
          placeholder="Search title, class or #id"
          aria-label="Search nodes"
          className="h-8 w-56 bg-transparent px-2 text-xs focus:outline-none"
        />
        {q && (
          <span className="flex items-center gap-0.5 pr-1 text-[11px] text-zinc-500">
            {matchIds.length ? `${matchIndex + 1}/${matchIds.length}` : "0"}
            <button type="button" className="rounded px-1 hover:bg-zinc-100" onClick={() => focusMatch(matchIndex - 1)} aria-label="Previous match">
              ↑
            </button>
            <button type="button" className="rounded px-1 hover:bg-zinc-100" onClick={() => focusMatch(matchIndex + 1)} aria-label="Next match">
              ↓
            </button>
          </span>
        )}
      </div>
      <span className="rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-[11px] text-zinc-600 shadow-sm">
        {nodeCount} nodes · {linkCount} links
        {issueCount > 0 && <span className="ml-1 text-amber-700">· {issueCount} flagged</span>}
      </span>
    </div>
  );
}

/** The link types present in the graph, with their colours. */
export function useLinkTypes(edges: Edge[]) {
  return useMemo(() => {
    const set = new Set<string>();
    for (const e of edges) set.add((e.data as { type?: string } | undefined)?.type ?? "*");
    set.delete("*");
    return [...set].sort();
  }, [edges]);
}

export function LinkLegend({ types }: { types: string[] }) {
  return (
    <div className="flex max-w-md flex-wrap justify-center gap-x-2.5 gap-y-1 rounded-md border border-zinc-200 bg-white/90 px-2 py-1.5 shadow-sm backdrop-blur">
      {types.map((t) => (
        <span key={t} className="flex items-center gap-1 font-mono text-[10px] text-zinc-600">
          <span className="h-0.5 w-3 rounded" style={{ background: edgeColor(t) }} />
          {t}
        </span>
      ))}
    </div>
  );
}

export function GraphOverlays({ loaded, layingOut, layoutError, nodeCount }: { loaded: boolean; layingOut: boolean; layoutError: string | null; nodeCount: number }) {
  return (
    <>
      {(!loaded || layingOut) && (
        <div className="absolute inset-0 flex items-center justify-center bg-white/60 text-sm text-zinc-600">
          <Spinner className="mr-2" /> {loaded ? `Laying out ${nodeCount} nodes…` : "Loading node definitions…"}
        </div>
      )}
      {layoutError && (
        <div className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-md bg-amber-50 px-3 py-1.5 text-xs text-amber-800 shadow">
          Automatic layout failed; showing a grid instead.
        </div>
      )}
    </>
  );
}
