"use client";
// Deploy a workflow version: name/slug, target endpoints in priority order, the slots prepared in
// the graph, limits. An `endpoint_incompatible` refusal lists what each endpoint lacks.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ApiError, type Endpoint, type IncompatibleEndpoint, type WorkflowVersion } from "../api";
import { healthStatus, providerLabel } from "../endpoints/health";
import type { NodeIssue } from "../graph/model";
import { slotKey } from "../graph/slot-infer";
import { useCreateDeployment, useEndpoints } from "../queries";
import { Badge, Button, cn, ErrorCallout, Field, Input, Select, Sheet, StatusBadge } from "../ui";
import type { SlotDraftApi } from "./slot-draft";
import { slugify } from "@/lib/deployments/slug";

// One slug rule for the dashboard and the server (lib/deployments/slug.ts).
export { slugify } from "@/lib/deployments/slug";

export function DeployDialog({
  workflowName,
  version,
  versions,
  onVersionChange,
  draftApi,
  onClose,
  onIncompatible,
}: {
  workflowName: string;
  version: WorkflowVersion;
  versions: WorkflowVersion[];
  onVersionChange: (n: number) => void;
  draftApi: SlotDraftApi;
  onClose: () => void;
  onIncompatible: (issues: Record<string, NodeIssue[]> | undefined) => void;
}) {
  const router = useRouter();
  const endpoints = useEndpoints();
  const create = useCreateDeployment();
  const [name, setName] = useState(workflowName);
  const [slug, setSlug] = useState(slugify(workflowName));
  const [slugTouched, setSlugTouched] = useState(false);
  const [targets, setTargets] = useState<string[]>([]);
  const [timeoutSeconds, setTimeoutSeconds] = useState("600");
  const [maxAttempts, setMaxAttempts] = useState("3");
  const [formError, setFormError] = useState<string | null>(null);
  const slots = draftApi.draft.slots;

  const byId = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e])), [endpoints.data]);
  // Preselect healthy endpoints once, so the common case is one click.
  const [preselected, setPreselected] = useState(false);
  if (!preselected && endpoints.data) {
    setPreselected(true);
    const usable = endpoints.data.items.filter((e) => healthStatus(e) !== "disabled");
    const healthy = usable.filter((e) => healthStatus(e) === "healthy");
    setTargets((healthy.length ? healthy : usable).slice(0, 1).map((e) => e.id));
  }

  const incompatible: IncompatibleEndpoint[] =
    create.error instanceof ApiError && create.error.code === "endpoint_incompatible"
      ? (((create.error.details as { endpoints?: IncompatibleEndpoint[] } | undefined)?.endpoints ?? []) as IncompatibleEndpoint[])
      : [];

  const names = slots.map((s) => s.name);
  const dupName = names.find((n, i) => names.indexOf(n) !== i);
  const badName = names.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));

  async function submit() {
    setFormError(null);
    if (!name.trim()) return setFormError("Give the deployment a name.");
    if (!targets.length) return setFormError("Pick at least one endpoint to run on.");
    if (dupName) return setFormError(`Two parameters are named “${dupName}”. Rename one.`);
    if (badName !== undefined) return setFormError(`“${badName}” is not a valid parameter name (letters, digits, underscores).`);
    onIncompatible(undefined);
    try {
      const res = await create.mutateAsync({
        name: name.trim(),
        slug: slug || undefined,
        workflowVersionId: version.id,
        slots,
        targets: targets.map((endpointId, priority) => ({ endpointId, priority })),
        timeoutSeconds: Number(timeoutSeconds) || undefined,
        maxAttempts: Number(maxAttempts) || undefined,
      });
      router.push(`/deployments/${res.slug}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "endpoint_incompatible") {
        const list = ((e.details as { endpoints?: IncompatibleEndpoint[] } | undefined)?.endpoints ?? []) as IncompatibleEndpoint[];
        const issues: Record<string, NodeIssue[]> = {};
        for (const ep of list) {
          const epName = byId.get(ep.endpointId)?.name ?? ep.endpointId;
          for (const m of ep.missingModels ?? [])
            (issues[m.nodeId] ??= []).push({ kind: "model", message: `${m.name} (${m.input}) is missing on ${epName}.` });
          for (const cls of ep.missingNodes ?? [])
            for (const [id, node] of Object.entries(version.prompt ?? {}))
              if (node.class_type === cls) (issues[id] ??= []).push({ kind: "error", message: `${cls} is not installed on ${epName}.` });
        }
        onIncompatible(issues);
      }
    }
  }

  const toggle = (id: string) => setTargets((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t, id]));
  const move = (id: string, dir: -1 | 1) =>
    setTargets((t) => {
      const i = t.indexOf(id);
      const j = i + dir;
      if (i < 0 || j < 0 || j >= t.length) return t;
      const n = [...t];
      [n[i], n[j]] = [n[j], n[i]];
      return n;
    });

  const available = endpoints.data?.items ?? [];
  const ordered: Endpoint[] = [
    ...targets.map((id) => byId.get(id)).filter((e): e is Endpoint => !!e),
    ...available.filter((e) => !targets.includes(e.id)),
  ];

  return (
    <Sheet
      title="Deploy workflow"
      description="Expose a version as an HTTP API that runs on the endpoints you pick, in priority order."
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={submit} loading={create.isPending} data-testid="deploy-submit">
            Deploy version {version.number}
          </Button>
        </>
      }
    >
      <div className="space-y-6">
        <section className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" htmlFor="dep-name">
            <Input
              id="dep-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                if (!slugTouched) setSlug(slugify(e.target.value));
              }}
            />
          </Field>
          <Field label="Slug" htmlFor="dep-slug" hint={<span className="font-mono">/api/v1/deployments/{slug || "…"}/runs</span>}>
            <Input
              id="dep-slug"
              value={slug}
              className="font-mono"
              onChange={(e) => {
                setSlugTouched(true);
                setSlug(e.target.value.toLowerCase().replace(/[^a-z0-9-]/g, "-"));
              }}
            />
          </Field>
          <Field label="Workflow version" htmlFor="dep-version" hint="Parameters below belong to this version.">
            <Select id="dep-version" value={version.number} onChange={(e) => onVersionChange(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v.number} value={v.number}>
                  Version {v.number} · {v.nodeCount} nodes
                </option>
              ))}
            </Select>
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field label="Timeout (s)" htmlFor="dep-timeout">
              <Input id="dep-timeout" type="number" min={1} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(e.target.value)} />
            </Field>
            <Field label="Max attempts" htmlFor="dep-attempts">
              <Input id="dep-attempts" type="number" min={1} max={10} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} />
            </Field>
          </div>
        </section>

        <section>
          <div className="mb-2 flex items-baseline justify-between">
            <h3 className="text-sm font-semibold text-zinc-900">Endpoints</h3>
            <p className="text-xs text-zinc-500">First is tried first; the next takes over on failure.</p>
          </div>
          {endpoints.isError ? (
            <ErrorCallout error={endpoints.error} />
          ) : available.length === 0 && endpoints.isSuccess ? (
            <p className="rounded-md border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500">
              No endpoints yet. <a href="/endpoints" className="font-medium text-indigo-600 hover:underline">Add one</a> first.
            </p>
          ) : (
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
        </section>

        <section>
          <div className="mb-2 flex items-baseline justify-between">
            <h3 className="text-sm font-semibold text-zinc-900">API parameters ({slots.length})</h3>
            <button type="button" className="text-xs font-medium text-indigo-600 hover:underline" onClick={onClose}>
              Edit in the graph
            </button>
          </div>
          {/* A summary, not a second editor: parameters are made and renamed beside the graph. */}
          {slots.length === 0 ? (
            <p className="rounded-md border border-dashed border-zinc-300 px-4 py-5 text-center text-sm text-zinc-500">
              No parameters: every run uses the workflow exactly as exported. Click values in the graph to add some.
            </p>
          ) : (
            <div className="overflow-hidden rounded-md border border-zinc-200">
              <table className="w-full text-left text-xs" data-testid="deploy-slots">
                <thead className="border-b border-zinc-200 bg-zinc-50/60 uppercase tracking-wide text-zinc-500">
                  <tr>
                    <th className="px-3 py-2 font-medium">Name</th>
                    <th className="px-3 py-2 font-medium">Type</th>
                    <th className="px-3 py-2 font-medium">Input</th>
                    <th className="px-3 py-2 font-medium">Default</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {slots.slice(0, 100).map((s) => (
                    <tr key={slotKey(s)}>
                      <td className="px-3 py-1.5 font-mono font-medium text-zinc-900">
                        {s.name}
                        {s.required && <span className="ml-1 text-red-600">*</span>}
                      </td>
                      <td className="px-3 py-1.5">
                        <Badge tone={s.type === "image" ? "violet" : s.type === "seed" ? "amber" : "neutral"}>{s.type}</Badge>
                      </td>
                      <td className="px-3 py-1.5 font-mono text-zinc-500">
                        #{s.nodeId}.{s.input}
                      </td>
                      <td className="max-w-[10rem] truncate px-3 py-1.5 font-mono text-zinc-600">
                        {s.type === "seed" ? "random" : s.default === undefined ? "—" : JSON.stringify(s.default)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {slots.length > 100 && <p className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-500">and {slots.length - 100} more</p>}
            </div>
          )}
          {draftApi.offers.length > 0 && (
            <p className="mt-2 text-xs text-zinc-500" data-testid="deploy-offers-note">
              {draftApi.offers.length} suggested parameter{draftApi.offers.length === 1 ? " is" : "s are"} not included ({draftApi.offers
                .slice(0, 4)
                .map((o) => o.name)
                .join(", ")}
              {draftApi.offers.length > 4 ? ", …" : ""}): only the parameters listed above are deployed. Add suggestions in the graph.
            </p>
          )}
        </section>

        {formError && <ErrorCallout error={formError} />}
        {create.error && (
          <ErrorCallout
            error={create.error}
            title={incompatible.length ? "Some endpoints cannot run this workflow" : "The deployment was not created"}
          >
            {incompatible.length > 0 && (
              <p className="text-xs">The affected nodes are marked in the graph behind this panel.</p>
            )}
          </ErrorCallout>
        )}
      </div>
    </Sheet>
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
