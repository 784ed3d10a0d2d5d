"use client";
// The analytics page: a time range and filters (deployment, endpoint, provider), then spend, runs,
// latency, cold starts, cost per 1,000 runs, extra attempts, uptime, capacity and the decision
// matrix — all from GET /api/v1/analytics/summary and /matrix; cost truth from /cost-truth.
import { useMemo, useState } from "react";
import { Card, CardBody, CardHeader, EmptyState, Label, PageHeader, QueryView, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { useDeployments, useEndpoints } from "@/components/queries";
import { ColdStartChart, CostPer1000Chart, ExtraAttemptsChart, LatencyChart, RunsChart, SpendChart, UptimeChart } from "./Charts";
import { MatrixTable } from "./MatrixTable";
import { ForecastCard, WhatIfCard } from "./ForecastCard";
import { CostTruthCard } from "./CostTruthCard";
import { int, pct, secs, usd, usdExact } from "./format";
import { useCostTruth, useForecast, useMatrix, useSummary, type AnalyticsFilter, type Summary } from "./queries";

const RANGES = [
  { id: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { id: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { id: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { id: "90d", label: "Last 90 days", ms: 90 * 86_400_000 },
] as const;

/** The range's end, rounded up to the next hour so the query key is stable for an hour. */
function rangeOf(id: string) {
  const r = RANGES.find((x) => x.id === id) ?? RANGES[1];
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  return { from: new Date(to.getTime() - r.ms).toISOString(), to: to.toISOString() };
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-xs">
      <div className="text-xs font-medium text-zinc-500">{label}</div>
      <div className="mt-1 whitespace-nowrap text-lg font-semibold tabular-nums text-zinc-900" title={hint}>
        {value}
      </div>
      {hint && <div className="mt-0.5 text-xs text-zinc-500">{hint}</div>}
    </div>
  );
}

function Totals({ data }: { data: Summary }) {
  const t = data.total;
  const idle = data.capacity.reduce((a, c) => a + c.idleUsd, 0);
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="analytics-totals">
      <Stat label="Spend (runs)" value={usd(t.costUsd)} hint={usdExact(t.costUsd)} />
      <Stat label="Idle / warm capacity" value={usd(idle)} hint={data.capacity.length ? `${data.capacity.length} endpoint(s) with standing capacity` : "no standing capacity"} />
      <Stat label="Finished runs" value={int(t.runs)} hint={`${int(t.succeeded)} succeeded · ${int(t.failed)} failed · ${int(t.canceled)} canceled`} />
      <Stat label="Success rate" value={pct(t.successRate)} />
      <Stat label="Cost per 1,000 runs" value={usd(t.costPer1000Usd)} hint="per 1,000 succeeded runs" />
      <Stat label="p50 / p95 end to end" value={`${secs(t.p50Ms)} / ${secs(t.p95Ms)}`} />
    </div>
  );
}

function PhaseCost({ data }: { data: Summary }) {
  const p = data.total.costByPhase;
  const rows = [
    ["Queue wait", p.queue, "not billed by any provider"],
    ["Cold start", p.coldStart, "serverless: billed per second"],
    ["Upload", p.upload, "our side of the transfer: not billed"],
    ["Execution", p.execution, "serverless per second; a dedicated server's busy time"],
    ["Download", p.download, "our side of the transfer: not billed"],
  ] as const;
  return (
    <Card>
      <CardHeader title="Cost by phase" description="Where the money goes inside a run." />
      <CardBody className="p-0">
        <Table size="compact">
          <TBody>
            {rows.map(([name, v, note]) => (
              <TR key={name}>
                <TD className="font-medium text-zinc-800">{name}</TD>
                <TD className="text-right tabular-nums" title={usdExact(v)}>
                  {usd(v, 4)}
                </TD>
                <TD className="text-xs text-zinc-500">{note}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </CardBody>
    </Card>
  );
}

function CapacityTable({ data }: { data: Summary }) {
  return (
    <Card>
      <CardHeader title="Standing capacity and utilisation" description="Dedicated servers bill every hour; warm serverless workers bill around the clock. Idle cost is shared by the deployments using the endpoint." />
      <CardBody className="p-0">
        {data.capacity.length ? (
          <Table size="compact">
            <THead>
              <TR>
                <TH>Endpoint</TH>
                <TH>Billing</TH>
                <TH className="text-right">Capacity</TH>
                <TH className="text-right">Busy</TH>
                <TH className="text-right">Idle</TH>
                <TH className="text-right">Utilisation</TH>
              </TR>
            </THead>
            <TBody>
              {data.capacity.map((c) => (
                <TR key={c.endpointId}>
                  <TD className="font-medium text-zinc-800">{c.name}</TD>
                  <TD>{c.billing === "dedicated" ? "hourly server" : "warm workers"}</TD>
                  <TD className="text-right tabular-nums" title={`${c.capacityHours} h`}>{usd(c.capacityUsd)}</TD>
                  <TD className="text-right tabular-nums">{usd(c.busyUsd)}</TD>
                  <TD className="text-right tabular-nums">{usd(c.idleUsd)}</TD>
                  <TD className="text-right tabular-nums">{pct(c.utilisation)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title="No standing capacity" description="Only serverless endpoints without warm workers ran in this period: you pay per second of work." className="py-8" />
        )}
      </CardBody>
    </Card>
  );
}

export function AnalyticsView() {
  const [range, setRange] = useState("7d");
  const [deployment, setDeployment] = useState("");
  const [endpoint, setEndpoint] = useState("");
  const [provider, setProvider] = useState("");
  const [stackBy, setStackBy] = useState<"deployment" | "provider">("deployment");
  const [maxP95Ms, setMaxP95Ms] = useState(60_000);
  const filter: AnalyticsFilter = useMemo(() => ({ ...rangeOf(range), deployment, endpoint, provider }), [range, deployment, endpoint, provider]);
  const deployments = useDeployments();
  const endpoints = useEndpoints();
  const spend = useSummary(filter, "day", stackBy);
  const daily = useSummary(filter, "day");
  const pairs = useSummary(filter, "deployment", "endpoint");
  const matrix = useMatrix(filter, maxP95Ms);
  const forecast = useForecast(deployment || undefined);
  const costTruth = useCostTruth(filter);
  const epNames = useMemo(() => new Map((endpoints.data?.items ?? []).map((e) => [e.id, e.name])), [endpoints.data]);
  const providers = [...new Set((endpoints.data?.items ?? []).map((e) => e.provider))];

  return (
    <div className="space-y-5">
      <PageHeader title="Analytics" description="What runs cost, how reliable and fast each endpoint is, and which one to send traffic to — measured from this installation's runs." />
      <div className="flex flex-wrap items-end gap-3" data-testid="analytics-filters">
        <div>
          <Label htmlFor="range">Time range</Label>
          <Select id="range" className="mt-1 w-44" value={range} onChange={(e) => setRange(e.target.value)}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="f-deployment">Deployment</Label>
          <Select id="f-deployment" className="mt-1 w-52" value={deployment} onChange={(e) => setDeployment(e.target.value)}>
            <option value="">All deployments</option>
            {(deployments.data?.items ?? []).map((d) => (
              <option key={d.id} value={d.slug}>
                {d.name}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="f-endpoint">Endpoint</Label>
          <Select id="f-endpoint" className="mt-1 w-52" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
            <option value="">All endpoints</option>
            {(endpoints.data?.items ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="f-provider">Provider</Label>
          <Select id="f-provider" className="mt-1 w-40" value={provider} onChange={(e) => setProvider(e.target.value)}>
            <option value="">All providers</option>
            {providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="stack-by">Stack spend by</Label>
          <Select id="stack-by" className="mt-1 w-36" value={stackBy} onChange={(e) => setStackBy(e.target.value as "deployment" | "provider")}>
            <option value="deployment">Deployment</option>
            <option value="provider">Provider</option>
          </Select>
        </div>
      </div>

      <QueryView query={daily} rows={3}>
        {(d) => <Totals data={d} />}
      </QueryView>

      <div className="grid gap-4 lg:grid-cols-2">
        <QueryView query={spend}>{(d) => <SpendChart data={d} stackBy={stackBy} />}</QueryView>
        <QueryView query={daily}>{(d) => <RunsChart data={d} />}</QueryView>
        <QueryView query={daily}>{(d) => <LatencyChart total={d.total} />}</QueryView>
        <QueryView query={daily}>{(d) => <ColdStartChart data={d} />}</QueryView>
        <QueryView query={pairs}>{(d) => <CostPer1000Chart data={d} />}</QueryView>
        <QueryView query={daily}>{(d) => <ExtraAttemptsChart total={d.total} />}</QueryView>
        <QueryView query={matrix}>{(m) => <UptimeChart matrix={m} names={epNames} />}</QueryView>
        <QueryView query={daily}>{(d) => <PhaseCost data={d} />}</QueryView>
      </div>

      <QueryView query={matrix}>{(m) => <MatrixTable matrix={m} maxP95Ms={maxP95Ms} onMaxP95Ms={setMaxP95Ms} />}</QueryView>
      <QueryView query={daily}>{(d) => <CapacityTable data={d} />}</QueryView>
      <QueryView query={costTruth}>{(c) => <CostTruthCard data={c} />}</QueryView>
      <QueryView query={forecast}>{(f) => <ForecastCard forecast={f} />}</QueryView>
      <QueryView query={forecast}>{(f) => <WhatIfCard forecast={f} />}</QueryView>
    </div>
  );
}
