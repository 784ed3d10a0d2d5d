"use client";
// Where workflows execute: list with provider, health, GPU and price; create form with
// per-provider config and a write-only secret; "Test connection" checks health now.
import { useState } from "react";
import type { Endpoint, EndpointHealth } from "../api";
import { formatDuration, formatRelative, formatUsd } from "../format";
import { useEndpointHealth, useEndpoints } from "../queries";
import { Badge, Button, Card, EmptyState, ErrorCallout, LoadingRows, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "../ui";
import { CreateEndpoint } from "./CreateEndpoint";
import { healthError, healthStatus, latestHealth, providerLabel } from "./health";

function configSummary(ep: Endpoint): string {
  const c = ep.config ?? {};
  const v = c.baseUrl ?? c.endpointId ?? c.deploymentId;
  if (ep.provider === "runpod") return String(c.endpointId ?? "");
  if (ep.provider === "runcomfy") return String(c.deploymentId ?? "");
  return v ? String(v) : "";
}

export function EndpointsView() {
  const endpoints = useEndpoints();
  const [creating, setCreating] = useState(false);
  const items = endpoints.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="ComfyUI servers and serverless GPU backends that deployments run on."
        actions={
          <Button variant="primary" onClick={() => setCreating((v) => !v)}>
            {creating ? "Close" : "Add endpoint"}
          </Button>
        }
      />
      {creating && (
        <div className="mb-6">
          <CreateEndpoint onDone={() => setCreating(false)} />
        </div>
      )}
      <Card>
        {endpoints.isPending ? (
          <LoadingRows />
        ) : endpoints.isError ? (
          <div className="p-4">
            <ErrorCallout error={endpoints.error} title="Could not load endpoints" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState
            title="No endpoints yet"
            description="Add a ComfyUI server you run, a RunPod Serverless endpoint (worker-comfyui) or a RunComfy deployment."
            action={<Button variant="primary" onClick={() => setCreating(true)}>Add endpoint</Button>}
          />
        ) : (
          <Table>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Provider</TH>
                <TH>Health</TH>
                <TH>GPU</TH>
                <TH className="text-right">Price / h</TH>
                <TH className="text-right">Connection</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((ep) => (
                <EndpointRow key={ep.id} ep={ep} />
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}

function EndpointRow({ ep }: { ep: Endpoint }) {
  const test = useEndpointHealth();
  const [result, setResult] = useState<EndpointHealth | null>(null);
  const h = result ?? latestHealth(ep);
  const status = result ? (result.ok ? "healthy" : "unhealthy") : healthStatus(ep);
  const err = healthError(h);
  return (
    <>
      <TR>
        <TD>
          <p className="font-medium text-zinc-900">{ep.name}</p>
          <p className="max-w-72 truncate font-mono text-xs text-zinc-500" title={configSummary(ep)}>
            {configSummary(ep)}
          </p>
        </TD>
        <TD>
          <Badge tone={ep.provider === "comfyui" ? "neutral" : ep.provider === "runpod" ? "violet" : "blue"}>
            {providerLabel[ep.provider] ?? ep.provider}
          </Badge>
        </TD>
        <TD>
          <div className="flex items-center gap-2">
            <StatusBadge status={status} />
            {h?.latencyMs != null && <span className="text-xs tabular-nums text-zinc-500">{formatDuration(h.latencyMs)}</span>}
            {h?.queueDepth != null && <span className="text-xs text-zinc-500">· queue {h.queueDepth}</span>}
          </div>
          {h?.workers && (
            <p className="mt-0.5 text-xs text-zinc-500">
              workers {h.workers.idle} idle · {h.workers.running} busy
              {h.workers.initializing ? ` · ${h.workers.initializing} starting` : ""}
              {h.workers.unhealthy ? ` · ${h.workers.unhealthy} unhealthy` : ""}
            </p>
          )}
          {h?.checkedAt && !result && <p className="mt-0.5 text-xs text-zinc-400">checked {formatRelative(h.checkedAt)}</p>}
        </TD>
        <TD>{ep.gpu ?? <span className="text-zinc-400">—</span>}</TD>
        <TD className="text-right tabular-nums">{ep.pricePerHourUsd != null ? formatUsd(ep.pricePerHourUsd) : "—"}</TD>
        <TD className="text-right">
          <Button
            size="sm"
            loading={test.isPending}
            onClick={() => test.mutate(ep.id, { onSuccess: setResult, onError: () => setResult(null) })}
          >
            Test connection
          </Button>
        </TD>
      </TR>
      {(test.error || (status === "unhealthy" && err)) && (
        <tr>
          <td colSpan={6} className="px-4 pb-3">
            <ErrorCallout
              error={test.error ?? err}
              title={test.error ? "The health check could not run" : `${ep.name} did not answer correctly`}
            >
              {!test.error && <p className="text-xs">Check the address, credentials and that the server is up, then test again.</p>}
            </ErrorCallout>
          </td>
        </tr>
      )}
      {result?.ok && (
        <tr>
          <td colSpan={6} className="px-4 pb-3">
            <p className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800">
              Connected to {ep.name}
              {result.latencyMs != null ? ` in ${formatDuration(result.latencyMs)}` : ""}
              {result.queueDepth != null ? `, ${result.queueDepth} job(s) queued` : ""}.
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
