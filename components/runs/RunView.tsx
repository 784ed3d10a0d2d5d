"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { useDeployment, useEndpoints, useLiveRun, useWorkflowVersion } from "../queries";
import { Card, CardBody, CardHeader, ErrorCallout, IdLabel, LoadingRows, PageHeader } from "../ui";
import { formatDateTime, shortId } from "../format";
import { RunDetails } from "./RunDetails";
import { RunWebhooks } from "./RunWebhooks";
import { GraphEditor } from "../graph/GraphEditor";

export function RunView({ id }: { id: string }) {
  const router = useRouter();
  const run = useLiveRun(id);
  const r = run.data;
  const deployment = useDeployment(r?.deploymentSlug ?? "");
  const version = useWorkflowVersion(deployment.data?.workflowId ?? "", deployment.data && r ? r.workflowVersion : undefined);
  const endpoints = useEndpoints();
  const names = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e.name])), [endpoints.data]);

  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: "Runs", href: "/runs" }, { label: shortId(id) }]}
        title={
          <>
            Run <IdLabel id={id} className="px-1" />
          </>
        }
        meta={
          r && (
            <>
              <Link href={`/deployments/${r.deploymentSlug}`} className="font-medium text-zinc-700 hover:underline">
                {r.deploymentSlug}
              </Link>
              <span>· version {r.workflowVersion}</span>
              <span>· created {formatDateTime(r.createdAt)}</span>
            </>
          )
        }
      />
      {run.isError ? (
        <ErrorCallout error={run.error} title="Could not load this run" />
      ) : !r ? (
        <Card>
          <LoadingRows rows={5} />
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="lg:col-span-2 self-start">
            <CardBody>
              <RunDetails run={r} prompt={version.data?.prompt} endpointNames={names} onRetried={(n) => router.push(`/runs/${n.id}`)} />
            </CardBody>
          </Card>
          <div className="flex flex-col gap-6 self-start">
          <Card>
            <CardHeader title="Inputs" description="As sent, with any random seed filled in." />
            <pre className="max-h-[32rem] overflow-auto p-4 font-mono text-xs leading-relaxed text-zinc-800">
              {JSON.stringify(
                Object.fromEntries(
                  Object.entries(r.inputs ?? {}).map(([k, v]) => [k, typeof v === "string" && v.startsWith("data:") ? `${v.slice(0, 40)}… (${v.length} chars)` : v]),
                ),
                null,
                2,
              )}
            </pre>
          </Card>
          {r.resolvedInputs && (
            <Card>
              <CardHeader title="Resolved inputs" description="After defaults and uploads, as submitted to the endpoint." />
              <pre className="max-h-64 overflow-auto p-4 font-mono text-xs leading-relaxed text-zinc-800" data-testid="resolved-inputs">
                {JSON.stringify(r.resolvedInputs, (_k, v) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 60)}… (${v.length} chars)` : v), 2)}
              </pre>
            </Card>
          )}
          <RunWebhooks runId={r.id} webhookUrl={r.webhook ?? null} />
          </div>
          {version.data?.prompt && (
            <Card className="lg:col-span-3">
              <CardHeader
                title="Graph"
                description={
                  r.error?.nodeId
                    ? `The node the run failed at (#${r.error.nodeId}) is marked in red.`
                    : r.progress?.nodeId
                      ? `The node being executed (#${r.progress.nodeId}) is lit up.`
                      : `Version ${r.workflowVersion} as this run ran it.`
                }
              />
              <div data-testid="run-graph">
                <GraphEditor
                  prompt={version.data.prompt}
                  original={version.data.original}
                  analysis={version.data.analysis}
                  nodeStates={r.progress?.nodeId && !r.error ? { [r.progress.nodeId]: "executing" } : undefined}
                  extraIssues={r.error?.nodeId ? { [r.error.nodeId]: [{ kind: "error", message: `${r.error.code}: ${r.error.message}` }] } : undefined}
                  className="h-[420px] rounded-none rounded-b-lg border-0"
                />
              </div>
            </Card>
          )}
        </div>
      )}
    </>
  );
}
