"use client";
// A run as it happens: status, progress (value/max and the executing node), attempts, error with
// what to do next, and the outputs. Fed by useLiveRun (SSE with polling fallback).
import Link from "next/link";
import { useEffect, useState } from "react";
import { TERMINAL_STATUSES, type ApiPrompt, type Run } from "../api";
import { formatDateTime, formatDuration, formatUsd, runDurationMs } from "../format";
import { useCancelRun, useRetryRun } from "../queries";
import { Badge, Button, ErrorCallout, ProgressBar, StatusBadge } from "../ui";
import { runNextStep } from "./run-help";
import { RunOutputs } from "./RunOutputs";
import { RunTimeline } from "./RunTimeline";

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const phase: Record<string, string> = {
  queued: "Waiting for a worker to pick it up…",
  dispatching: "Choosing an endpoint…",
  submitted: "Submitted to the endpoint, waiting in its queue…",
  running: "Running on the endpoint…",
};

export function RunDetails({
  run,
  prompt,
  endpointNames,
  showHeader = true,
  onRetried,
}: {
  run: Run;
  prompt?: ApiPrompt;
  endpointNames?: Map<string, string>;
  showHeader?: boolean;
  onRetried?: (run: Run) => void;
}) {
  const live = !TERMINAL_STATUSES.includes(run.status);
  const now = useNow(live);
  const cancel = useCancelRun();
  const retry = useRetryRun();
  const elapsed = live ? now - new Date(run.createdAt).getTime() : runDurationMs(run);
  const p = run.progress;
  const execNode = p?.nodeId ? prompt?.[p.nodeId] : undefined;
  const nodeLabel = p?.nodeId ? `#${p.nodeId}${execNode ? ` ${execNode._meta?.title || execNode.class_type}` : ""}` : null;
  const next = runNextStep(run);

  return (
    <div className="space-y-4" data-testid="run-details" data-status={run.status}>
      {showHeader && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex items-center gap-3">
            <StatusBadge status={run.status} />
            <Link href={`/runs/${run.id}`} className="font-mono text-xs text-zinc-500 hover:text-zinc-900 hover:underline">
              {run.id}
            </Link>
          </div>
          <div className="flex items-center gap-2 text-xs text-zinc-500">
            <span className="tabular-nums">{formatDuration(elapsed)}</span>
            {run.costUsd != null && <span>· {formatUsd(run.costUsd)}</span>}
            {live && (
              <Button size="sm" variant="secondary" loading={cancel.isPending} onClick={() => cancel.mutate(run.id)}>
                Cancel
              </Button>
            )}
            {(run.status === "failed" || run.status === "timed_out" || run.status === "canceled") && (
              <Button
                size="sm"
                variant="secondary"
                loading={retry.isPending}
                onClick={() => retry.mutate(run.id, { onSuccess: (r) => onRetried?.(r) })}
              >
                Retry
              </Button>
            )}
          </div>
        </div>
      )}

      {live && (
        <div className="space-y-1.5" data-testid="run-progress">
          <ProgressBar
            value={p?.value}
            max={p?.max}
            indeterminate={!p || !p.max}
            label="Run progress"
          />
          <div className="flex justify-between gap-2 text-xs text-zinc-500">
            <span data-testid="run-phase">
              {p?.waitingFor === "enabled_target" && p.message ? p.message : run.status === "running" && nodeLabel ? `Executing ${nodeLabel}` : phase[run.status]}
            </span>
            {p && (p.max ?? 0) > 0 && (
              <span className="tabular-nums">
                {p.value}/{p.max}
              </span>
            )}
          </div>
        </div>
      )}

      {cancel.error && <ErrorCallout error={cancel.error} title="Could not cancel" />}
      {retry.error && <ErrorCallout error={retry.error} title="Could not retry" />}

      {run.error && (
        <ErrorCallout
          error={run.error.message}
          title={run.status === "timed_out" ? "The run timed out" : "The run failed"}
          tone={run.status === "failed" ? "red" : "amber"}
        >
          <p className="text-xs opacity-80">
            <code>{run.error.code}</code>
            {run.error.nodeId && (
              <>
                {" "}
                at node <code>#{run.error.nodeId}</code>
                {prompt?.[run.error.nodeId] && ` (${prompt[run.error.nodeId].class_type})`}
              </>
            )}
          </p>
          {next && <p>{next}</p>}
        </ErrorCallout>
      )}
      {!run.error && run.status !== "succeeded" && !live && next && <ErrorCallout tone="amber" error={next} />}

      <RunOutputs outputs={run.outputs ?? []} />
      {run.status === "succeeded" && (run.outputs ?? []).length === 0 && (
        <p className="text-sm text-zinc-500">The run succeeded but its output nodes produced no files.</p>
      )}

      {run.attempts?.length > 0 && (
        <div>
          <p className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Timeline</p>
          <RunTimeline run={run} endpointNames={endpointNames} now={now} />
        </div>
      )}

      {run.attempts?.length > 0 && (
        <div>
          <p className="mb-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500">Attempts</p>
          <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-xs" data-testid="run-attempts">
            {run.attempts.map((a) => {
              const err = typeof a.error === "string" ? a.error : a.error?.message;
              return (
                <li key={a.number} className="px-3 py-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-zinc-900">#{a.number}</span>
                    <StatusBadge status={a.status} />
                    <span className="text-zinc-600">{endpointNames?.get(a.endpointId) ?? a.endpointId}</span>
                    <Badge>{a.provider}</Badge>
                    <span className="ml-auto flex gap-3 tabular-nums text-zinc-500">
                      <span title="Time in the provider's queue">queue {formatDuration(a.queueMs)}</span>
                      {a.coldStartMs != null && <span>cold start {formatDuration(a.coldStartMs)}</span>}
                      <span>exec {formatDuration(a.executionMs)}</span>
                    </span>
                  </div>
                  {err && <p className="mt-1 text-red-700">{err}</p>}
                  {a.providerJobId && <p className="mt-0.5 font-mono text-[11px] text-zinc-400">job {a.providerJobId}</p>}
                </li>
              );
            })}
          </ol>
        </div>
      )}

      {!live && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
          <Stat label="Queued" value={formatDuration(run.timings?.queueMs)} />
          <Stat label="Executing" value={formatDuration(run.timings?.executionMs)} />
          <Stat label="Total" value={formatDuration(run.timings?.totalMs ?? runDurationMs(run))} />
          <Stat label="Cost" value={formatUsd(run.costUsd)} />
          <Stat label="Created" value={formatDateTime(run.createdAt)} />
          <Stat label="Finished" value={formatDateTime(run.finishedAt)} />
        </dl>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex justify-between gap-2 border-b border-zinc-100 py-1 sm:block sm:border-0">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="font-medium tabular-nums text-zinc-800">{value}</dd>
    </div>
  );
}
