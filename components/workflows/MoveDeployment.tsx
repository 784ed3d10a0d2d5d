"use client";
// Move a deployment to another version of its workflow: slots whose node id and input still exist
// carry over (the API's carry-over check, GET …/diff); each one that no longer resolves is removed
// or re-pointed to a literal input of the new version before the deployment is PATCHed.
import { useMemo, useState } from "react";
import type { Deployment, Slot, WorkflowVersion } from "../api";
import { formatWidget } from "../graph/ComfyNode";
import { isLink } from "../graph/model";
import { useObjectInfo } from "../graph/object-info";
import { inferSlotFor, slotKey } from "../graph/slot-infer";
import { useUpdateDeployment, useVersionDiff } from "../queries";
import { Badge, Button, cn, ErrorCallout, QueryView, Select, Sheet } from "../ui";

type Decision = { kind: "remove" } | { kind: "repoint"; key: string };

export function MoveDeployment({
  deployment,
  workflowId,
  fromNumber,
  target,
  onClose,
  onMoved,
}: {
  deployment: Deployment;
  workflowId: string;
  fromNumber: number;
  target: WorkflowVersion;
  onClose: () => void;
  onMoved: (d: Deployment) => void;
}) {
  const diff = useVersionDiff(workflowId, target.number, fromNumber);
  const update = useUpdateDeployment(deployment.slug);
  const objectInfo = useObjectInfo();
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const prompt = target.prompt ?? {};

  const carry = diff.data?.deployments.find((x) => x.slug === deployment.slug);
  const kept = deployment.slots.filter((s) => carry?.kept.includes(s.name));
  const unresolved = (carry?.unresolved ?? []).map((u) => ({ ...u, slot: deployment.slots.find((s) => s.name === u.slot)! })).filter((u) => u.slot);

  // literal inputs of the new version a slot can be re-pointed to (not already used by a kept slot)
  const taken = useMemo(() => new Set(kept.map(slotKey)), [kept]);
  const choices = useMemo(() => {
    const out: { key: string; label: string }[] = [];
    for (const [id, node] of Object.entries(prompt).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })))
      for (const [input, value] of Object.entries(node.inputs ?? {})) {
        if (isLink(value) || taken.has(`${id}.${input}`)) continue;
        out.push({ key: `${id}.${input}`, label: `#${id} ${node._meta?.title || node.class_type} · ${input} = ${formatWidget(value)}` });
      }
    return out;
  }, [prompt, taken]);

  const resolved = (u: (typeof unresolved)[number]): { slot?: Slot; error?: string } => {
    const d = decisions[u.slot.name];
    if (!d || d.kind === "remove") return {};
    const [nodeId, ...rest] = d.key.split(".");
    const r = inferSlotFor(prompt, nodeId, rest.join("."), objectInfo, []);
    if (!r.ok) return { error: r.reason };
    // the parameter keeps its public name and description; type and limits follow the new input
    return { slot: { ...r.slot, name: u.slot.name, description: u.slot.description, required: u.slot.required } };
  };

  const undecided = unresolved.filter((u) => !decisions[u.slot.name]).length;
  const problems = unresolved.map((u) => resolved(u).error).filter(Boolean);

  async function submit() {
    const byName = new Map<string, Slot | null>();
    for (const s of kept) byName.set(s.name, s);
    for (const u of unresolved) byName.set(u.slot.name, resolved(u).slot ?? null);
    const slots = deployment.slots.map((s) => byName.get(s.name)).filter((s): s is Slot => !!s);
    try {
      const d = await update.mutateAsync({ workflowVersionId: target.id, slots });
      onMoved(d);
    } catch {
      // shown from update.error
    }
  }

  return (
    <Sheet
      title={`Move “${deployment.name}” to version ${target.number}`}
      description={`It serves version ${fromNumber} now. Runs already made keep the version they ran.`}
      onClose={onClose}
      footer={
        <>
          {undecided > 0 && <span className="mr-auto text-xs text-amber-700">Decide what happens to {undecided} parameter{undecided === 1 ? "" : "s"} first.</span>}
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={submit}
            loading={update.isPending}
            disabled={!carry || undecided > 0 || problems.length > 0}
            data-testid="move-submit"
          >
            Move to version {target.number}
          </Button>
        </>
      }
    >
      <QueryView query={diff} rows={4} errorClassName="" errorTitle="Could not compare the versions">
        {(data) => (
          <div className="space-y-6">
            <div className="flex flex-wrap items-center gap-1.5 text-xs text-zinc-600">
              <span className="mr-1">
                Version {fromNumber} → {target.number}:
              </span>
              <Badge tone="green">+{data.diff.added.length} added</Badge>
              <Badge tone="red">−{data.diff.removed.length} removed</Badge>
              <Badge tone="blue">{data.diff.changed.length} changed</Badge>
            </div>

            <section>
              <h3 className="mb-2 text-sm font-semibold text-zinc-900">Carried over ({kept.length})</h3>
              {kept.length === 0 ? (
                <p className="text-sm text-zinc-500">No parameter resolves unchanged on version {target.number}.</p>
              ) : (
                <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200" data-testid="move-kept">
                  {kept.map((s) => (
                    <li key={s.name} className="flex items-center gap-3 px-3 py-2 text-sm">
                      <span className="flex size-5 items-center justify-center rounded-full bg-emerald-100 text-[11px] font-bold text-emerald-700">✓</span>
                      <span className="font-mono font-medium text-zinc-900">{s.name}</span>
                      <span className="font-mono text-xs text-zinc-500">
                        #{s.nodeId}.{s.input}
                      </span>
                      <Badge className="ml-auto">{s.type}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            {unresolved.length > 0 && (
              <section>
                <h3 className="mb-1 text-sm font-semibold text-zinc-900">No longer resolve ({unresolved.length})</h3>
                <p className="mb-2 text-xs text-zinc-500">Remove each from the API, or point it at an input of version {target.number}; its name stays the same for callers.</p>
                <ul className="space-y-2" data-testid="move-unresolved">
                  {unresolved.map((u) => {
                    const d = decisions[u.slot.name];
                    const r = resolved(u);
                    return (
                      <li key={u.slot.name} className={cn("rounded-md border px-3 py-2.5", d ? "border-zinc-200" : "border-amber-300 bg-amber-50/40")} data-slot={u.slot.name}>
                        <div className="flex items-center gap-3 text-sm">
                          <span className="flex size-5 items-center justify-center rounded-full bg-amber-100 text-[11px] font-bold text-amber-700">!</span>
                          <span className="font-mono font-medium text-zinc-900">{u.slot.name}</span>
                          <span className="font-mono text-xs text-zinc-500 line-through">
                            #{u.slot.nodeId}.{u.slot.input}
                          </span>
                          <Badge className="ml-auto">{u.slot.type}</Badge>
                        </div>
                        <p className="mt-1 pl-8 text-xs text-amber-800">{capitalise(u.reason)}.</p>
                        <div className="mt-2 flex flex-wrap items-center gap-2 pl-8">
                          <label className="flex items-center gap-1.5 text-xs text-zinc-700">
                            <input
                              type="radio"
                              name={`d-${u.slot.name}`}
                              checked={d?.kind === "remove"}
                              onChange={() => setDecisions((x) => ({ ...x, [u.slot.name]: { kind: "remove" } }))}
                              className="accent-zinc-900"
                            />
                            Remove
                          </label>
                          <label className="flex items-center gap-1.5 text-xs text-zinc-700">
                            <input
                              type="radio"
                              name={`d-${u.slot.name}`}
                              checked={d?.kind === "repoint"}
                              onChange={() => setDecisions((x) => ({ ...x, [u.slot.name]: { kind: "repoint", key: choices[0]?.key ?? "" } }))}
                              disabled={choices.length === 0}
                              className="accent-zinc-900"
                            />
                            Re-point to
                          </label>
                          <Select
                            aria-label={`New input for ${u.slot.name}`}
                            className="h-8 min-w-0 flex-1 text-xs"
                            value={d?.kind === "repoint" ? d.key : ""}
                            onChange={(e) => setDecisions((x) => ({ ...x, [u.slot.name]: { kind: "repoint", key: e.target.value } }))}
                          >
                            <option value="" disabled>
                              Choose an input of version {target.number}…
                            </option>
                            {choices.map((c) => (
                              <option key={c.key} value={c.key}>
                                {c.label}
                              </option>
                            ))}
                          </Select>
                        </div>
                        {r.error && <p className="mt-1 pl-8 text-xs text-red-700">{r.error}</p>}
                        {r.slot && (
                          <p className="mt-1 pl-8 text-xs text-zinc-500">
                            Becomes a <span className="font-medium">{r.slot.type}</span> parameter on #{r.slot.nodeId}.{r.slot.input}
                            {r.slot.default !== undefined && <> (default {formatWidget(r.slot.default)})</>}.
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </section>
            )}

            {update.error && <ErrorCallout error={update.error} title="The deployment was not moved" />}
          </div>
        )}
      </QueryView>
    </Sheet>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
