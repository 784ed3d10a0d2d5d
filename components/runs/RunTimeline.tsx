"use client";
// A run's timeline: one lane for the run (accepted → ended) and one per attempt — each retry,
// failover and hedge on its own lane — split into submitting, waiting in the provider's queue and
// running, with durations; the lane's end says how the attempt ended.
import type { Run } from "../api";
import { formatDuration } from "../format";

const t = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : null);

export function RunTimeline({ run, endpointNames, now }: { run: Run; endpointNames?: Map<string, string>; now: number }) {
  const start = t(run.createdAt)!;
  const end = t(run.finishedAt) ?? now;
  const span = Math.max(1, end - start);
  const pct = (ms: number) => `${Math.max(0, Math.min(100, ((ms - start) / span) * 100))}%`;
  const width = (a: number, b: number) => `${Math.max(0.6, ((Math.min(b, end) - a) / span) * 100)}%`;
  // A hedge is an attempt that started while another was still live.
  const hedged = (i: number) => {
    const a = run.attempts[i];
    const s = t(a.submittedAt);
    return s !== null && run.attempts.slice(0, i).some((b) => (t(b.finishedAt) ?? end) > s && (t(b.submittedAt) ?? 0) <= s);
  };
  return (
    <div className="space-y-2" data-testid="run-timeline">
      <div className="flex items-center gap-3 text-xs">
        <span className="w-36 shrink-0 truncate font-medium text-zinc-700">Run</span>
        <div className="relative h-5 flex-1 rounded bg-zinc-100">
          <div className="absolute inset-y-0 rounded bg-zinc-300" style={{ left: 0, width: "100%" }} title={`total ${formatDuration(end - start)}`} />
          {run.startedAt && <div className="absolute inset-y-0 w-px bg-indigo-600" style={{ left: pct(t(run.startedAt)!) }} title="started" />}
        </div>
        <span className="w-16 shrink-0 text-right tabular-nums text-zinc-600">{formatDuration(end - start)}</span>
      </div>
      {run.attempts.map((a, i) => {
        const submitted = t(a.submittedAt);
        const started = t(a.startedAt);
        const finished = t(a.finishedAt);
        const laneStart = submitted ?? started ?? start;
        const laneEnd = finished ?? end;
        const label = `${hedged(i) ? "Hedge" : i === 0 ? "Attempt" : "Retry"} ${a.number} · ${endpointNames?.get(a.endpointId) ?? a.provider}`;
        return (
          <div key={a.number} className="flex items-center gap-3 text-xs" data-testid="timeline-lane">
            <span className="w-36 shrink-0 truncate text-zinc-700" title={label}>{label}</span>
            <div className="relative h-5 flex-1 rounded bg-zinc-50 ring-1 ring-inset ring-zinc-100">
              {submitted !== null && (
                <div
                  className="absolute inset-y-0.5 rounded-sm bg-amber-300"
                  style={{ left: pct(submitted), width: width(submitted, started ?? laneEnd) }}
                  title={`in the provider's queue ${formatDuration((started ?? laneEnd) - submitted)}`}
                />
              )}
              {started !== null && (
                <div
                  className={`absolute inset-y-0.5 rounded-sm ${a.status === "succeeded" ? "bg-emerald-500" : a.status === "running" ? "bg-indigo-500" : "bg-red-400"}`}
                  style={{ left: pct(started), width: width(started, laneEnd) }}
                  title={`running ${formatDuration(laneEnd - started)}`}
                />
              )}
              {submitted === null && started === null && <div className="absolute inset-y-0.5 rounded-sm bg-zinc-300" style={{ left: pct(laneStart), width: width(laneStart, laneEnd) }} />}
            </div>
            <span className="w-16 shrink-0 text-right tabular-nums text-zinc-600" title={a.status}>
              {formatDuration(laneEnd - laneStart)}
            </span>
          </div>
        );
      })}
      <p className="flex flex-wrap gap-3 pl-[9.75rem] text-[11px] text-zinc-500">
        <span className="flex items-center gap-1"><span className="size-2 rounded-sm bg-amber-300" /> provider queue</span>
        <span className="flex items-center gap-1"><span className="size-2 rounded-sm bg-indigo-500" /> running</span>
        <span className="flex items-center gap-1"><span className="size-2 rounded-sm bg-emerald-500" /> succeeded</span>
        <span className="flex items-center gap-1"><span className="size-2 rounded-sm bg-red-400" /> failed / lost / cancelled</span>
      </p>
    </div>
  );
}
