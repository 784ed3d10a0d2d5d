"use client";
// The runs board: every run, newest first, live from ONE server-sent event stream for the whole
// list (no polling, no stream per row); filters by deployment, status, endpoint and time range,
// search by run id or provider job id, keyset pages, and bulk cancel / retry of the selected runs
// (each run is changed and audited like its own Cancel / Retry).
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { Run } from "../api";
import { formatDuration, formatRelative, formatUsd } from "../format";
import { useBulkRuns, useDeployments, useEndpoints, useRunListStream, useRunsBoard } from "../queries";
import { useCan } from "../shell/RoleContext";
import { Badge, Button, Card, EmptyState, Input, PageHeader, ProgressBar, QueryView, Select, StatusBadge, Table, TBody, TD, TH, THead, TR } from "../ui";
import { isTerminal } from "@/lib/runs/status";
import { RunIdCell } from "./RunsTable";

const STATUSES = ["queued", "dispatching", "submitted", "running", "succeeded", "failed", "canceled", "timed_out"];
const RANGES: Record<string, { label: string; ms: number }> = {
  "1h": { label: "Last hour", ms: 3600_000 },
  "24h": { label: "Last 24 h", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
};

function lastAttempt(r: Run) {
  return r.attempts.length ? r.attempts[r.attempts.length - 1] : null;
}

function Progress({ run }: { run: Run }) {
  const p = run.progress as { value?: number; max?: number; nodeId?: string | null } | null;
  if (run.status === "running" && p?.max) return <ProgressBar value={p.value ?? 0} max={p.max} className="w-24" label={`${p.value}/${p.max}${p.nodeId ? ` · node ${p.nodeId}` : ""}`} />;
  if (!isTerminal(run.status)) return <ProgressBar indeterminate className="w-24" />;
  return <span className="text-xs text-zinc-400">—</span>;
}

export function RunsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const mayWrite = useCan("runs:write");
  const deployment = params.get("deployment") ?? "";
  const status = params.get("status") ?? "";
  const endpoint = params.get("endpoint") ?? "";
  const range = params.get("range") ?? "";
  const q = params.get("q") ?? "";
  const [search, setSearch] = useState(q);
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [since] = useState(() => new Map<string, string>());
  if (range && RANGES[range] && !since.has(range)) since.set(range, new Date(Date.now() - RANGES[range].ms).toISOString());
  const filter = {
    deployment: deployment || undefined,
    status: status || undefined,
    endpoint: endpoint || undefined,
    since: range ? since.get(range) : undefined,
    q: q || undefined,
    cursor: cursors[cursors.length - 1],
  };
  const runs = useRunsBoard(filter);
  const live = useRunListStream();
  const bulk = useBulkRuns();
  const deployments = useDeployments();
  const endpoints = useEndpoints();
  const endpointName = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e.name])), [endpoints.data]);
  const setParam = (k: string, v: string) => {
    const p = new URLSearchParams(params.toString());
    if (v) p.set(k, v);
    else p.delete(k);
    setCursors([]);
    setSelected(new Set());
    router.replace(`${pathname}${p.size ? `?${p}` : ""}`);
  };
  const items = runs.data?.items ?? [];
  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const allOnPage = items.length > 0 && items.every((r) => selected.has(r.id));
  const filtered = !!(deployment || status || endpoint || range || q);
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every execution of every deployment, newest first."
        meta={
          <Badge tone={live ? "green" : "neutral"} dot pulse={live}>
            <span data-testid="runs-live">{live ? "Live" : "Connecting…"}</span>
          </Badge>
        }
      />
      <Card className="mb-4 p-3">
        <div className="flex flex-wrap items-center gap-2" data-testid="runs-filters">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setParam("q", search.trim());
            }}
          >
            <div className="w-72"><Input aria-label="Search runs" placeholder="Run id or provider job id" value={search} onChange={(e) => setSearch(e.target.value)} /></div>
          </form>
          <div className="w-44"><Select aria-label="Deployment" value={deployment} onChange={(e) => setParam("deployment", e.target.value)}>
            <option value="">All deployments</option>
            {(deployments.data?.items ?? []).map((d) => (
              <option key={d.id} value={d.slug}>{d.name}</option>
            ))}
          </Select></div>
          <div className="w-36"><Select aria-label="Status" value={status} onChange={(e) => setParam("status", e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{s.replace("_", " ")}</option>
            ))}
          </Select></div>
          <div className="w-44"><Select aria-label="Endpoint" value={endpoint} onChange={(e) => setParam("endpoint", e.target.value)}>
            <option value="">All endpoints</option>
            {(endpoints.data?.items ?? []).map((e) => (
              <option key={e.id} value={e.id}>{e.name}</option>
            ))}
          </Select></div>
          <div className="w-36"><Select aria-label="Time range" value={range} onChange={(e) => setParam("range", e.target.value)}>
            <option value="">Any time</option>
            {Object.entries(RANGES).map(([k, r]) => (
              <option key={k} value={k}>{r.label}</option>
            ))}
          </Select></div>
          {mayWrite && selected.size > 0 && (
            <div className="ml-auto flex items-center gap-2" data-testid="bulk-actions">
              <span className="text-xs text-zinc-500">{selected.size} selected</span>
              <Button size="sm" loading={bulk.isPending && bulk.variables?.action === "cancel"} onClick={() => window.confirm(`Cancel ${selected.size} run(s)? Running jobs are cancelled at the provider too.`) && bulk.mutate({ action: "cancel", runIds: [...selected] }, { onSuccess: () => setSelected(new Set()) })}>
                Cancel selected
              </Button>
              <Button size="sm" loading={bulk.isPending && bulk.variables?.action === "retry"} onClick={() => bulk.mutate({ action: "retry", runIds: [...selected] }, { onSuccess: () => setSelected(new Set()) })}>
                Retry selected
              </Button>
            </div>
          )}
        </div>
        {bulk.data && (
          <p className="mt-2 text-xs text-zinc-600" role="status" data-testid="bulk-result">
            {bulk.data.action === "cancel" ? "Cancelled" : "Retried"} {bulk.data.succeeded} run(s)
            {bulk.data.failed ? `; ${bulk.data.failed} refused: ${bulk.data.results.filter((r) => !r.ok).map((r) => r.error?.message).slice(0, 3).join(" ")}` : "."}
          </p>
        )}
      </Card>
      <Card>
        <QueryView
          query={runs}
          errorTitle="Could not load runs"
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title={filtered ? "No runs match these filters" : "No runs yet"}
              description={filtered ? "Clear a filter to see more." : "Start one from a deployment's page or through the API."}
            />
          }
        >
          {(data) => (
            <>
              <Table size="compact" data-testid="runs-table">
                <THead>
                  <tr>
                    {mayWrite && (
                      <TH className="w-8">
                        <input type="checkbox" aria-label="Select all on this page" checked={allOnPage} onChange={() => setSelected(allOnPage ? new Set() : new Set(items.map((r) => r.id)))} />
                      </TH>
                    )}
                    <TH>Run</TH>
                    <TH>Status</TH>
                    <TH>Deployment</TH>
                    <TH>Endpoint</TH>
                    <TH>Progress</TH>
                    <TH className="text-right">Queue</TH>
                    <TH className="text-right">Cold start</TH>
                    <TH className="text-right">Execution</TH>
                    <TH className="text-right">Cost</TH>
                    <TH className="text-right">Created</TH>
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((r) => {
                    const a = lastAttempt(r);
                    return (
                      <TR key={r.id} data-testid="run-row" data-status={r.status} className="cursor-pointer" onClick={() => router.push(`/runs/${r.id}`)}>
                        {mayWrite && (
                          <TD onClick={(e) => e.stopPropagation()}>
                            <input type="checkbox" aria-label={`Select ${r.id}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                          </TD>
                        )}
                        <RunIdCell id={r.id} />
                        <TD>
                          <StatusBadge status={r.status} />
                        </TD>
                        <TD>
                          <Link href={`/deployments/${r.deploymentSlug}`} title={r.deploymentSlug} className="block max-w-[10rem] truncate hover:underline" onClick={(e) => e.stopPropagation()}>{r.deploymentSlug}</Link>
                        </TD>
                        <TD className="text-xs">
                          {a ? (
                            <Link href={`/endpoints/${a.endpointId}`} title={endpointName.get(a.endpointId) ?? a.provider} className="block max-w-[12rem] hover:underline" onClick={(e) => e.stopPropagation()}>
                              <span className="block truncate">{endpointName.get(a.endpointId) ?? a.provider}</span>
                              {r.attempts.length > 1 && <span className="block text-zinc-400">attempt {a.number}</span>}
                            </Link>
                          ) : (
                            <span className="text-zinc-400">—</span>
                          )}
                        </TD>
                        <TD>
                          <Progress run={r} />
                        </TD>
                        <TD className="text-right tabular-nums text-xs">{formatDuration(r.timings.queueMs)}</TD>
                        <TD className="text-right tabular-nums text-xs">{formatDuration(a?.coldStartMs ?? null)}</TD>
                        <TD className="text-right tabular-nums text-xs">{formatDuration(r.timings.executionMs)}</TD>
                        <TD className="text-right tabular-nums">{formatUsd(r.costUsd)}</TD>
                        <TD className="whitespace-nowrap text-right text-xs text-zinc-500">{formatRelative(r.createdAt)}</TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
              <div className="flex items-center justify-end gap-2 border-t border-zinc-100 px-4 py-2">
                <span className="mr-auto text-xs text-zinc-400">Page {cursors.length + 1}</span>
                <Button size="sm" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>Newer</Button>
                <Button size="sm" disabled={!data.nextCursor} onClick={() => data.nextCursor && setCursors((c) => [...c, data.nextCursor!])}>Older</Button>
              </div>
            </>
          )}
        </QueryView>
      </Card>
    </>
  );
}
