"use client";
import type { RunOutput } from "../api";
import { formatBytes } from "../format";

export function RunOutputs({ outputs }: { outputs: RunOutput[] }) {
  if (!outputs.length) return null;
  return (
    <div className={outputs.length > 1 ? "grid gap-3 sm:grid-cols-2" : "grid"} data-testid="run-outputs">
      {outputs.map((o) => (
        <figure key={o.id} className="overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50">
          {o.contentType.startsWith("image/") ? (
            <a href={o.url} target="_blank" rel="noreferrer" className="block bg-[conic-gradient(#f4f4f5_25%,#fff_0_50%,#f4f4f5_0_75%,#fff_0)] bg-[length:16px_16px]">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={o.url} alt={o.filename} className="mx-auto max-h-[28rem] w-auto object-contain" data-testid="run-output-image" />
            </a>
          ) : o.contentType.startsWith("video/") ? (
            <video src={o.url} controls className="w-full" />
          ) : o.contentType.startsWith("audio/") ? (
            <div className="flex h-24 items-center px-3">
              <audio src={o.url} controls className="w-full" data-testid="run-output-audio" />
            </div>
          ) : (
            <a href={o.url} className="flex h-32 items-center justify-center text-sm font-medium text-indigo-600 hover:underline">
              Download {o.filename}
            </a>
          )}
          <figcaption className="flex items-center justify-between gap-2 border-t border-zinc-200 bg-white px-3 py-1.5 text-xs text-zinc-500">
            <span className="truncate font-mono" title={o.filename}>
              {o.filename}
            </span>
            <span className="flex shrink-0 items-center gap-2">
              <span>#{o.nodeId}</span>
              <span>{formatBytes(o.sizeBytes)}</span>
              <a href={o.url} download={o.filename} className="font-medium text-zinc-700 hover:text-zinc-900">
                Download
              </a>
            </span>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
