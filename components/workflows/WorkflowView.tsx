"use client";
// One workflow: its versions, the selected version's graph and analysis, what changed since an
// earlier version, its deployments (moved between versions here), and the Deploy flow. The slots
// edited in the graph are the ones the Deploy dialog submits.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { Deployment, WorkflowVersion } from "../api";
import { formatDateTime, formatRelative } from "../format";
import { GraphEditor } from "../graph/GraphEditor";
import type { NodeIssue } from "../graph/model";
import { useDeployments, useVersionDiff, useWorkflow, useWorkflowVersion } from "../queries";
import {
  Badge,
  Button,
  Card,
  CardHeader,
  EmptyState,
  ErrorCallout,
  LoadingRows,
  PageHeader,
  Select,
  Skeleton,
  StatusBadge,
} from "../ui";
import { DeployDialog } from "./DeployDialog";
import { MoveDeployment } from "./MoveDeployment";
import { PreflightCheck } from "./PreflightCheck";
import { useSlotDraft } from "./slot-draft";
import { UploadWorkflow } from "./UploadWorkflow";
import { diffMarks, VersionChanges } from "./VersionChanges";

export function WorkflowView({ id }: { id: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const workflow = useWorkflow(id);
  const versions = useMemo(
    () => [...(workflow.data?.versions ?? [])].sort((a, b) => b.number - a.number),
    [workflow.data?.versions],
  );
  const requested = Number(params.get("v"));
  const number = versions.some((v) => v.number === requested) ? requested : versions[0]?.number;
  const version = useWorkflowVersion(id, number);
  const draftApi = useSlotDraft(version.data?.id, version.data?.analysis?.suggestedSlots);
  const deployments = useDeployments(id);
  const [deployOpen, setDeployOpen] = useState(false);
  const [deployIssues, setDeployIssues] = useState<Record<string, NodeIssue[]> | undefined>(undefined);
  const [checkIssues, setCheckIssues] = useState<Record<string, NodeIssue[]> | undefined>(undefined);
  const extraIssues = useMemo(() => mergeIssues(deployIssues, checkIssues), [deployIssues, checkIssues]);
  const [uploadOpen, setUploadOpen] = useState(false);
  const [moving, setMoving] = useState<Deployment | null>(null);
  const [moved, setMoved] = useState<string | null>(null);

  // compare with the chosen earlier version, by default the one just before
  const earlier = versions.filter((x) => number !== undefined && x.number < number).map((x) => x.number);
  const requestedAgainst = Number(params.get("against"));
  const against = earlier.includes(requestedAgainst) ? requestedAgainst : earlier[0];
  const diff = useVersionDiff(id, number, against);
  const marks = useMemo(() => diffMarks(diff.data), [diff.data]);

  const setParam = (key: string, value: number | null) => {
    const p = new URLSearchParams(params.toString());
    if (value === null) p.delete(key);
    else p.set(key, String(value));
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };
  const selectVersion = (n: number) => {
    const p = new URLSearchParams(params.toString());
    p.set("v", String(n));
    p.delete("against");
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
    setDeployIssues(undefined);
    setCheckIssues(undefined);
  };

  if (workflow.isError)
    return (
      <>
        <PageHeader title="Workflow" breadcrumbs={[{ label: "Workflows", href: "/workflows" }]} />
        <ErrorCallout error={workflow.error} title="Could not load this workflow" />
      </>
    );

  const w = workflow.data;
  const v = version.data;
  const a = v?.analysis;

  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: "Workflows", href: "/workflows" }, { label: w?.name ?? "…" }]}
        title={w?.name ?? <Skeleton className="h-7 w-64" />}
        meta={
          v && (
            <>
              <Badge tone="indigo">v{v.number}</Badge>
              <Badge>{v.format === "ui" ? "UI export" : "API export"}</Badge>
              <span>{v.nodeCount} nodes</span>
              <span className="text-zinc-300">·</span>
              <span className="font-mono" title={v.hash}>
                {v.hash.slice(0, 12)}
              </span>
              {v.createdAt && (
                <>
                  <span className="text-zinc-300">·</span>
                  <span>uploaded {formatRelative(v.createdAt)}</span>
                </>
              )}
            </>
          )
        }
        actions={
          <>
            {versions.length > 1 && number !== undefined && (
              <Select
                aria-label="Version"
                value={number}
                onChange={(e) => selectVersion(Number(e.target.value))}
                className="h-9 w-36"
              >
                {versions.map((x) => (
                  <option key={x.number} value={x.number}>
                    Version {x.number}
                    {x.number === versions[0].number ? " (latest)" : ""}
                  </option>
                ))}
              </Select>
            )}
            <Button onClick={() => setUploadOpen((o) => !o)} disabled={!w}>
              Upload new version
            </Button>
            <Button variant="primary" onClick={() => setDeployOpen(true)} disabled={!v}>
              Deploy
            </Button>
          </>
        }
      />

      {uploadOpen && w && (
        <div className="mb-6">
          <UploadWorkflow workflowId={w.id} latestNumber={versions[0]?.number} onCancel={() => setUploadOpen(false)} />
        </div>
      )}

      {version.isError ? (
        <ErrorCallout error={version.error} title="Could not load this version" />
      ) : !v?.prompt ? (
        <Card className="flex h-[640px] items-center justify-center">
          <LoadingRows rows={3} />
        </Card>
      ) : (
        <GraphEditor
          prompt={v.prompt}
          original={v.original}
          analysis={a}
          draftApi={draftApi}
          extraIssues={extraIssues}
          diffMarks={marks}
          toolbar={<PreflightCheck workflowId={id} number={v.number} prompt={v.prompt} onIssues={setCheckIssues} />}
        />
      )}

      {number !== undefined && against !== undefined && (
        <VersionChanges number={number} against={against} choices={earlier} onAgainstChange={(n) => setParam("against", n)} query={diff} />
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <AnalysisCards version={v} loading={version.isPending} />
        </div>
        <div className="space-y-6">
          <Card>
            <CardHeader
              title="Deployments"
              description="APIs serving a version of this workflow."
              actions={
                <Button size="sm" onClick={() => setDeployOpen(true)} disabled={!v}>
                  New
                </Button>
              }
            />
            {deployments.isPending ? (
              <LoadingRows rows={2} />
            ) : deployments.isError ? (
              <div className="p-4">
                <ErrorCallout error={deployments.error} />
              </div>
            ) : deployments.data.items.length === 0 ? (
              <EmptyState title="Not deployed yet" description="Deploy a version to get an HTTP endpoint for it." className="py-8" />
            ) : (
              <ul className="divide-y divide-zinc-100" data-testid="workflow-deployments">
                {deployments.data.items.map((d) => {
                  const dv = versionNumberOf(d.workflowVersion);
                  const canMove = v && typeof dv === "number" && dv !== v.number;
                  return (
                    <li key={d.id} className="px-4 py-2.5" data-slug={d.slug}>
                      <div className="flex items-center justify-between gap-3">
                        <div className="min-w-0">
                          <Link href={`/deployments/${d.slug}`} className="block truncate text-sm font-medium text-zinc-900 hover:underline">
                            {d.name}
                          </Link>
                          <p className="truncate font-mono text-xs text-zinc-500">/{d.slug}</p>
                        </div>
                        <div className="flex shrink-0 items-center gap-2">
                          {d.paused && <StatusBadge status="paused" />}
                          <Badge tone={canMove ? "amber" : "indigo"} title={canMove ? `Serves version ${dv}` : undefined}>
                            v{dv}
                          </Badge>
                          {canMove && (
                            <Button size="sm" onClick={() => setMoving(d)}>
                              Move to v{v.number}
                            </Button>
                          )}
                        </div>
                      </div>
                      {moved === d.slug && !canMove && (
                        <p className="mt-1 text-xs text-emerald-700">Moved to version {dv}. New runs use it.</p>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          <Card>
            <CardHeader title="Versions" description="Each changed upload is a new immutable version." />
            <ul className="divide-y divide-zinc-100">
              {versions.map((x) => (
                <li key={x.number}>
                  <button
                    type="button"
                    onClick={() => selectVersion(x.number)}
                    className={`flex w-full items-center justify-between gap-3 px-4 py-2.5 text-left hover:bg-zinc-50 ${x.number === number ? "bg-zinc-50" : ""}`}
                  >
                    <span className="flex items-center gap-2">
                      <span className={`text-sm font-medium ${x.number === number ? "text-zinc-900" : "text-zinc-700"}`}>Version {x.number}</span>
                      {x.number === versions[0].number && <Badge tone="green">latest</Badge>}
                    </span>
                    <span className="text-xs text-zinc-500">
                      {x.nodeCount} nodes · {formatRelative(x.createdAt)}
                    </span>
                  </button>
                </li>
              ))}
              {workflow.isPending && <LoadingRows rows={2} />}
            </ul>
          </Card>
        </div>
      </div>

      {deployOpen && v && w && (
        <DeployDialog
          workflowName={w.name}
          version={v}
          versions={versions}
          onVersionChange={selectVersion}
          draftApi={draftApi}
          onClose={() => setDeployOpen(false)}
          onIncompatible={setDeployIssues}
        />
      )}

      {moving && v && (
        <MoveDeployment
          deployment={moving}
          workflowId={id}
          fromNumber={versionNumberOf(moving.workflowVersion) as number}
          target={v}
          onClose={() => setMoving(null)}
          onMoved={(d) => {
            setMoving(null);
            setMoved(d.slug);
          }}
        />
      )}
    </>
  );
}

function mergeIssues(...sets: (Record<string, NodeIssue[]> | undefined)[]): Record<string, NodeIssue[]> | undefined {
  const present = sets.filter((s): s is Record<string, NodeIssue[]> => !!s);
  if (present.length <= 1) return present[0];
  const out: Record<string, NodeIssue[]> = {};
  for (const set of present) for (const [id, list] of Object.entries(set)) (out[id] ??= []).push(...list);
  return out;
}

export function versionNumberOf(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "number" in v) return (v as { number: number }).number;
  return "?";
}

function AnalysisCards({ version, loading }: { version?: WorkflowVersion; loading: boolean }) {
  if (loading || !version)
    return (
      <Card>
        <LoadingRows rows={5} />
      </Card>
    );
  const a = version.analysis;
  return (
    <>
      {a.warnings.length > 0 && (
        <Card className="border-amber-200">
          <CardHeader title={`Warnings (${a.warnings.length})`} description="Found while parsing and analysing this version." />
          <ul className="divide-y divide-zinc-100">
            {a.warnings.map((w, i) => (
              <li key={i} className="flex items-start gap-3 px-4 py-2.5 text-sm">
                <Badge tone="amber" className="mt-px font-mono">
                  {w.code}
                </Badge>
                <span className="text-zinc-700">
                  {w.message}
                  {w.nodeId && <span className="ml-1 font-mono text-xs text-zinc-500">#{w.nodeId}</span>}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader title={`Outputs (${a.outputs.length})`} description="Nodes whose results a run returns." />
          {a.outputs.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">No output nodes: a run of this version would produce nothing.</p>
          ) : (
            <ul className="divide-y divide-zinc-100">
              {a.outputs.map((o) => (
                <li key={o.nodeId} className="flex items-center justify-between px-4 py-2 text-sm">
                  <span className="font-medium text-zinc-800">{o.classType}</span>
                  <span className="font-mono text-xs text-zinc-500">#{o.nodeId}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <CardHeader
            title={`Custom nodes (${a.customNodes.length})`}
            description="Not in ComfyUI core: endpoints must have them installed."
          />
          {a.customNodes.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">None — this version runs on a stock ComfyUI.</p>
          ) : (
            <ul className="divide-y divide-zinc-100">
              {a.customNodes.map((c) => (
                <li key={c.classType} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
                  <span className="truncate font-medium text-violet-800">{c.classType}</span>
                  <span className="shrink-0 font-mono text-xs text-zinc-500">{c.nodeIds.map((n) => `#${n}`).join(" ")}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card>
        <CardHeader title={`Models (${a.models.length})`} description="Files the endpoint must have, by ComfyUI model folder." />
        {a.models.length === 0 ? (
          <p className="px-4 py-6 text-sm text-zinc-500">This version loads no model files.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-zinc-200 bg-zinc-50/60 text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="px-4 py-2 font-medium">File</th>
                  <th className="px-4 py-2 font-medium">Folder</th>
                  <th className="px-4 py-2 font-medium">Input</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {a.models.map((m, i) => (
                  <tr key={i}>
                    <td className="max-w-xs truncate px-4 py-2 font-mono text-xs text-zinc-800" title={m.name}>
                      {m.name}
                    </td>
                    <td className="px-4 py-2">{m.folder ? <Badge tone="blue">{m.folder}</Badge> : <span className="text-xs text-zinc-400">unknown</span>}</td>
                    <td className="px-4 py-2 font-mono text-xs text-zinc-500">
                      #{m.nodeId}.{m.input}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {version.createdAt && <p className="text-xs text-zinc-400">Version {version.number} uploaded {formatDateTime(version.createdAt)}.</p>}
    </>
  );
}
