"use client";
// A deployment: run it from a generated form and watch the run live (progress, and the executing
// node lit up in the workflow graph), see how to call it, where it runs and its recent runs.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { TERMINAL_STATUSES, type ApiPrompt, type Run } from "../api";
import { GraphEditor } from "../graph/GraphEditor";
import { healthStatus, providerLabel } from "../endpoints/health";
import { formatRelative } from "../format";
import { useDeployment, useDeploymentLifecycle, useEndpoints, useLiveRun, useRuns, useStartRun, useWorkflowVersion } from "../queries";
import { RunDetails } from "../runs/RunDetails";
import { RunsTable } from "../runs/RunsTable";
import { Badge, Button, ButtonLink, Card, CardBody, CardHeader, ConfirmDialog, EmptyState, ErrorCallout, LoadingRows, PageHeader, QueryView, Skeleton, StatusBadge } from "../ui";
import { versionNumberOf } from "../workflows/version-number";
import { ContractPanel } from "./ContractPanel";
import { EditDeployment } from "./EditDeployment";
import { RunForm } from "./RunForm";

export function DeploymentView({ slug }: { slug: string }) {
  const deployment = useDeployment(slug);
  const d = deployment.data;
  const vnum = d ? versionNumberOf(d.workflowVersion) : undefined;
  const version = useWorkflowVersion(d?.workflowId ?? "", typeof vnum === "number" ? vnum : undefined);
  const endpoints = useEndpoints();
  const endpointNames = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e.name])), [endpoints.data]);
  const start = useStartRun(slug);
  const [runId, setRunId] = useState<string | null>(null);
  const live = useLiveRun(runId);
  const recent = useRuns({ deployment: slug }, { refetchInterval: 10_000 });
  const { states: nodeStates, executed } = useRunNodeStates(live.data, version.data?.prompt);
  const { pause, remove } = useDeploymentLifecycle(slug);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const deleted = !!d?.deletedAt;

  if (deployment.isError)
    return (
      <>
        <PageHeader title={slug} breadcrumbs={[{ label: "Deployments", href: "/deployments" }]} />
        <ErrorCallout error={deployment.error} title="Could not load this deployment" />
      </>
    );

  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: "Deployments", href: "/deployments" }, { label: d?.name ?? slug }]}
        title={d?.name ?? <Skeleton className="h-7 w-64" />}
        meta={
          d && (
            <>
              <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-700">POST {d.url}</code>
              <Badge tone="indigo">v{vnum}</Badge>
              <StatusBadge status={deleted ? "deleted" : d.paused ? "paused" : "active"} />
            </>
          )
        }
        actions={
          d && (
            <>
              {!deleted && (
                <>
                  <Button onClick={() => setEditing(true)}>Edit</Button>
                  <Button loading={pause.isPending} onClick={() => pause.mutate(!d.paused)}>
                    {d.paused ? "Resume" : "Pause"}
                  </Button>
                  <Button variant="ghost" className="text-red-700! hover:bg-red-50!" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </Button>
                </>
              )}
              <ButtonLink href={`/workflows/${d.workflowId}?v=${vnum}`} variant="secondary">
                Open workflow
              </ButtonLink>
            </>
          )
        }
      />
      {pause.error && <ErrorCallout className="mb-4" error={pause.error} title={d?.paused ? "Could not resume" : "Could not pause"} />}
      {d && deleted && (
        <div className="mb-6 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" data-testid="deployment-deleted">
          <p className="font-medium">Deleted {d.deletedAt ? formatRelative(d.deletedAt) : ""}: this deployment accepts no runs.</p>
          <p className="mt-0.5 text-xs">
            Calls to <code>POST {d.url}</code> answer 410 <code>deployment_deleted</code>. Its runs and their history stay readable below and in{" "}
            <Link className="underline" href={`/runs?deployment=${encodeURIComponent(slug)}`}>Runs</Link>. The slug <code>{d.slug}</code> is not reused.
          </p>
        </div>
      )}
      {d && !deleted && d.paused && (
        <div className="mb-6 flex items-center justify-between gap-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="deployment-paused">
          <div>
            <p className="font-medium">Paused: new runs are refused.</p>
            <p className="mt-0.5 text-xs">
              Calls answer 409 <code>deployment_paused</code>; runs already accepted carry on. Resume to accept runs again.
            </p>
          </div>
          <Button variant="primary" loading={pause.isPending} onClick={() => pause.mutate(false)}>
            Resume
          </Button>
        </div>
      )}
      {editing && d && <EditDeployment deployment={d} onClose={() => setEditing(false)} />}
      {confirmDelete && d && (
        <ConfirmDialog
          title={`Delete ${d.name}?`}
          confirmLabel="Delete deployment"
          pending={remove.isPending}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirmDelete(false) })}
        >
          <ul className="list-disc space-y-1 pl-5" data-testid="delete-consequences">
            <li>
              It stops accepting runs: <code className="text-xs">POST {d.url}</code> and retries answer 410 <code className="text-xs">deployment_deleted</code>.
            </li>
            <li>
              Its {d.runCounts?.total === 1 ? "1 run and its" : `${d.runCounts?.total ?? 0} runs and their`} history (attempts, outputs, events, webhooks) stay readable in Runs and at{" "}
              <code className="text-xs">GET /api/v1/runs/&#123;id&#125;</code>.
            </li>
            {(d.runCounts?.inFlight ?? 0) > 0 && (
              <li>
                {d.runCounts!.inFlight} run{d.runCounts!.inFlight === 1 ? " is" : "s are"} still in flight and will finish; cancel {d.runCounts!.inFlight === 1 ? "it" : "them"} first if not wanted.
              </li>
            )}
            <li>
              The slug <code className="text-xs">{d.slug}</code> cannot be used again. To stop runs only for a while, Pause instead.
            </li>
          </ul>
          {remove.error && <ErrorCallout error={remove.error} title="Not deleted" />}
        </ConfirmDialog>
      )}
      {!d ? (
        <Card>
          <LoadingRows rows={6} />
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-5">
          <Card className="lg:col-span-2 self-start">
            <CardHeader title="Run" description={`${d.slots.length} parameter${d.slots.length === 1 ? "" : "s"} · empty fields use their default`} />
            <CardBody>
              {deleted ? (
                <p className="text-sm text-zinc-500">This deployment was deleted and accepts no runs.</p>
              ) : (
                <RunForm
                  key={d.id}
                  slots={d.slots}
                  pending={start.isPending}
                  error={start.error}
                  onSubmit={(inputs) => start.mutate(inputs, { onSuccess: (run: Run) => setRunId(run.id) })}
                />
              )}
            </CardBody>
          </Card>
          <Card className="lg:col-span-3 self-start" data-testid="live-run">
            <CardHeader title={runId ? "Latest run" : "Output"} description={runId ? "Live from the run's event stream." : undefined} />
            <CardBody>
              {!runId ? (
                <EmptyState
                  className="py-16"
                  title="No run yet"
                  description="Fill in the parameters and press Run: progress and output images appear here."
                />
              ) : live.data ? (
                <RunDetails run={live.data} prompt={version.data?.prompt} endpointNames={endpointNames} onRetried={(r) => setRunId(r.id)} />
              ) : live.isError ? (
                <ErrorCallout error={live.error} />
              ) : (
                <LoadingRows rows={3} />
              )}
            </CardBody>
          </Card>
          <Card className="lg:col-span-5" data-testid="run-graph" data-executed={executed.join(",")}>
            <CardHeader
              title="Workflow"
              description={
                live.data && !TERMINAL_STATUSES.includes(live.data.status)
                  ? "The node the run is executing is lit up; the ones it has passed are ticked."
                  : `Version ${vnum} as this deployment runs it; its API parameters are marked.`
              }
              actions={<RunLegend />}
            />
            {version.data?.prompt ? (
              <GraphEditor
                prompt={version.data.prompt}
                original={version.data.original}
                analysis={version.data.analysis}
                slots={d.slots}
                nodeStates={nodeStates}
                className="h-[420px] rounded-none rounded-b-lg border-0"
              />
            ) : (
              <LoadingRows rows={4} />
            )}
          </Card>
          <div className="lg:col-span-3">
            <ContractPanel deployment={d} />
          </div>
          <Card className="lg:col-span-2 self-start">
            <CardHeader title="Targets" description="Tried in this order; failures move to the next." />
            <ol className="divide-y divide-zinc-100" data-testid="deployment-targets">
              {[...d.targets]
                .sort((a, b) => a.priority - b.priority)
                .map((t, i) => {
                  const ep = endpoints.data?.items.find((e) => e.id === t.endpointId);
                  return (
                    <li key={t.endpointId} className="flex items-center gap-3 px-4 py-2.5">
                      <span className="flex size-5 items-center justify-center rounded bg-zinc-900 text-[11px] font-semibold text-white">{i + 1}</span>
                      <div className="min-w-0 flex-1">
                        <p className="truncate text-sm font-medium text-zinc-900">{ep?.name ?? t.endpointName ?? t.endpointId}</p>
                        <p className="truncate text-xs text-zinc-500">
                          {ep ? (providerLabel[ep.provider] ?? ep.provider) : ""}
                          {ep?.gpu ? ` · ${ep.gpu}` : ""}
                        </p>
                      </div>
                      {ep && <StatusBadge status={healthStatus(ep)} />}
                    </li>
                  );
                })}
            </ol>
            <div className="grid grid-cols-2 gap-2 border-t border-zinc-100 px-4 py-3 text-xs text-zinc-500" data-testid="deployment-limits">
              <span>
                Timeout <span className="font-medium text-zinc-800">{d.timeoutSeconds ?? 600} s</span>
              </span>
              <span>
                Max attempts <span className="font-medium text-zinc-800">{d.maxAttempts ?? 3}</span>
              </span>
              <span>
                Hedge after <span className="font-medium text-zinc-800">{d.stuckAfterSeconds ?? 120} s</span>
              </span>
              <span title="The extra GPU time racing late attempts may cost, as a share of this deployment's">
                Hedge budget{" "}
                <span className="font-medium text-zinc-800">
                  {d.effectiveHedgeBudgetPercent === 0 ? "off" : `${d.effectiveHedgeBudgetPercent} %`}
                  {d.hedgeBudgetPercent === null ? " (default)" : ""}
                </span>
              </span>
              {d.createdAt && <span className="col-span-2">Created {formatRelative(d.createdAt)}</span>}
            </div>
          </Card>
          <Card className="lg:col-span-5">
            <CardHeader
              title="Recent runs"
              actions={
                <Link href={`/runs?deployment=${encodeURIComponent(slug)}`} className="text-xs font-medium text-zinc-600 hover:text-zinc-900">
                  All runs →
                </Link>
              }
            />
            <QueryView
              query={recent}
              rows={3}
              isEmpty={(data) => data.items.length === 0}
              empty={<EmptyState title="No runs yet" className="py-8" />}
            >
              {(data) => <RunsTable runs={data.items.slice(0, 10)} showDeployment={false} />}
            </QueryView>
          </Card>
        </div>
      )}
    </>
  );
}

