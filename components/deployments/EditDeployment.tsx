"use client";
// Edit a deployment's settings: its targets in priority order (add, remove, move up/down), the
// timeout, max attempts, the time after which a silent attempt is hedged and the hedge budget (the
// extra GPU time hedges on lateness may cost; empty = the Flowgate default). Saved with one PATCH;
// an added target is pre-flighted like on create (a refusal names the endpoint and what it lacks).
import { useMemo, useState } from "react";
import type { Deployment } from "../api";
import { providerLabel } from "../endpoints/health";
import { useEndpoints, useUpdateDeployment } from "../queries";
import { Badge, Button, ErrorCallout, Field, Input, Select, Sheet } from "../ui";
import { accepts, HedgeBudgetPercent } from "@/lib/deployments/schemas";

export function EditDeployment({ deployment: d, onClose }: { deployment: Deployment; onClose: () => void }) {
  const endpoints = useEndpoints();
  const update = useUpdateDeployment(d.slug);
  const [targets, setTargets] = useState<string[]>(() => [...d.targets].sort((a, b) => a.priority - b.priority).map((t) => t.endpointId));
  const [timeoutSeconds, setTimeoutSeconds] = useState(String(d.timeoutSeconds ?? 600));
  const [maxAttempts, setMaxAttempts] = useState(String(d.maxAttempts ?? 3));
  const [stuckAfterSeconds, setStuckAfterSeconds] = useState(String(d.stuckAfterSeconds ?? 120));
  const [hedgeBudget, setHedgeBudget] = useState(d.hedgeBudgetPercent === null || d.hedgeBudgetPercent === undefined ? "" : String(d.hedgeBudgetPercent));
  const [adding, setAdding] = useState("");
  const all = endpoints.data?.items ?? [];
  const byId = useMemo(() => new Map(all.map((e) => [e.id, e])), [all]);
  const addable = all.filter((e) => !targets.includes(e.id));
  const enabledLeft = targets.filter((id) => !byId.get(id)?.disabled).length;

  const move = (i: number, by: -1 | 1) =>
    setTargets((t) => {
      const next = [...t];
      const j = i + by;
      if (j < 0 || j >= next.length) return t;
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });

  const num = (v: string) => (v.trim() === "" ? NaN : Number(v));
  const problems = [
    !targets.length && "Keep at least one target.",
    !(Number.isInteger(num(timeoutSeconds)) && num(timeoutSeconds) >= 5 && num(timeoutSeconds) <= 86400) && "Timeout is a whole number of seconds from 5 to 86400.",
    !(Number.isInteger(num(maxAttempts)) && num(maxAttempts) >= 1 && num(maxAttempts) <= 10) && "Max attempts is 1 to 10.",
    !(Number.isInteger(num(stuckAfterSeconds)) && num(stuckAfterSeconds) >= 1 && num(stuckAfterSeconds) <= 86400) && "Hedge after is a whole number of seconds from 1 to 86400.",
    !(hedgeBudget.trim() === "" || accepts(HedgeBudgetPercent, num(hedgeBudget))) && "Hedge budget is a whole number of percent from 0 to 100 (empty: the default).",
  ].filter(Boolean) as string[];

  const save = () =>
    update.mutate(
      {
        targets: targets.map((endpointId, priority) => ({ endpointId, priority })),
        timeoutSeconds: num(timeoutSeconds),
        maxAttempts: num(maxAttempts),
        stuckAfterSeconds: num(stuckAfterSeconds),
        hedgeBudgetPercent: hedgeBudget.trim() === "" ? null : num(hedgeBudget),
      },
      { onSuccess: onClose },
    );

  return (
    <Sheet
      title={`Edit ${d.name}`}
      description="Changes apply to new runs and to attempts started from now on (workers pick them up within 2 s)."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={update.isPending} disabled={problems.length > 0} onClick={save}>
            Save changes
          </Button>
        </>
      }
    >
      <div className="space-y-6" data-testid="edit-deployment">
        <section>
          <h3 className="text-sm font-semibold text-zinc-900">Targets</h3>
          <p className="mb-2 text-xs text-zinc-500">Tried in this order; a failure moves the run to the next. An added endpoint is checked first (node types and model files).</p>
          <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200" data-testid="edit-targets">
            {targets.map((id, i) => {
              const ep = byId.get(id);
              return (
                <li key={id} className="flex items-center gap-3 px-3 py-2" data-testid="edit-target">
                  <span className="flex size-5 items-center justify-center rounded bg-zinc-900 text-[11px] font-semibold text-white">{i + 1}</span>
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm font-medium text-zinc-900">{ep?.name ?? id}</p>
                    <p className="truncate text-xs text-zinc-500">{ep ? (providerLabel[ep.provider] ?? ep.provider) : ""}</p>
                  </div>
                  {ep?.disabled && <Badge tone="neutral">drained</Badge>}
                  <Button size="sm" variant="ghost" aria-label={`Move ${ep?.name ?? id} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Move ${ep?.name ?? id} down`} disabled={i === targets.length - 1} onClick={() => move(i, 1)}>
                    ↓
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Remove ${ep?.name ?? id}`} disabled={targets.length === 1} onClick={() => setTargets((t) => t.filter((x) => x !== id))}>
                    Remove
                  </Button>
                </li>
              );
            })}
          </ol>
          {targets.length > 0 && enabledLeft === 0 && (
            <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">
              Every target is drained: new runs will wait in the queue until one is enabled, up to the timeout.
            </p>
          )}
          {addable.length > 0 && (
            <div className="mt-3 flex items-end gap-2">
              <Field label="Add a target" htmlFor="edit-add-target" className="flex-1">
                <Select id="edit-add-target" value={adding} onChange={(e) => setAdding(e.target.value)}>
                  <option value="">Choose an endpoint…</option>
                  {addable.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.name} ({providerLabel[e.provider] ?? e.provider}){e.disabled ? " — drained" : ""}
                    </option>
                  ))}
                </Select>
              </Field>
              <Button
                disabled={!adding}
                onClick={() => {
                  setTargets((t) => [...t, adding]);
                  setAdding("");
                }}
              >
                Add
              </Button>
            </div>
          )}
        </section>

        <section className="grid grid-cols-2 gap-3">
          <Field label="Timeout (s)" htmlFor="edit-timeout" hint="The only time limit of a run.">
            <Input id="edit-timeout" type="number" min={5} max={86400} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(e.target.value)} />
          </Field>
          <Field label="Max attempts" htmlFor="edit-attempts" hint="Retries and failovers.">
            <Input id="edit-attempts" type="number" min={1} max={10} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} />
          </Field>
          <Field label="Hedge after (s)" htmlFor="edit-stuck" hint="Silence before a second attempt races it.">
            <Input id="edit-stuck" type="number" min={1} max={86400} value={stuckAfterSeconds} onChange={(e) => setStuckAfterSeconds(e.target.value)} />
          </Field>
          <Field
            label="Hedge budget (%)"
            htmlFor="edit-hedge-budget"
            hint={`Extra GPU time racing late attempts may cost; 0 turns it off. Empty: the Flowgate default${d.hedgeBudgetPercent === null ? ` (${d.effectiveHedgeBudgetPercent} %)` : ""}.`}
          >
            <Input id="edit-hedge-budget" type="number" min={0} max={100} placeholder="default" value={hedgeBudget} onChange={(e) => setHedgeBudget(e.target.value)} />
          </Field>
        </section>

        {problems.length > 0 && (
          <ul className="list-disc pl-5 text-xs text-red-600">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {update.error && <ErrorCallout error={update.error} title="The changes were not saved" />}
      </div>
    </Sheet>
  );
}
