"use client";
import Link from "next/link";
import { useEndpoints, useDeployments } from "../queries";
import { formatRelative } from "../format";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, QueryView, StatusBadge, Table, TBody, TD, TH, THead, TR } from "../ui";
import { versionNumberOf } from "../workflows/version-number";

/** `/api/v1/deployments/{slug}/runs` → `…/{slug}/runs`: the part that differs between rows. */
function urlPath(url: string): string {
  let p = url;
  try {
    p = new URL(url, "http://x").pathname;
  } catch {
    // keep as is
  }
  return p.replace(/^\/api\/v1\/deployments\//, "…/");
}

export function DeploymentsView() {
  const deployments = useDeployments();
  const endpoints = useEndpoints();
  const names = new Map((endpoints.data?.items ?? []).map((e) => [e.id, e.name]));
  return (
    <>
      <PageHeader
        title="Deployments"
        description="Workflow versions exposed as HTTP APIs. Deploy from a workflow's page."
        actions={<ButtonLink href="/workflows">Go to workflows</ButtonLink>}
      />
      <Card>
        <QueryView
          query={deployments}
          errorTitle="Could not load deployments"
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title="No deployments yet"
              description="Open a workflow, choose which inputs become parameters, and press Deploy."
              action={<ButtonLink href="/workflows" variant="primary">Open workflows</ButtonLink>}
            />
          }
        >
          {(data) => (
            <Table data-testid="deployments-table">
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH>Endpoint URL</TH>
                  <TH>Version</TH>
                  <TH>Parameters</TH>
                  <TH>Targets</TH>
                  <TH>Status</TH>
                  <TH className="text-right">Created</TH>
                </tr>
              </THead>
              <TBody>
                {data.items.map((d) => (
                  <TR key={d.id}>
                    <TD className="max-w-56 truncate font-medium text-zinc-900" title={d.name}>
                      <Link href={`/deployments/${d.slug}`} className="hover:underline">
                        {d.name}
                      </Link>
                    </TD>
                    {/* the URL's path is what differs between rows; the full URL is on hover */}
                    <TD className="max-w-72 truncate font-mono text-xs text-zinc-500" title={d.url}>
                      {urlPath(d.url)}
                    </TD>
                    <TD>
                      <Badge tone="indigo">v{versionNumberOf(d.workflowVersion)}</Badge>
                    </TD>
                    <TD className="max-w-48 truncate font-mono text-xs" title={(d.slots ?? []).map((s) => s.name).join(", ")}>
                      {(d.slots ?? []).map((s) => s.name).join(", ") || "—"}
                    </TD>
                    <TD className="max-w-48 truncate text-xs">
                      {[...(d.targets ?? [])]
                        .sort((a, b) => a.priority - b.priority)
                        .map((t) => names.get(t.endpointId) ?? t.endpointName ?? t.endpointId)
                        .join(" → ") || "—"}
                    </TD>
                    <TD>{d.paused ? <StatusBadge status="paused" /> : <StatusBadge status="active" />}</TD>
                    <TD className="text-right text-zinc-500">{formatRelative(d.createdAt)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </Card>
    </>
  );
}
