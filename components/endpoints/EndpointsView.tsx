"use client";
// Where workflows execute: list with provider, health, GPU and price; create form with
// per-provider config and a write-only secret; "Test connection" checks health now; on-call actions
// (restart, purge queue, drain/undrain traffic) and delete, each confirmed and audited.
import Link from "next/link";
import { useState } from "react";
import type { DrainImpact, Endpoint, EndpointHealth } from "../api";
import { formatDuration, formatRelative, formatUsd } from "../format";
import { useDrainImpact, useEndpointAction, useEndpointHealth, useEndpoints, useEndpointStates, type EndpointAction, type EndpointState } from "../queries";
import { useCan } from "../shell/RoleContext";
import { CONFIRM_ACTION, DrainDialog } from "./DrainDialog";
import { StateBadge } from "./EndpointState";
import { Badge, Button, Card, ConfirmDialog, EmptyState, ErrorCallout, PageHeader, QueryView, StatusBadge, Table, TBody, TD, TH, THead, TR } from "../ui";
import { CreateEndpoint } from "./CreateEndpoint";
import { healthError, healthLoad, healthStatus, latestHealth, providerLabel } from "./health";

function configSummary(ep: Endpoint): string {
  const c = ep.config ?? {};
  const v = c.baseUrl ?? c.endpointId ?? c.deploymentId;
  if (ep.provider === "runpod") return String(c.endpointId ?? "");
  if (ep.provider === "runcomfy") return String(c.deploymentId ?? "");
  return v ? String(v) : "";
}

