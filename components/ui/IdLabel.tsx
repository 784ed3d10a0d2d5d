"use client";
// Ids are `prefix_` + 10 time characters + 14 random ones, so ids made minutes apart share their
// first characters: show the prefix and the distinguishing end, the full id on hover, copy on click.
import { useState } from "react";
import { cn } from "./cn";
import { shortId } from "../format";


export function IdLabel({ id, className, short = true }: { id: string; className?: string; short?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      title={`${id} — click to copy`}
      aria-label={`${id} (copy)`}
      data-id={id}
      className={cn("rounded font-mono hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500", className)}
      onClick={async (e) => {
        e.stopPropagation();
        e.preventDefault();
        try {
          await navigator.clipboard.writeText(id);
        } catch {
          // clipboard can be blocked on plain-http origins; the full id is in the tooltip
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      }}
    >
      {copied ? "copied" : short ? shortId(id) : id}
    </button>
  );
}
