"use client";
import { useState, type FormEvent } from "react";
import type { Endpoint } from "../api";
import { useCreateEndpoint, useEndpointHealth, useUpdateEndpoint } from "../queries";
import { Button, Card, CardBody, CardHeader, ErrorCallout, Field, Input, Select, Textarea } from "../ui";

type ProviderKind = "comfyui" | "runpod" | "runcomfy";

const PROVIDERS: { value: ProviderKind; label: string; help: string }[] = [
  { value: "comfyui", label: "ComfyUI server", help: "A ComfyUI you run (a pod or a machine), reached over HTTP." },
  { value: "runpod", label: "RunPod Serverless", help: "A RunPod Serverless endpoint running worker-comfyui." },
  { value: "runcomfy", label: "RunComfy Serverless", help: "A RunComfy Serverless deployment." },
];

/** Add an endpoint, or edit one (`editing`): same form; the provider is fixed and an empty secret keeps the stored one. */
export function CreateEndpoint({ onDone, editing }: { onDone: () => void; editing?: Endpoint }) {
  const create = useCreateEndpoint();
  const update = useUpdateEndpoint();
  const save = editing ? update : create;
  const health = useEndpointHealth();
  const c = (editing?.config ?? {}) as Record<string, unknown>;
  const [provider, setProvider] = useState<ProviderKind>((editing?.provider as ProviderKind) ?? "comfyui");
  const [name, setName] = useState(editing?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(typeof c.baseUrl === "string" ? c.baseUrl : "");
  const [remoteId, setRemoteId] = useState(String(c.endpointId ?? c.deploymentId ?? ""));
  const [headers, setHeaders] = useState(c.headers ? JSON.stringify(c.headers) : "");
  const [secret, setSecret] = useState("");
  const [gpu, setGpu] = useState(editing?.gpu ?? "");
  const [price, setPrice] = useState(editing?.pricePerHourUsd != null ? String(editing.pricePerHourUsd) : "");
  const [localError, setLocalError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setLocalError(null);
    const config: Record<string, unknown> = {};
    if (provider === "comfyui") {
      if (!/^https?:\/\//.test(baseUrl)) return setLocalError("Enter the server's base URL, starting with http:// or https://.");
      config.baseUrl = baseUrl.replace(/\/+$/, "");
      if (headers.trim()) {
        try {
          const parsed = JSON.parse(headers);
          if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
          config.headers = parsed;
        } catch {
          return setLocalError('Headers must be a JSON object, e.g. {"X-Token": "…"}.');
        }
      }
    } else {
      if (!remoteId.trim()) return setLocalError(provider === "runpod" ? "Enter the RunPod endpoint ID." : "Enter the RunComfy deployment ID.");
      config[provider === "runpod" ? "endpointId" : "deploymentId"] = remoteId.trim();
      if (baseUrl.trim()) config.baseUrl = baseUrl.trim().replace(/\/+$/, "");
    }
    try {
      const fields = {
        name: name.trim(),
        config,
        secret: secret || undefined,
        gpu: gpu.trim() || undefined,
        pricePerHourUsd: price.trim() ? Number(price) : undefined,
      };
      const ep = editing ? await update.mutateAsync({ id: editing.id, ...fields }) : await create.mutateAsync({ ...fields, provider });
      setSecret("");
      // check right away so the list shows a real health badge
      health.mutate(ep.id);
      onDone();
    } catch {
      // shown below
    }
  }

  const p = PROVIDERS.find((x) => x.value === provider)!;
  return (
    <Card>
      <CardHeader title={editing ? `Edit ${editing.name}` : "Add endpoint"} description={p.help} />
      <CardBody>
        <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
          <Field label="Provider" htmlFor="ep-provider">
            <Select id="ep-provider" value={provider} disabled={!!editing} onChange={(e) => setProvider(e.target.value as ProviderKind)}>
              {PROVIDERS.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Name" htmlFor="ep-name">
            <Input id="ep-name" required value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. A100 pod, eu-west" />
          </Field>
          {provider === "comfyui" ? (
            <>
              <Field label="Base URL" htmlFor="ep-url" hint="Where ComfyUI answers /prompt, /history and /object_info.">
                <Input id="ep-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="http://10.0.0.5:8188" className="font-mono" />
              </Field>
              <Field label="Extra headers (optional)" htmlFor="ep-headers" hint="JSON object sent with every request, e.g. for a proxy token.">
                <Textarea id="ep-headers" rows={1} value={headers} onChange={(e) => setHeaders(e.target.value)} placeholder='{"X-Token": "…"}' className="min-h-9 font-mono text-xs" />
              </Field>
            </>
          ) : (
            <>
              <Field label={provider === "runpod" ? "Endpoint ID" : "Deployment ID"} htmlFor="ep-remote">
                <Input id="ep-remote" value={remoteId} onChange={(e) => setRemoteId(e.target.value)} className="font-mono" />
              </Field>
              <Field
                label="API base URL (optional)"
                htmlFor="ep-url"
                hint={provider === "runpod" ? "Default https://api.runpod.ai" : "Default https://api.runcomfy.net"}
              >
                <Input id="ep-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} className="font-mono" />
              </Field>
            </>
          )}
          <Field
            label={provider === "comfyui" ? "Secret (optional)" : "API key"}
            htmlFor="ep-secret"
            hint={editing ? "Leave empty to keep the stored one. Write-only: stored encrypted, never shown." : "Write-only: stored encrypted and never shown again."}
          >
            <Input id="ep-secret" type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field label="GPU" htmlFor="ep-gpu">
              <Input id="ep-gpu" value={gpu} onChange={(e) => setGpu(e.target.value)} placeholder="A100-80GB" />
            </Field>
            <Field label="Price per hour (USD)" htmlFor="ep-price" hint="Used for run cost.">
              <Input id="ep-price" type="number" step="0.01" min="0" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="2.17" />
            </Field>
          </div>
          {(localError || save.error) && (
            <div className="md:col-span-2">
              <ErrorCallout error={localError ?? save.error} title={editing ? "The changes were not saved" : "The endpoint was not added"} />
            </div>
          )}
          <div className="flex justify-end gap-2 md:col-span-2">
            <Button variant="ghost" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" loading={save.isPending}>
              {editing ? "Save changes" : "Add endpoint"}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
