"use client";
// "Check on endpoint": pre-flight of the shown version against an endpoint the user picks. What
// the endpoint lacks (node classes, model files) and ComfyUI's validation errors are marked on
// the nodes themselves, with the message on hover; a chip sums up the answer.
import { useEffect } from "react";
import type { ApiPrompt, PreflightResult } from "../api";
import type { NodeIssue } from "../graph/model";
import { useEndpoints, usePreflight } from "../queries";
import { cn, Select, Spinner } from "../ui";

export function preflightIssues(r: PreflightResult, prompt: ApiPrompt): Record<string, NodeIssue[]> {
  const issues: Record<string, NodeIssue[]> = {};
  for (const cls of r.missingNodes)
    for (const [id, node] of Object.entries(prompt))
      if (node.class_type === cls) (issues[id] ??= []).push({ kind: "error", message: `${cls} is not installed on ${r.endpointName}.` });
  for (const m of r.missingModels) (issues[m.nodeId] ??= []).push({ kind: "model", message: `${m.name} (${m.input}) is not on ${r.endpointName}.` });
  for (const e of r.nodeErrors) (issues[e.nodeId] ??= []).push({ kind: "error", message: `${r.endpointName}: ${e.message}` });
  return issues;
}

export function PreflightCheck({
  workflowId,
  number,
  prompt,
  onIssues,
}: {
  workflowId: string;
  number: number;
  prompt: ApiPrompt;
  onIssues: (issues: Record<string, NodeIssue[]> | undefined) => void;
}) {
  const endpoints = useEndpoints();
  const check = usePreflight(workflowId, number);
  const r = check.data;
  const { reset } = check;
  useEffect(() => reset(), [number, reset]);

  const problems = r ? r.missingNodes.length + r.missingModels.length + r.nodeErrors.length : 0;
  return (
    <div className="flex items-center gap-2">
      {check.isPending && (
        <span className="flex items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-[11px] text-zinc-600 shadow-sm">
          <Spinner className="size-3" /> Checking…
        </span>
      )}
      {check.isError && (
        <span className="max-w-64 truncate rounded-md border border-red-200 bg-red-50 px-2 py-1.5 text-[11px] text-red-800 shadow-sm" title={String((check.error as Error).message)}>
          {(check.error as Error).message}
        </span>
      )}
      {r && !check.isPending && (
        <span
          data-testid="preflight-result"
          className={cn(
            "rounded-md border px-2 py-1.5 text-[11px] font-medium shadow-sm",
            !r.checked ? "border-zinc-200 bg-white text-zinc-600" : r.ok ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-red-200 bg-red-50 text-red-800",
          )}
          title={!r.checked ? `${r.endpointName} exposes no node definitions; it is checked when a run starts.` : undefined}
        >
          {!r.checked ? "Not checkable before a run" : r.ok ? `✓ Runs on ${r.endpointName}` : `${problems} problem${problems === 1 ? "" : "s"} on ${r.endpointName}`}
        </span>
      )}
      <Select
        aria-label="Check on endpoint"
        className="h-8 w-48 text-xs shadow-sm"
        value={r?.endpointId ?? ""}
        disabled={!endpoints.data?.items.length}
        onChange={(e) => {
          const id = e.target.value;
          if (!id) {
            check.reset();
            onIssues(undefined);
            return;
          }
          check.mutate(id, {
            onSuccess: (res) => onIssues(preflightIssues(res, prompt)),
            onError: () => onIssues(undefined),
          });
        }}
      >
        <option value="">Check on endpoint…</option>
        {(endpoints.data?.items ?? []).map((ep) => (
          <option key={ep.id} value={ep.id}>
            {ep.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
