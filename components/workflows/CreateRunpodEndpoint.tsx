"use client";
// "Create RunPod endpoint": the worker image (built from the recipe), the user's RunPod key and the
// scaling knobs; Flowgate creates the template and endpoint through RunPod's API, registers it and
// waits for its workers, showing each step's result.
import { useState } from "react";
import { useCreateRunpodEndpoint } from "../queries";
import { Badge, Button, Field, Input, Sheet } from "../ui";

const GPU_CHOICES = ["ADA_24", "AMPERE_24", "AMPERE_48", "ADA_48_PRO", "AMPERE_80", "ADA_80_PRO", "AMPERE_16"];

export function CreateRunpodEndpoint({ workflowName, onClose }: { workflowName: string; onClose: () => void }) {
  const create = useCreateRunpodEndpoint();
  const [f, setF] = useState({
    name: `${workflowName} (RunPod)`.slice(0, 100),
    image: "",
    apiKey: "",
    gpus: "ADA_24, AMPERE_24",
    workersMin: 0,
    workersMax: 3,
    idleTimeout: 5,
    flashboot: true,
    networkVolumeId: "",
    executionTimeoutS: 600,
    restUrl: "",
    apiUrl: "",
  });
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  const r = create.data;
  const submit = () =>
    create.mutate({
      name: f.name,
      image: f.image.trim(),
      apiKey: f.apiKey.trim(),
      gpuTypeIds: f.gpus.split(",").map((g) => g.trim()).filter(Boolean),
      workersMin: f.workersMin,
      workersMax: f.workersMax,
      idleTimeout: f.idleTimeout,
      flashboot: f.flashboot,
      executionTimeoutMs: f.executionTimeoutS * 1000,
      ...(f.networkVolumeId.trim() ? { networkVolumeId: f.networkVolumeId.trim() } : {}),
      ...(f.restUrl.trim() ? { restUrl: f.restUrl.trim() } : {}),
      ...(f.apiUrl.trim() ? { apiUrl: f.apiUrl.trim() } : {}),
    });
  return (
    <Sheet
      title="Create RunPod endpoint"
      description="Creates the serverless template and endpoint in your RunPod account, registers it here and waits for its workers."
      onClose={onClose}
      footer={
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{r?.ok ? "Done" : "Cancel"}</Button>
          <Button variant="primary" onClick={submit} disabled={create.isPending || !f.image.trim() || !f.apiKey.trim() || !!r?.ok}>
            {create.isPending ? "Creating…" : "Create endpoint"}
          </Button>
        </div>
      }
    >
      <div className="space-y-4">
        <Field label="Name" htmlFor="rp-name">
          <Input id="rp-name" value={f.name} onChange={(e) => set("name", e.target.value)} />
        </Field>
        <Field label="Worker image" htmlFor="rp-image" hint="Built from this workflow's recipe (Download worker recipe), e.g. docker.io/you/flowgate-portrait:v1">
          <Input id="rp-image" value={f.image} onChange={(e) => set("image", e.target.value)} placeholder="docker.io/you/flowgate-workflow:v1" />
        </Field>
        <Field label="RunPod API key" htmlFor="rp-key" hint="Stored encrypted as the endpoint's secret; never shown again.">
          <Input id="rp-key" type="password" autoComplete="off" value={f.apiKey} onChange={(e) => set("apiKey", e.target.value)} />
        </Field>
        <Field label="GPU types, in order of preference" htmlFor="rp-gpus" hint={`RunPod GPU pools, comma-separated: ${GPU_CHOICES.join(", ")}`}>
          <Input id="rp-gpus" value={f.gpus} onChange={(e) => set("gpus", e.target.value)} />
        </Field>
        <div className="grid grid-cols-3 gap-3">
          <Field label="Workers min" htmlFor="rp-min">
            <Input id="rp-min" type="number" min={0} value={f.workersMin} onChange={(e) => set("workersMin", Number(e.target.value))} />
          </Field>
          <Field label="Workers max" htmlFor="rp-max">
            <Input id="rp-max" type="number" min={1} value={f.workersMax} onChange={(e) => set("workersMax", Number(e.target.value))} />
          </Field>
          <Field label="Idle timeout (s)" htmlFor="rp-idle">
            <Input id="rp-idle" type="number" min={1} value={f.idleTimeout} onChange={(e) => set("idleTimeout", Number(e.target.value))} />
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Execution timeout (s)" htmlFor="rp-timeout">
            <Input id="rp-timeout" type="number" min={10} value={f.executionTimeoutS} onChange={(e) => set("executionTimeoutS", Number(e.target.value))} />
          </Field>
          <Field label="Network volume id (optional)" htmlFor="rp-volume">
            <Input id="rp-volume" value={f.networkVolumeId} onChange={(e) => set("networkVolumeId", e.target.value)} />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input type="checkbox" checked={f.flashboot} onChange={(e) => set("flashboot", e.target.checked)} /> FlashBoot
        </label>
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-500">RunPod API URLs (advanced)</summary>
          <div className="mt-2 space-y-3">
            <Field label="REST API" htmlFor="rp-rest" hint="Default https://rest.runpod.io/v1">
              <Input id="rp-rest" value={f.restUrl} onChange={(e) => set("restUrl", e.target.value)} />
            </Field>
            <Field label="Serverless API" htmlFor="rp-api" hint="Default https://api.runpod.ai">
              <Input id="rp-api" value={f.apiUrl} onChange={(e) => set("apiUrl", e.target.value)} />
            </Field>
          </div>
        </details>
        {create.isError && <p className="text-sm text-red-700">{(create.error as Error).message}</p>}
        {r && (
          <ol className="space-y-1.5 rounded-md border border-zinc-200 p-3 text-sm" data-testid="provision-steps">
            {r.steps.map((s) => (
              <li key={s.step} className="flex items-start gap-2">
                <Badge tone={s.ok ? "green" : "red"}>{s.ok ? "✓" : "✗"} {s.step}</Badge>
                <span className="text-zinc-700">{s.detail}</span>
                <span className="ml-auto shrink-0 text-xs text-zinc-400">{(s.ms / 1000).toFixed(1)} s</span>
              </li>
            ))}
            {r.ok && r.endpointId && (
              <li className="pt-1 text-emerald-700" data-testid="provision-done">
                Endpoint ready. <a className="underline" href="/endpoints">See it under Endpoints</a> or deploy this workflow to it.
              </li>
            )}
          </ol>
        )}
      </div>
    </Sheet>
  );
}
