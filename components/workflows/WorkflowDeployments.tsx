"use client";
// The deployments serving a version of this workflow; one serving another version than the one
// shown can be moved to it.
import Link from "next/link";
import type { Deployment, WorkflowVersion } from "../api";
import { useDeployments } from "../queries";
import { Badge, Button, Card, CardHeader, EmptyState, QueryView, StatusBadge } from "../ui";
import { versionNumberOf } from "./version-number";

export function WorkflowDeployments({
  workflowId,
  version,
  moved,
  onNew,
  onMove,
}: {
  workflowId: string;
  /** The version shown on the page. */
  version?: WorkflowVersion;
  /** The slug of the deployment just moved, to confirm it. */
  moved: string | null;
  onNew: () => void;
  onMove: (d: Deployment) => void;
}) {
  const deployments = useDeployments(workflowId);
  const v = version;
  return (
    <Card>
      <CardHeader
        title="Deployments"
        description="APIs serving a version of this workflow."
        actions={
          <Button size="sm" onClick={onNew} disabled={!v}>
            New
          </Button>
        }
      />
      <QueryView
        query={deployments}
        rows={2}
        isEmpty={(data) => data.items.length === 0}
        empty={<EmptyState title="Not deployed yet" description="Deploy a version to get an HTTP endpoint for it." className="py-8" />}
      >
        {(data) => (
          <ul className="divide-y divide-zinc-100" data-testid="workflow-deployments">
            {data.items.map((d) => {
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
                        <Button size="sm" onClick={() => onMove(d)}>
                          Move to v{v.number}
                        </Button>
                      )}
                    </div>
                  </div>
                  {moved === d.slug && !canMove && <p className="mt-1 text-xs text-emerald-700">Moved to version {dv}. New runs use it.</p>}
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}
