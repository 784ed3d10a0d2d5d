"use client";
// The workflow's versions, newest first; choosing one shows it.
import type { WorkflowVersion } from "../api";
import { formatRelative } from "../format";
import { Badge, Card, CardHeader, cn, LoadingRows } from "../ui";

export function WorkflowVersions({
  versions,
  current,
  loading,
  onSelect,
}: {
  /** Newest first. */
  versions: WorkflowVersion[];
  current?: number;
  loading: boolean;
  onSelect: (n: number) => void;
}) {
  return (
    <Card>
      <CardHeader title="Versions" description="Each changed upload is a new immutable version." />
      <ul className="divide-y divide-zinc-100">
        {versions.map((x) => (
          <li key={x.number}>
            <button
              type="button"
              onClick={() => onSelect(x.number)}
              className={cn("flex w-full items-center justify-between gap-3 px-4 py-2.5 text-left hover:bg-zinc-50", x.number === current && "bg-zinc-50")}
            >
              <span className="flex items-center gap-2">
                <span className={cn("text-sm font-medium", x.number === current ? "text-zinc-900" : "text-zinc-700")}>Version {x.number}</span>
                {x.number === versions[0].number && <Badge tone="green">latest</Badge>}
              </span>
              <span className="text-xs text-zinc-500">
                {x.nodeCount} nodes · {formatRelative(x.createdAt)}
              </span>
            </button>
          </li>
        ))}
        {loading && <LoadingRows rows={2} />}
      </ul>
    </Card>
  );
}