/**
 * Node states of a live run for the graph: the node its progress names is executing, nodes it
 * named before are done, and every node is done once the run succeeded. `executed` lists the
 * nodes the run was seen executing (kept after the run ends).
 */
function useRunNodeStates(run: Run | undefined, prompt: ApiPrompt | undefined) {
  const [seen, setSeen] = useState<{ runId: string; ids: string[] }>({ runId: "", ids: [] });
  const runId = run?.id ?? "";
  const current = run?.status === "running" ? (run.progress?.nodeId ?? null) : null;
  useEffect(() => {
    if (!runId) return;
    setSeen((s) => {
      const ids = s.runId === runId ? s.ids : [];
      if (!current || ids.includes(current)) return s.runId === runId ? s : { runId, ids };
      return { runId, ids: [...ids, current] };
    });
  }, [runId, current]);
  const ids = seen.runId === runId ? seen.ids : [];
  const succeeded = run?.status === "succeeded";
  const states = useMemo(() => {
    if (!run) return undefined;
    const out: Record<string, "executing" | "done"> = {};
    if (succeeded && prompt) for (const id of Object.keys(prompt)) out[id] = "done";
    for (const id of ids) out[id] = "done";
    if (current && !TERMINAL_STATUSES.includes(run.status)) out[current] = "executing";
    return out;
  }, [run, succeeded, prompt, ids, current]);
  return { states, executed: ids };
}

function RunLegend() {
  return (
    <div className="flex items-center gap-3 text-[11px] text-zinc-500">
      <span className="flex items-center gap-1.5">
        <span className="size-2.5 rounded-sm border-2 border-emerald-500 bg-emerald-100" /> executing
      </span>
      <span className="flex items-center gap-1.5">
        <span className="flex size-3 items-center justify-center rounded-full bg-emerald-500 text-[8px] font-bold text-white">✓</span> done
      </span>
      <span className="flex items-center gap-1.5">
        <span className="rounded bg-indigo-600 px-1 text-[8px] font-semibold text-white">API</span> parameter
      </span>
    </div>
  );
}
