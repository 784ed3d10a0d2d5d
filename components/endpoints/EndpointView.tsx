"use client";
// One endpoint for the person on call: its state and why (decided on the server), queue depth,
// workers, last error, the last hour's success rate and p95, the health sparkline, the runs in
// flight on it, and the actions — Restart, Purge queue, Disable / Enable (drain), Check now — each
// confirmed when it interrupts work, its result shown, audited server-side. Viewers see no buttons.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { DrainImpact } from "../api";
import { formatDuration, formatRelative } from "../format";
import { useDrainImpact, useEndpoint, useEndpointAction, useEndpointHealth, useEndpointRuns, useEndpointState, useTestEndpoint, type EndpointAction } from "../queries";
import { useQueryClient } from "@tanstack/react-query";
import { RunsTable } from "../runs/RunsTable";
import { useCan } from "../shell/RoleContext";
import { Badge, Button, Card, CardBody, CardHeader, ConfirmDialog, EmptyState, ErrorCallout, PageHeader, QueryView } from "../ui";
import { CONFIRM_ACTION as CONFIRM, DrainDialog } from "./DrainDialog";
import { HealthSparkline, RESTART_DOES, restartSupported, StateBadge } from "./EndpointState";
import { providerLabel } from "./health";
import { RunpodScaling, runpodScalingOf } from "./RunpodScaling";

function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <Card className="px-4 py-3">
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-zinc-900" data-testid={testId}>
        {value}
      </p>
      {hint && <p className="mt-0.5 text-xs text-zinc-500">{hint}</p>}
    </Card>
  );
}


