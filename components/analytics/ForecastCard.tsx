"use client";
// Forecast: projected month-end spend per deployment at the last 7 days' rate, against its budget;
// and a what-if: runs per day × each endpoint's measured cost per succeeded run × the month's days.
import { useState } from "react";
import { Badge, Button, Card, CardBody, CardHeader, EmptyState, Input, Label, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { whatIfMonthlyUsd } from "@/lib/analytics/forecast";
import { downloadCsv, int, usd } from "./format";
import type { Forecast, ForecastRow } from "./queries";

const TONE = { none: "neutral", low: "amber", medium: "blue", high: "green" } as const;

function Status({ r }: { r: ForecastRow }) {
  if (r.overBudget === null) return <span className="text-zinc-500">no budget</span>;
  const p = r.projectedPercent === null ? "" : ` (${r.projectedPercent.toLocaleString("en-US")} %)`;
  return r.overBudget ? <Badge tone="red">over{p}</Badge> : <Badge tone="green">under{p}</Badge>;
}

export function ForecastCard({ forecast }: { forecast: Forecast }) {
  const rows = forecast.deployments;
  return (
    <Card data-testid="forecast">
      <CardHeader
        title={`Forecast for ${forecast.month}`}
        description={`Month-end spend = spent so far + the rate of the last 7 days (or the month so far) × the ${forecast.remainingDays.toFixed(1)} days left in the UTC month.`}
        actions={
          <Button size="sm" variant="ghost" disabled={!rows.length} onClick={() => downloadCsv("forecast", rows.map(({ endpoints: _e, ...r }) => r))}>
            CSV
          </Button>
        }
      />
      <CardBody>
        {rows.length ? (
          <div className="overflow-x-auto">
            <Table size="compact">
              <THead>
                <TR>
                  <TH>Deployment</TH>
                  <TH className="text-right">Spent so far</TH>
                  <TH className="text-right">Rate / day</TH>
                  <TH className="text-right">Projected month-end</TH>
                  <TH className="text-right">Budget</TH>
                  <TH>Projection</TH>
                </TR>
              </THead>
              <TBody>
                {rows.map((r) => (
                  <TR key={r.deploymentId}>
                    <TD>{r.name}</TD>
                    <TD className="text-right tabular-nums">{usd(r.spentUsd)}</TD>
                    <TD className="text-right tabular-nums">{usd(r.rateUsdPerDay)}</TD>
                    <TD className="text-right tabular-nums font-medium">{usd(r.projectedUsd)}</TD>
                    <TD className="text-right tabular-nums">{usd(r.budgetUsd)}</TD>
                    <TD>
                      <Status r={r} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        ) : (
          <EmptyState title="No deployments" description="Create a deployment: its month-end spend is projected here from its runs." />
        )}
      </CardBody>
    </Card>
  );
}

export function WhatIfCard({ forecast }: { forecast: Forecast }) {
  const [runsPerDay, setRunsPerDay] = useState(1000);
  const lines = forecast.deployments.flatMap((d) => d.endpoints.map((e) => ({ d, e, monthly: whatIfMonthlyUsd(runsPerDay, e.costPerRunUsd, forecast.daysInMonth) })));
  return (
    <Card data-testid="what-if">
      <CardHeader
        title="What if"
        description={`Monthly cost of a steady load on each endpoint: runs per day × its measured cost per succeeded run (last 30 days, failed and hedged attempts included) × ${forecast.daysInMonth} days. Idle capacity is not included.`}
      />
      <CardBody className="space-y-4">
        <div>
          <Label htmlFor="what-if-runs">Runs per day</Label>
          <Input id="what-if-runs" type="number" min={0} className="mt-1 w-36" value={runsPerDay} onChange={(e) => setRunsPerDay(Math.max(0, Number(e.target.value) || 0))} />
        </div>
        {lines.length ? (
          <div className="overflow-x-auto">
            <Table size="compact">
              <THead>
                <TR>
                  <TH>Deployment</TH>
                  <TH>Endpoint</TH>
                  <TH>Provider / GPU</TH>
                  <TH className="text-right">Cost per run</TH>
                  <TH className="text-right">Per month</TH>
                  <TH>Measured over</TH>
                </TR>
              </THead>
              <TBody>
                {lines.map(({ d, e, monthly }) => (
                  <TR key={`${d.deploymentId}:${e.endpointId}`}>
                    <TD>{d.name}</TD>
                    <TD>{e.name}</TD>
                    <TD className="text-zinc-600">
                      {e.provider}
                      {e.gpu ? ` · ${e.gpu}` : ""}
                    </TD>
                    <TD className="text-right tabular-nums">{usd(e.costPerRunUsd, 4)}</TD>
                    <TD className="text-right tabular-nums font-medium">{monthly === null ? "not measured" : usd(monthly)}</TD>
                    <TD wrap className="min-w-40">
                      <Badge tone={TONE[e.confidence]}>{int(e.succeeded)} runs</Badge>
                      <span className="mt-0.5 block text-xs leading-snug text-zinc-500">{e.confidenceNote}</span>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        ) : (
          <EmptyState title="No endpoints to price" description="A deployment's endpoints appear here with their measured cost per run once they have served runs." />
        )}
      </CardBody>
    </Card>
  );
}
