"use client";
// The Deploy sheet's endpoint picker: tick endpoints, order them (first is tried first), and see
// what each incompatible one lacks.
import type { IncompatibleEndpoint } from "../api";
import { healthStatus, providerLabel } from "../endpoints/health";
import { Badge, cn, QueryView, StatusBadge } from "../ui";
import type { DeployForm } from "./use-deploy-form";

export function DeployTargets({ form }: { form: DeployForm }) {
  const { endpoints, ordered, targets, toggle, move, incompatible } = form;
  return (
    <section>
      <div className="mb-2 flex items-baseline justify-between">
        <h3 className="text-sm font-semibold text-zinc-900">Endpoints</h3>
        <p className="text-xs text-zinc-500">First is tried first; the next takes over on failure.</p>
      </div>
      <QueryView
        query={endpoints}
        rows={2}
        errorClassName=""
        isEmpty={(data) => data.items.length === 0}
        empty={
          <p className="rounded-md border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500">
            No endpoints yet. <a href="/endpoints" className="font-medium text-indigo-600 hover:underline">Add one</a> first.
          </p>
        }
      >
        {() => (
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200" data-testid="deploy-endpoints">
            {ordered.map((ep) => {
              const on = targets.includes(ep.id);
              const problem = incompatible.find((x) => x.endpointId === ep.id);
              return (
                <li key={ep.id} className={cn("px-3 py-2.5", problem && "bg-red-50/50")}>
                  <div className="flex items-center gap-3">
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={() => toggle(ep.id)}
                      aria-label={`Use ${ep.name}`}
                      className="size-4 rounded border-zinc-300 accent-zinc-900"
                    />
                    <span className={cn("flex size-5 items-center justify-center rounded text-[11px] font-semibold", on ? "bg-zinc-900 text-white" : "bg-zinc-100 text-zinc-400")}>
                      {on ? targets.indexOf(ep.id) + 1 : "–"}
                    </span>
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium text-zinc-900">{ep.name}</p>
                      <p className="truncate text-xs text-zinc-500">
                        {providerLabel[ep.provider] ?? ep.provider}
                        {ep.gpu ? ` · ${ep.gpu}` : ""}
                      </p>
                    </div>
                    <StatusBadge status={healthStatus(ep)} />
                    {on && (
                      <div className="flex">
                        <button type="button" aria-label="Higher priority" className="rounded px-1.5 text-zinc-500 hover:bg-zinc-100 disabled:opacity-30" disabled={targets.indexOf(ep.id) === 0} onClick={() => move(ep.id, -1)}>
                          ↑
                        </button>
                        <button type="button" aria-label="Lower priority" className="rounded px-1.5 text-zinc-500 hover:bg-zinc-100 disabled:opacity-30" disabled={targets.indexOf(ep.id) === targets.length - 1} onClick={() => move(ep.id, 1)}>
                          ↓
                        </button>
                      </div>
                    )}
                  </div>
                  {problem && <IncompatibleDetails problem={problem} />}
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function IncompatibleDetails({ problem }: { problem: IncompatibleEndpoint }) {
  return (
    <div className="mt-2 space-y-2 pl-12 text-xs" data-testid="incompatible-details">
      {problem.error && <p className="text-red-700">{problem.error}</p>}
      {(problem.missingNodes?.length ?? 0) > 0 && (
        <div>
          <p className="mb-1 font-medium text-red-800">Missing node classes</p>
          <div className="flex flex-wrap gap-1">
            {problem.missingNodes!.map((n) => (
              <Badge key={n} tone="red" className="font-mono">
                {n}
              </Badge>
            ))}
          </div>
        </div>
      )}
      {(problem.missingModels?.length ?? 0) > 0 && (
        <div>
          <p className="mb-1 font-medium text-red-800">Missing model files</p>
          <ul className="space-y-0.5">
            {problem.missingModels!.map((m, i) => (
              <li key={i} className="font-mono text-red-900">
                {m.name} <span className="text-red-600/70">← #{m.nodeId}.{m.input}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
