"use client";
// One workflow: its versions, the selected version's graph and analysis, what changed since an
// earlier version, its deployments (moved between versions here), and the Deploy flow. The slots
// edited in the graph are the ones the Deploy dialog submits. The version shown and the one it is
// compared with live in the URL (use-version-params).
import { useMemo, useState } from "react";
import type { Deployment } from "../api";
import { formatRelative } from "../format";
import { GraphEditor } from "../graph/GraphEditor";
import type { NodeIssue } from "../graph/model";
import { useVersionDiff, useWorkflow, useWorkflowVersion } from "../queries";
import { Badge, Button, Card, ErrorCallout, LoadingRows, PageHeader, Select, Skeleton } from "../ui";
import { DeployDialog } from "./DeployDialog";
import { MoveDeployment } from "./MoveDeployment";
import { PreflightCheck } from "./PreflightCheck";
import { useSlotDraft } from "./slot-draft";
import { UploadWorkflow } from "./UploadWorkflow";
import { useVersionParams } from "./use-version-params";
import { versionNumberOf } from "./version-number";
import { diffMarks, VersionChanges } from "./VersionChanges";
import { AnalysisCards } from "./WorkflowAnalysis";
import { RequirementsChecklist } from "./RequirementsChecklist";
import { CostPreviewCard } from "./CostPreviewCard";
import { CreateRunpodEndpoint } from "./CreateRunpodEndpoint";
import { WorkflowDeployments } from "./WorkflowDeployments";
import { WorkflowVersions } from "./WorkflowVersions";

export function WorkflowView({ id }: { id: string }) {
  const workflow = useWorkflow(id);
  const { versions, number, earlier, against, selectVersion: showVersion, setAgainst } = useVersionParams(workflow.data?.versions);
  const version = useWorkflowVersion(id, number);
  const draftApi = useSlotDraft(version.data?.id, version.data?.analysis?.suggestedSlots);
  const [deployOpen, setDeployOpen] = useState(false);
  const [deployIssues, setDeployIssues] = useState<Record<string, NodeIssue[]> | undefined>(undefined);
  const [checkIssues, setCheckIssues] = useState<Record<string, NodeIssue[]> | undefined>(undefined);
  const extraIssues = useMemo(() => mergeIssues(deployIssues, checkIssues), [deployIssues, checkIssues]);
  const [uploadOpen, setUploadOpen] = useState(false);
  const [runpodOpen, setRunpodOpen] = useState(false);
  const [moving, setMoving] = useState<Deployment | null>(null);
  const [moved, setMoved] = useState<string | null>(null);

  // compare with the chosen earlier version, by default the one just before
  const diff = useVersionDiff(id, number, against);
  const marks = useMemo(() => diffMarks(diff.data), [diff.data]);

  const selectVersion = (n: number) => {
    showVersion(n);
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
            <Button onClick={() => setRunpodOpen(true)} disabled={!w}>
              Create RunPod endpoint
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
        <VersionChanges number={number} against={against} choices={earlier} onAgainstChange={setAgainst} query={diff} />
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <RequirementsChecklist workflowId={id} number={v?.number} />
          <CostPreviewCard workflowId={id} number={v?.number} />
          <AnalysisCards version={v} loading={version.isPending} />
        </div>
        <div className="space-y-6">
          <WorkflowDeployments workflowId={id} version={v} moved={moved} onNew={() => setDeployOpen(true)} onMove={setMoving} />
          <WorkflowVersions versions={versions} current={number} loading={workflow.isPending} onSelect={selectVersion} />
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

      {runpodOpen && w && <CreateRunpodEndpoint workflowName={w.name} onClose={() => setRunpodOpen(false)} />}

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
