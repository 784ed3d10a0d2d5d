"use client";
// "Changes from vM": nodes added, removed and changed (inputs old → new) between two versions of a
// workflow, from GET …/versions/{n}/diff. The graph marks the same added and changed nodes.
import type { VersionDiff } from "../api";
import { formatWidget } from "../graph/ComfyNode";
import { isLink } from "../graph/model";
import { Badge, Card, CardHeader, cn, QueryView, Select, type QueryLike } from "../ui";

/** Added and changed nodes of the newer version, for the graph's markers. */
export function diffMarks(d: VersionDiff | undefined): Record<string, "added" | "changed"> | undefined {
  if (!d) return undefined;
  const marks: Record<string, "added" | "changed"> = {};
  for (const n of d.diff.added) marks[n.id] = "added";
  for (const n of d.diff.changed) marks[n.id] = "changed";
  return marks;
}

function formatInput(v: unknown) {
  if (v === undefined) return <span className="italic text-zinc-400">absent</span>;
  if (isLink(v)) return <span title={`linked to output ${v[1]} of node ${String(v[0])}`}>← #{String(v[0])}{v[1] ? `:${v[1]}` : ""}</span>;
  return formatWidget(v);
}

export function VersionChanges({
  number,
  against,
  choices,
  onAgainstChange,
  query,
}: {
  number: number;
  against: number;
  choices: number[];
  onAgainstChange: (n: number) => void;
  query: QueryLike<VersionDiff>;
}) {
  const d = query.data?.diff;
  const none = d && !d.added.length && !d.removed.length && !d.changed.length;
  return (
    <Card className="mt-6" data-testid="version-diff">
      <CardHeader
        title={`Changes in version ${number}`}
        description={`Compared with version ${against}: nodes by id, inputs by name.`}
        actions={
          <>
            {d && (
              <div className="hidden items-center gap-1.5 sm:flex">
                <Badge tone="green">+{d.added.length} added</Badge>
                <Badge tone="red">−{d.removed.length} removed</Badge>
                <Badge tone="blue">{d.changed.length} changed</Badge>
                <Badge>{d.unchanged} unchanged</Badge>
              </div>
            )}
            <Select aria-label="Compare with" value={against} onChange={(e) => onAgainstChange(Number(e.target.value))} className="h-7 w-40 text-xs">
              {choices.map((n) => (
                <option key={n} value={n}>
                  from version {n}
                </option>
              ))}
            </Select>
          </>
        }
      />
      <QueryView
        query={query}
        rows={3}
        errorTitle="Could not compare the versions"
        isEmpty={() => !!none}
        empty={<p className="px-4 py-6 text-sm text-zinc-500">The two versions execute the same nodes with the same inputs (only layout or titles differ).</p>}
      >
        {() =>
          d && (
        <div className="grid divide-y divide-zinc-100 md:grid-cols-4 md:divide-x md:divide-y-0">
          <Column title="Added" count={d.added.length} tone="text-emerald-700" testId="diff-added">
            {d.added.map((n) => (
              <NodeRow key={n.id} id={n.id} classType={n.classType} className="border-l-2 border-emerald-400" />
            ))}
          </Column>
          <Column title="Removed" count={d.removed.length} tone="text-red-700" testId="diff-removed">
            {d.removed.map((n) => (
              <NodeRow key={n.id} id={n.id} classType={n.classType} className="border-l-2 border-red-400 [&_span]:line-through" />
            ))}
          </Column>
          <Column title="Changed" count={d.changed.length} tone="text-sky-700" testId="diff-changed" className="md:col-span-2">
            {d.changed.map((n) => (
              <li key={n.id} className="border-l-2 border-sky-400 px-3 py-2" data-node={n.id}>
                <div className="flex items-baseline gap-2 text-sm">
                  <span className="font-medium text-zinc-900">{n.classType}</span>
                  <span className="font-mono text-xs text-zinc-500">#{n.id}</span>
                  {n.classChanged && (
                    <span className="text-xs text-zinc-500">
                      was <span className="font-mono">{n.classChanged.from}</span>
                    </span>
                  )}
                </div>
                <dl className="mt-1 space-y-0.5">
                  {n.inputs.map((i) => (
                    <div key={i.name} className="grid grid-cols-[8rem_1fr] items-baseline gap-2 text-xs">
                      <dt className="truncate font-mono text-zinc-500" title={i.name}>
                        {i.name}
                      </dt>
                      <dd className="flex min-w-0 flex-wrap items-baseline gap-x-1.5 font-mono">
                        <span className="max-w-full truncate rounded bg-red-50 px-1 text-red-800 line-through decoration-red-300">{formatInput(i.before)}</span>
                        <span className="text-zinc-400">→</span>
                        <span className="max-w-full truncate rounded bg-emerald-50 px-1 text-emerald-800">{formatInput(i.after)}</span>
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </Column>
        </div>
          )
        }
      </QueryView>
    </Card>
  );
}

function Column({
  title,
  count,
  tone,
  testId,
  className,
  children,
}: {
  title: string;
  count: number;
  tone: string;
  testId: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <section className={cn("min-w-0 p-3", className)} data-testid={testId}>
      <h3 className={cn("mb-2 px-1 text-xs font-semibold uppercase tracking-wide", tone)}>
        {title} <span className="font-normal text-zinc-400">({count})</span>
      </h3>
      {count === 0 ? <p className="px-1 text-xs text-zinc-400">None</p> : <ul className="max-h-80 space-y-1.5 overflow-y-auto">{children}</ul>}
    </section>
  );
}

function NodeRow({ id, classType, className }: { id: string; classType: string; className?: string }) {
  return (
    <li className={cn("flex items-baseline justify-between gap-2 px-3 py-1.5 text-sm", className)} data-node={id}>
      <span className="truncate font-medium text-zinc-900">{classType}</span>
      <span className="shrink-0 font-mono text-xs text-zinc-500">#{id}</span>
    </li>
  );
}
