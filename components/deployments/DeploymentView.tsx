"use client";
// A deployment: run it from a generated form and watch the run live (progress, and the executing
// node lit up in the workflow graph), see how to call it, where it runs and its recent runs.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { TERMINAL_STATUSES, type ApiPrompt, type Run } from "../api";
import { GraphEditor } from "../graph/GraphEditor";
import { healthStatus, providerLabel } from "../endpoints/health";
import { formatRelative } from "../format";
import { useDeployment, useEndpoints, useLiveRun, useRuns, useStartRun, useWorkflowVersion } from "../queries";
import { RunDetails } from "../runs/RunDetails";
import { RunsTable } from "../runs/RunsTable";
import { Badge, ButtonLink, Card, CardBody, CardHeader, EmptyState, ErrorCallout, LoadingRows, PageHeader, Skeleton, StatusBadge } from "../ui";
import { versionNumberOf } from "../workflows/WorkflowView";
import { ContractPanel } from "./ContractPanel";
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
              {d.paused ? <StatusBadge status="paused" /> : <StatusBadge status="active" />}
              {d.workflowName && <span>{d.workflowName}</span>}
            </>
          )
        }
        actions={
          d && (
            <ButtonLink href={`/workflows/${d.workflowId}?v=${vnum}`} variant="secondary">
              Open workflow
            </ButtonLink>
          )
        }
      />
      {!d ? (
        <Card>
          <LoadingRows rows={6} />
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-5">
          <Card className="lg:col-span-2 self-start">
            <CardHeader title="Run" description={`${d.slots.length} parameter${d.slots.length === 1 ? "" : "s"} · empty fields use their default`} />
            <CardBody>
              <RunForm
                key={d.id}
                slots={d.slots}
                pending={start.isPending}
                error={start.error}
                onSubmit={(inputs) => start.mutate(inputs, { onSuccess: (run: Run) => setRunId(run.id) })}
              />
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
            <ol className="divide-y divide-zinc-100">
              {[...d.targets]
                .sort((a, b) => a.priority - b.priority)
                .map((t, i) => {
                  const ep = endpoints.data?.items.find((e) => e.id === t.endpointId);
                  return (
                    <li key={t.endpointId} className="flex items-center gap-3 px-4 py-2.5">
                      <span className="flex size-5 items-center justify-center rounded bg-zinc-900 text-[11px] font-semibold text-white">{i + 1}</span>
                      <div className="min-w-0 flex-1">
                        <p className="truncate text-sm font-medium text-zinc-900">{ep?.name ?? t.endpoint?.name ?? t.endpointId}</p>
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
            <div className="grid grid-cols-2 gap-2 border-t border-zinc-100 px-4 py-3 text-xs text-zinc-500">
              <span>
                Timeout <span className="font-medium text-zinc-800">{d.timeoutSeconds ?? 600} s</span>
              </span>
              <span>
                Max attempts <span className="font-medium text-zinc-800">{d.maxAttempts ?? 3}</span>
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
            {recent.isPending ? (
              <LoadingRows rows={3} />
            ) : recent.isError ? (
              <div className="p-4">
                <ErrorCallout error={recent.error} />
              </div>
            ) : recent.data.items.length === 0 ? (
              <EmptyState title="No runs yet" className="py-8" />
            ) : (
              <RunsTable runs={recent.data.items.slice(0, 10)} showDeployment={false} />
            )}
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
