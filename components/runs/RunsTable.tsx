"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { Run } from "../api";
import { formatDuration, formatRelative, formatUsd, runDurationMs } from "../format";
import { IdLabel, StatusBadge, Table, TBody, TD, TH, THead, TR } from "../ui";

/** A run's id cell in a clickable row: the short id (copy on click) and a link for keyboard and screen readers. */
export function RunIdCell({ id }: { id: string }) {
  return (
    <TD className="whitespace-nowrap text-xs">
      <Link href={`/runs/${id}`} className="sr-only" onClick={(e) => e.stopPropagation()}>
        Open run {id}
      </Link>
      <IdLabel id={id} className="px-1 text-zinc-900" />
    </TD>
  );
}

export function RunsTable({ runs, showDeployment = true }: { runs: Run[]; showDeployment?: boolean }) {
  const router = useRouter();
  return (
    <Table data-testid="runs-table">
      <THead>
        <tr>
          <TH>Run</TH>
          <TH>Status</TH>
          {showDeployment && <TH>Deployment</TH>}
          <TH>Version</TH>
          <TH className="text-right">Duration</TH>
          <TH className="text-right">Cost</TH>
          <TH className="text-right">Created</TH>
        </tr>
      </THead>
      <TBody>
        {runs.map((r) => (
          <TR key={r.id} className="cursor-pointer" onClick={() => router.push(`/runs/${r.id}`)}>
            <RunIdCell id={r.id} />
            <TD>
              <StatusBadge status={r.status} />
            </TD>
            {showDeployment && (
              <TD>
                <Link href={`/deployments/${r.deploymentSlug}`} className="hover:underline" onClick={(e) => e.stopPropagation()}>
                  {r.deploymentSlug}
                </Link>
              </TD>
            )}
            <TD className="text-zinc-500">v{r.workflowVersion}</TD>
            <TD className="text-right tabular-nums">{formatDuration(runDurationMs(r))}</TD>
            <TD className="text-right tabular-nums">{formatUsd(r.costUsd)}</TD>
            <TD className="text-right text-zinc-500">{formatRelative(r.createdAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