function Actions({ id, provider, disabled }: { id: string; provider: string; disabled: boolean }) {
  const qc = useQueryClient();
  const act = useEndpointAction();
  const check = useEndpointHealth();
  const test = useTestEndpoint();
  const impact = useDrainImpact();
  const [confirm, setConfirm] = useState<EndpointAction | null>(null);
  const [draining, setDraining] = useState<DrainImpact | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["endpoint-state", id] });
    void qc.invalidateQueries({ queryKey: ["endpoint-states"] });
  };
  const run = (action: EndpointAction) => {
    setResult(null);
    act.mutate(
      { id, action },
      {
        onSuccess: (r) => {
          const answer = r as ({ message?: string } & Partial<DrainImpact>) | null;
          const done: Record<string, string> = { disable: "Disabled: no new runs are routed here; jobs already running finish.", enable: "Enabled: new runs are routed here again." };
          setResult({ ok: true, text: answer?.message ?? answer?.warning ?? done[action] ?? "Done." });
          refresh();
        },
        onError: (e) => setResult({ ok: false, text: (e as Error).message }),
      },
    );
  };
  const c = confirm ? CONFIRM[confirm] : null;
  const canRestart = restartSupported(provider);
  return (
    <div data-testid="endpoint-actions">
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" disabled={act.isPending || !canRestart} onClick={() => setConfirm("restart")} title={canRestart ? undefined : RESTART_DOES[provider]}>
          Restart
        </Button>
        <Button disabled={act.isPending || !canRestart} onClick={() => setConfirm("purge-queue")}>Purge queue</Button>
        {disabled ? (
          <Button disabled={act.isPending} onClick={() => run("enable")}>Enable</Button>
        ) : (
          <Button disabled={act.isPending} loading={impact.isPending} onClick={() => impact.mutate(id, { onSuccess: setDraining })}>
            Disable
          </Button>
        )}
        <Button
          variant="ghost"
          loading={check.isPending}
          onClick={() =>
            check.mutate(id, {
              onSuccess: (h) => {
                setResult({ ok: !!h.ok, text: h.ok ? `Check passed in ${formatDuration(h.latencyMs ?? 0)}.` : `Check failed: ${h.message ?? "no answer"}` });
                refresh();
              },
              onError: (e) => setResult({ ok: false, text: (e as Error).message }),
            })
          }
        >
          Check now
        </Button>
        <Button
          variant="ghost"
          loading={test.isPending}
          onClick={() => {
            setResult(null);
            test.mutate(id, {
              onSuccess: (r) =>
                setResult({ ok: r.ok, text: `Test run ${r.ok ? "passed" : "failed"} in ${formatDuration(r.totalMs)}: ${r.steps.map((s) => `${s.name} ${s.ok ? "ok" : "failed"} (${s.message})`).join(" · ")}` }),
              onError: (e) => setResult({ ok: false, text: (e as Error).message }),
            });
          }}
        >
          Test run
        </Button>
      </div>
      <p className="mt-2 max-w-3xl text-xs text-zinc-500" data-testid="restart-does">
        <span className="font-medium text-zinc-700">What Restart does. </span>
        {RESTART_DOES[provider] ?? "Calls the provider's restart."}
      </p>
      {result && (
        <p
          role="status"
          data-testid="action-result"
          className={`mt-2 rounded-md px-3 py-2 text-sm ${result.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}
        >
          {result.text}
        </p>
      )}
      {c && confirm && (
        <ConfirmDialog
          title={c.title}
          confirmLabel={c.label}
          pending={act.isPending}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const a = confirm;
            setConfirm(null);
            run(a);
          }}
        >
          <p>{c.body}</p>
          {confirm === "restart" && <p className="text-xs">{RESTART_DOES[provider]}</p>}
        </ConfirmDialog>
      )}
      {draining && (
        <DrainDialog
          impact={draining}
          title="Disable (drain) this endpoint?"
          verb="Disable"
          pending={act.isPending}
          onCancel={() => setDraining(null)}
          onConfirm={() => {
            setDraining(null);
            run("disable");
          }}
        />
      )}
      {impact.error && <ErrorCallout error={impact.error} title="Could not check what disabling does" />}
    </div>
  );
}

export function EndpointView({ id }: { id: string }) {
  const endpoint = useEndpoint(id);
  const state = useEndpointState(id);
  const runs = useEndpointRuns(id);
  const mayOperate = useCan("endpoints:operate");
  const mayWrite = useCan("endpoints:write");
  const ep = endpoint.data;
  const scaling = ep ? runpodScalingOf(ep.provider, ep.config) : null;
  const s = state.data;
  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: "Endpoints", href: "/endpoints" }, { label: ep?.name ?? id }]}
        title={
          <span className="flex items-center gap-3">
            {ep?.name ?? "Endpoint"}
            {s && <StateBadge state={s.state} />}
          </span>
        }
        description={ep ? `${providerLabel[ep.provider] ?? ep.provider}${ep.gpu ? ` · ${ep.gpu}` : ""}` : undefined}
      />
      <QueryView query={state} errorTitle="Could not load the endpoint's state">
        {(s) => (
          <div className="space-y-6">
            {s.reasons.length > 0 && (
              <div
                className={`rounded-lg border px-4 py-3 text-sm ${s.state === "down" ? "border-red-200 bg-red-50 text-red-900" : s.state === "degraded" ? "border-amber-200 bg-amber-50 text-amber-900" : "border-zinc-200 bg-zinc-50 text-zinc-700"}`}
                data-testid="state-reasons"
              >
                <ul className="list-disc space-y-0.5 pl-5">
                  {s.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </div>
            )}
            {mayOperate && ep && (
              <Card>
                <CardHeader title="Actions" description="Each is recorded in the audit log with who, when and how it ended." />
                <CardBody>
                  <Actions id={id} provider={ep.provider} disabled={ep.disabled || s.disabled} />
                </CardBody>
              </Card>
            )}
            {mayWrite && scaling && <RunpodScaling id={id} scaling={scaling.scaling} executionTimeoutMs={scaling.executionTimeoutMs} />}
            <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
              <Stat label="Queue depth" testId="queue-depth" value={s.queueDepth ?? "—"} hint={`${s.queuedAtProvider} of Flowgate's attempts waiting${s.oldestQueuedMs ? `, oldest ${formatDuration(s.oldestQueuedMs)}` : ""}`} />
              <Stat label="In flight" value={s.inFlight} hint="attempts not finished" />
              <Stat
                label="Success rate, last hour"
                value={s.lastHour.successRate === null ? "—" : `${Math.round(s.lastHour.successRate * 100)}%`}
                hint={`${s.lastHour.succeeded} ok · ${s.lastHour.failed} failed`}
              />
              <Stat label="p95, last hour" value={s.lastHour.p95Ms === null ? "—" : formatDuration(s.lastHour.p95Ms)} hint="attempt created → finished" />
            </div>
            <div className="grid gap-4 lg:grid-cols-3">
              <Card className="lg:col-span-2">
                <CardHeader title="Health, last hour" description="Check latency (indigo), provider queue (amber); each bar below is one check." />
                <CardBody>
                  <HealthSparkline history={s.history ?? []} />
                  {s.lastCheck && (
                    <p className="mt-2 text-xs text-zinc-500">
                      Last check {formatRelative(s.lastCheck.checkedAt)}: {s.lastCheck.ok ? "ok" : "failed"} in {formatDuration(s.lastCheck.latencyMs)}
                      {s.lastCheck.message ? ` — ${s.lastCheck.message}` : ""}
                    </p>
                  )}
                </CardBody>
              </Card>
              <Card>
                <CardHeader title="Workers" description="As the provider reports them" />
                <CardBody>
                  {s.workers ? (
                    <dl className="grid grid-cols-2 gap-y-1.5 text-sm" data-testid="workers">
                      {(["idle", "running", "initializing", "throttled", "unhealthy"] as const).map((k) => (
                        <div key={k} className="contents">
                          <dt className="text-zinc-500">{k}</dt>
                          <dd className={`text-right tabular-nums ${(k === "throttled" || k === "unhealthy") && (s.workers?.[k] ?? 0) > 0 ? "font-semibold text-red-700" : "text-zinc-900"}`}>
                            {s.workers?.[k] ?? "—"}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    <p className="text-sm text-zinc-500">This provider does not report workers.</p>
                  )}
                </CardBody>
              </Card>
            </div>
            <Card>
              <CardHeader title="Last error" />
              <CardBody>
                {s.lastError ? (
                  <div className="text-sm" data-testid="last-error">
                    <p className="flex flex-wrap items-center gap-2">
                      {s.lastError.code && <Badge tone="red">{s.lastError.code}</Badge>}
                      <span className="text-zinc-500">{formatRelative(s.lastError.at)}</span>
                      {s.lastError.runId && (
                        <Link href={`/runs/${s.lastError.runId}`} className="text-indigo-700 hover:underline">
                          open run
                        </Link>
                      )}
                    </p>
                    <p className="mt-1 text-zinc-800">{s.lastError.message}</p>
                  </div>
                ) : (
                  <p className="text-sm text-zinc-500">No attempt on this endpoint failed in the last 24 hours.</p>
                )}
              </CardBody>
            </Card>
          </div>
        )}
      </QueryView>
      <Card className="mt-6">
        <CardHeader title="Runs in flight here" description="Runs with an attempt on this endpoint that have not ended" />
        <QueryView query={runs} isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No runs in flight" description="Nothing is running or waiting on this endpoint." />}>
          {(d) => <RunsTable runs={d.items} />}
        </QueryView>
      </Card>
    </>
  );
}
