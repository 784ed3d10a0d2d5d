"use client";
// The analytics charts (Recharts). Each takes the API's numbers, pivots them for drawing, and hands
// the same rows to its card's CSV export.
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "./ChartCard";
import { AXIS, GRID, PALETTE, int, pct, secs, usd, usdExact } from "./format";
import type { Summary, SummaryGroup, Matrix } from "./queries";

const tick = { fill: AXIS, fontSize: 11 };
const tooltipStyle = { contentStyle: { fontSize: 12, borderRadius: 6, border: "1px solid #d4d4d8", background: "#ffffff", color: "#18181b" }, labelStyle: { color: "#18181b", fontWeight: 600 } };

/** Every UTC day from `from` to `to`, so quiet days show as zero instead of vanishing. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(from.slice(0, 10) + "T00:00:00Z");
  const end = new Date(to);
  while (d < end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function SpendChart({ data, stackBy }: { data: Summary; stackBy: string }) {
  const series = [...new Set(data.groups.map((g) => g.splitLabel ?? g.label))];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const day of daysOf(data.from, data.to)) byDay.set(day, { day });
  for (const g of data.groups) {
    const row = byDay.get(g.key) ?? { day: g.key };
    row[g.splitLabel ?? g.label] = g.costUsd;
    byDay.set(g.key, row);
  }
  const rows = data.groups.length ? [...byDay.values()] : [];
  return (
    <ChartCard title="Spend per day" description={`Stacked by ${stackBy}; every attempt's cost at the price it ran at (UTC days).`} csvName="spend-per-day" rows={rows} empty="No run finished in this period." className="lg:col-span-2">
      <ResponsiveContainer>
        <BarChart data={rows} margin={{ left: 8, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tick={tick} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis tick={tick} tickFormatter={(v: number) => usd(v)} width={64} />
          <Tooltip {...tooltipStyle} formatter={(v) => usdExact(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar key={s} dataKey={s} stackId="spend" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function RunsChart({ data }: { data: Summary }) {
  const byKey = new Map(data.groups.map((g) => [g.key, g]));
  const rows = data.groups.length
    ? daysOf(data.from, data.to).map((day) => {
        const g = byKey.get(day);
        return { day, succeeded: g?.succeeded ?? 0, failed: g?.failed ?? 0, canceled: g?.canceled ?? 0, successRate: g?.successRate ?? null };
      })
    : [];
  return (
    <ChartCard title="Runs and success rate" description="Finished runs per day; success rate = succeeded / (succeeded + failed)." csvName="runs-success" rows={rows} empty="No run finished in this period.">
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tick={tick} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis yAxisId="n" tick={tick} width={44} />
          <YAxis yAxisId="r" orientation="right" domain={[0, 1]} tick={tick} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={40} />
          <Tooltip {...tooltipStyle} formatter={(v, name) => (name === "success rate" ? pct(Number(v), 2) : int(Number(v)))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="succeeded" stackId="r" fill="#10b981" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="failed" stackId="r" fill="#ef4444" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="canceled" stackId="r" fill="#a1a1aa" isAnimationActive={false} />
          <Line yAxisId="r" dataKey="successRate" name="success rate" stroke="#6366f1" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function LatencyChart({ total }: { total: SummaryGroup }) {
  const rows = total.succeeded
    ? [
        { phase: "end to end", p50: total.p50Ms, p95: total.p95Ms },
        { phase: "queue", p50: total.queueP50Ms, p95: total.queueP95Ms },
        { phase: "cold start", p50: total.coldStartP50Ms, p95: total.coldStartP95Ms },
        { phase: "execution", p50: total.executionP50Ms, p95: total.executionP95Ms },
      ]
    : [];
  return (
    <ChartCard title="Latency p50 / p95 by phase" description="Succeeded runs: end to end, then the provider's queue, cold start and execution." csvName="latency-phases" rows={rows} empty="No succeeded run in this period.">
      <ResponsiveContainer>
        <BarChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="phase" tick={tick} />
          <YAxis tick={tick} tickFormatter={(v: number) => secs(v)} width={56} />
          <Tooltip {...tooltipStyle} formatter={(v) => (v === null ? "no data" : `${secs(Number(v))} (${int(Number(v))} ms)`)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="p50" fill="#0ea5e9" isAnimationActive={false} />
          <Bar dataKey="p95" fill="#6366f1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function ColdStartChart({ data }: { data: Summary }) {
  const rows = data.coldStartHistogram.map((b) => ({ range: `${secs(b.fromMs)}–${b.toMs === null ? "∞" : secs(b.toMs)}`, fromMs: b.fromMs, toMs: b.toMs, runs: b.count }));
  return (
    <ChartCard title="Cold-start distribution" description="Succeeded runs by the cold start their provider reported (log buckets)." csvName="cold-starts" rows={rows} empty="No provider reported a cold start in this period.">
      <ResponsiveContainer>
        <BarChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="range" tick={tick} interval="preserveStartEnd" />
          <YAxis tick={tick} width={44} allowDecimals={false} />
          <Tooltip {...tooltipStyle} formatter={(v) => `${int(Number(v))} runs`} />
          <Bar dataKey="runs" fill="#f59e0b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function CostPer1000Chart({ data }: { data: Summary }) {
  const rows = data.groups
    .filter((g) => g.costPer1000Usd !== null)
    .map((g) => ({ pair: `${g.label} → ${g.splitLabel}`, deployment: g.label, endpoint: g.splitLabel, costPer1000Usd: g.costPer1000Usd, succeeded: g.succeeded }))
    .sort((a, b) => (b.costPer1000Usd ?? 0) - (a.costPer1000Usd ?? 0));
  return (
    <ChartCard title="Cost per 1,000 successful runs" description="By deployment × endpoint, failed and hedged attempts included." csvName="cost-per-1000" rows={rows} empty="No succeeded run in this period." height={Math.max(160, rows.length * 34 + 40)}>
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid stroke={GRID} horizontal={false} />
          <XAxis type="number" tick={tick} tickFormatter={(v: number) => usd(v)} />
          <YAxis type="category" dataKey="pair" tick={tick} width={200} />
          <Tooltip {...tooltipStyle} formatter={(v, _n, item) => `${usdExact(Number(v))} per 1,000 (${int((item?.payload as { succeeded?: number })?.succeeded)} succeeded)`} />
          <Bar dataKey="costPer1000Usd" name="per 1,000 runs" fill="#6366f1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function ExtraAttemptsChart({ total }: { total: SummaryGroup }) {
  const rows = total.attempts
    ? [
        { kind: "retries", attempts: total.retries, costUsd: total.retryCostUsd },
        { kind: "failovers", attempts: total.failovers, costUsd: total.failoverCostUsd },
        { kind: "hedges", attempts: total.hedges, costUsd: total.hedgeCostUsd },
        { kind: "wasted (no result)", attempts: null, costUsd: total.wastedCostUsd },
      ]
    : [];
  return (
    <ChartCard title="Retries, failovers and hedges" description={`${int(total.attempts)} attempts in all; what the extra ones cost.`} csvName="extra-attempts" rows={rows} empty="No attempt in this period.">
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="kind" tick={tick} />
          <YAxis yAxisId="n" tick={tick} width={40} allowDecimals={false} />
          <YAxis yAxisId="c" orientation="right" tick={tick} tickFormatter={(v: number) => usd(v)} width={60} />
          <Tooltip {...tooltipStyle} formatter={(v, name) => (name === "cost" ? usdExact(Number(v)) : v === null ? "—" : `${int(Number(v))} attempts`)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="attempts" fill="#0ea5e9" isAnimationActive={false} />
          <Bar yAxisId="c" dataKey="costUsd" name="cost" fill="#ef4444" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function UptimeChart({ matrix, names }: { matrix: Matrix; names: Map<string, string> }) {
  const eps = [...new Set(matrix.uptimeByDay.map((u) => u.endpointId))];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const u of matrix.uptimeByDay) {
    const row = byDay.get(u.day) ?? { day: u.day };
    row[names.get(u.endpointId) ?? u.endpointId] = u.checks ? u.ok / u.checks : 0;
    byDay.set(u.day, row);
  }
  const rows = [...byDay.values()];
  return (
    <ChartCard title="Endpoint uptime" description="Share of health checks that passed, per UTC day." csvName="uptime" rows={rows} empty="No health check ran in this period.">
      <ResponsiveContainer>
        <LineChart data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tick={tick} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis domain={[0, 1]} tick={tick} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={44} />
          <Tooltip {...tooltipStyle} formatter={(v) => pct(Number(v), 2)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {eps.map((e, i) => (
            <Line key={e} dataKey={names.get(e) ?? e} stroke={PALETTE[i % PALETTE.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
