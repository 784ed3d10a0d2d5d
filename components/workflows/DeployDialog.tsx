"use client";
// Deploy a workflow version: name/slug, target endpoints in priority order, the slots prepared in
// the graph, limits. An `endpoint_incompatible` refusal lists what each endpoint lacks. State and
// submit: use-deploy-form; the endpoint picker: DeployTargets; the parameters: DeploySlotsSummary.
import type { WorkflowVersion } from "../api";
import type { NodeIssue } from "../graph/model";
import { Button, ErrorCallout, Field, Input, Select, Sheet } from "../ui";
import { DeploySlotsSummary } from "./DeploySlotsSummary";
import { DeployTargets } from "./DeployTargets";
import type { SlotDraftApi } from "./slot-draft";
import { useDeployForm } from "./use-deploy-form";

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
  const form = useDeployForm({ workflowName, version, draftApi, onIncompatible });
  const { create, name, setName, slug, setSlug, timeoutSeconds, setTimeoutSeconds, maxAttempts, setMaxAttempts, incompatible, formError } = form;

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
          <Button variant="primary" onClick={form.submit} loading={create.isPending} data-testid="deploy-submit">
            Deploy version {version.number}
          </Button>
        </>
      }
    >
      <div className="space-y-6">
        <section className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" htmlFor="dep-name">
            <Input id="dep-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Slug" htmlFor="dep-slug" hint={<span className="font-mono">/api/v1/deployments/{slug || "…"}/runs</span>}>
            <Input id="dep-slug" value={slug} className="font-mono" onChange={(e) => setSlug(e.target.value)} />
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

        <DeployTargets form={form} />
        <DeploySlotsSummary draftApi={draftApi} onEdit={onClose} />

        {formError && <ErrorCallout error={formError} />}
        {create.error && (
          <ErrorCallout
            error={create.error}
            title={incompatible.length ? "Some endpoints cannot run this workflow" : "The deployment was not created"}
          >
            {incompatible.length > 0 && <p className="text-xs">The affected nodes are marked in the graph behind this panel.</p>}
          </ErrorCallout>
        )}
      </div>
    </Sheet>
  );
}