export function EndpointsView() {
  const endpoints = useEndpoints();
  const states = useEndpointStates();
  const mayWrite = useCan("endpoints:write");
  const [creating, setCreating] = useState(false);
  const items = endpoints.data?.items ?? [];
  const stateOf = new Map((states.data?.items ?? []).map((s) => [s.endpointId, s]));
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="ComfyUI servers and serverless GPU backends that deployments run on."
        actions={
          mayWrite && (
            <Button variant="primary" onClick={() => setCreating((v) => !v)}>
              {creating ? "Close" : "Add endpoint"}
            </Button>
          )
        }
      />
      {creating && (
        <div className="mb-6">
          <CreateEndpoint onDone={() => setCreating(false)} />
        </div>
      )}
      <Card>
        <QueryView
          query={endpoints}
          errorTitle="Could not load endpoints"
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title="No endpoints yet"
              description="Add a ComfyUI server you run, a RunPod Serverless endpoint (worker-comfyui) or a RunComfy deployment."
              action={<Button variant="primary" onClick={() => setCreating(true)}>Add endpoint</Button>}
            />
          }
        >
          {(data) => (
            <Table>
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH>Provider</TH>
                  <TH>Health</TH>
                  <TH>GPU</TH>
                  <TH className="text-right">Price / h</TH>
                  <TH className="text-right">Actions</TH>
                </tr>
              </THead>
              <TBody>
                {items.map((ep) => (
                  <EndpointRow key={ep.id} ep={ep} state={stateOf.get(ep.id)} />
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </Card>
    </>
  );
}


function EndpointActions({ ep, onEdit }: { ep: Endpoint; onEdit: () => void }) {
  const mayOperate = useCan("endpoints:operate");
  const mayWrite = useCan("endpoints:write");
  const act = useEndpointAction();
  const impact = useDrainImpact();
  const [note, setNote] = useState<string | null>(null);
  const [draining, setDraining] = useState<DrainImpact | null>(null);
  const [confirm, setConfirm] = useState<EndpointAction | null>(null);
  // Restart, purge and delete interrupt work or remove things: each is confirmed first.
  const ask = (action: EndpointAction) => (CONFIRM_ACTION[action] ? setConfirm(action) : run(action));
  const run = (action: EndpointAction) => {
    setNote(null);
    act.mutate(
      { id: ep.id, action },
      {
        onSuccess: (r) => {
          const answer = r as ({ message?: string } & Partial<DrainImpact>) | null;
          setNote(answer?.message ?? answer?.warning ?? (action === "delete" ? "Deleted." : action === "disable" ? "Drained: new attempts go to its deployments' other targets." : "Done."));
        },
      },
    );
  };
  // Draining first asks the server what it would do: which deployments it leaves with no enabled target.
  const drain = () => {
    setNote(null);
    impact.mutate(ep.id, { onSuccess: setDraining });
  };
  if (!mayOperate) return null;
  return (
    <div className="mt-2 flex flex-wrap justify-end gap-1.5" data-testid={`endpoint-actions-${ep.id}`}>
      {mayWrite && <Button size="sm" variant="ghost" onClick={onEdit}>Edit</Button>}
      <Button size="sm" variant="ghost" disabled={act.isPending} onClick={() => ask("restart")}>Restart</Button>
      <Button size="sm" variant="ghost" disabled={act.isPending} onClick={() => ask("purge-queue")}>Purge queue</Button>
      {ep.disabled ? (
        <Button size="sm" variant="ghost" disabled={act.isPending} onClick={() => run("enable")}>Enable</Button>
      ) : (
        <Button size="sm" variant="ghost" disabled={act.isPending} loading={impact.isPending} onClick={drain}>Drain</Button>
      )}
      {mayWrite && <Button size="sm" variant="ghost" disabled={act.isPending} onClick={() => ask("delete")}>Delete</Button>}
      {confirm && CONFIRM_ACTION[confirm] && (
        <ConfirmDialog
          title={CONFIRM_ACTION[confirm].title.replace("this endpoint", ep.name)}
          confirmLabel={CONFIRM_ACTION[confirm].label}
          pending={act.isPending}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const a = confirm;
            setConfirm(null);
            run(a);
          }}
        >
          <p>{CONFIRM_ACTION[confirm].body}</p>
        </ConfirmDialog>
      )}
      {draining && (
        <DrainDialog
          impact={draining}
          title={`Drain ${ep.name}?`}
          verb="Drain"
          pending={act.isPending}
          onCancel={() => setDraining(null)}
          onConfirm={() => {
            setDraining(null);
            run("disable");
          }}
        />
      )}
      {impact.error && <div className="basis-full text-left"><ErrorCallout error={impact.error} title="Could not check what draining does" /></div>}
      {act.error && <div className="basis-full text-left"><ErrorCallout error={act.error} title="The action did not go through" /></div>}
      {note && !act.error && <p className="basis-full text-right text-xs text-zinc-500">{note}</p>}
    </div>
  );
}

function EndpointRow({ ep, state }: { ep: Endpoint; state?: EndpointState }) {
  const test = useEndpointHealth();
  const [editing, setEditing] = useState(false);
  const [result, setResult] = useState<EndpointHealth | null>(null);
  const h = result ?? latestHealth(ep);
  // A viewer's "Test connection" gets the last stored check, which may be none (`ok: null`).
  const status = result && (result.ok as boolean | null) !== null ? (result.ok ? "healthy" : "unhealthy") : healthStatus(ep);
  const err = healthError(h);
  const load = healthLoad(h);
  return (
    <>
      <TR>
        <TD>
          <p className="font-medium text-zinc-900">
            <Link href={`/endpoints/${ep.id}`} className="hover:underline">{ep.name}</Link>
            {ep.disabled && <span className="ml-2 align-middle"><Badge tone="neutral">drained</Badge></span>}
          </p>
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
            {state && !result ? <StateBadge state={state.state} /> : <StatusBadge status={status} />}
            {h?.latencyMs != null && <span className="text-xs tabular-nums text-zinc-500">{formatDuration(h.latencyMs)}</span>}
            {load.queueDepth != null && <span className="text-xs text-zinc-500">· queue {load.queueDepth}</span>}
          </div>
          {state && state.reasons.length > 0 && state.state !== "disabled" && !result && (
            <p className="mt-0.5 max-w-80 truncate text-xs text-amber-800" title={state.reasons.join("; ")}>{state.reasons[0]}</p>
          )}
          {load.workers && (
            <p className="mt-0.5 text-xs text-zinc-500">
              workers {load.workers.idle} idle · {load.workers.running} busy
              {load.workers.initializing ? ` · ${load.workers.initializing} starting` : ""}
              {load.workers.unhealthy ? ` · ${load.workers.unhealthy} unhealthy` : ""}
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
          <EndpointActions ep={ep} onEdit={() => setEditing((v) => !v)} />
        </TD>
      </TR>
      {editing && (
        <tr>
          <td colSpan={6} className="px-4 pb-4">
            <CreateEndpoint editing={ep} onDone={() => setEditing(false)} />
          </td>
        </tr>
      )}
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
              {load.queueDepth != null ? `, ${load.queueDepth} job(s) queued` : ""}.
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
