"use client";
// The dashboard's home for the person on call: what needs attention now — endpoints degraded or
// down, runs stuck (no event past the threshold) or failed in the last hour, budget warnings —
// each linking to where to act; counts and the last hour per minute. Refreshed every few seconds.
import Link from "next/link";
import type { ReactNode } from "react";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import { formatDuration, formatRelative, shortId } from "../format";
import { useOverview, type Overview } from "../queries";
import { StateBadge } from "../endpoints/EndpointState";
import { Card, CardBody, CardHeader, PageHeader, QueryView, StatusBadge } from "../ui";

function Count({ label, value, tone, href }: { label: string; value: number; tone?: "red" | "amber"; href?: string }) {
  const body = (
    <Card className="px-4 py-3 transition-colors hover:border-zinc-300">
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className={`mt-1 text-2xl font-semibold tabular-nums ${value && tone === "red" ? "text-red-700" : value && tone === "amber" ? "text-amber-700" : "text-zinc-900"}`}>{value}</p>
    </Card>
  );
  return href ? <Link href={href}>{body}</Link> : body;
}

function LastHour({ data }: { data: Overview["lastHour"] }) {
  const rows = data.map((b) => ({ t: new Date(b.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), ok: b.runs - b.failures, failures: b.failures }));
  return (
    <div className="h-28" data-testid="overview-sparkline">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 4, right: 0, bottom: 0, left: 0 }} barCategoryGap={1}>
          <XAxis dataKey="t" tick={{ fontSize: 10, fill: "#a1a1aa" }} interval={14} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: "#f4f4f5" }} />
          <Bar dataKey="ok" name="runs" stackId="a" fill="#a5b4fc" isAnimationActive={false} />
          <Bar dataKey="failures" name="failed" stackId="a" fill="#ef4444" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function Section({ title, count, children, testId }: { title: string; count: number; children: ReactNode; testId: string }) {
  return (
    <div data-testid={testId}>
      <h3 className="mb-2 flex items-center gap-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
        {title}
        <span className="rounded-full bg-zinc-100 px-1.5 py-px text-[11px] font-medium text-zinc-600">{count}</span>
      </h3>
      {children}
    </div>
  );
}

function Attention({ o }: { o: Overview }) {
  const endpoints = o.endpoints.filter((e) => e.state === "degraded" || e.state === "down" || e.state === "disabled");
  const nothing = !endpoints.length && !o.stuckRuns.length && !o.failedRuns.length && !o.budgetWarnings.length;
  if (nothing)
    return (
      <p className="flex items-center gap-2 text-sm text-emerald-700" data-testid="all-clear">
        <span className="size-2 rounded-full bg-emerald-500" /> Nothing needs attention: every endpoint is healthy, no run is stuck or failed in the last hour.
      </p>
    );
  return (
    <div className="space-y-5">
      {endpoints.length > 0 && (
        <Section title="Endpoints" count={endpoints.length} testId="attention-endpoints">
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
            {endpoints.map((e) => (
              <li key={e.endpointId}>
                <Link href={`/endpoints/${e.endpointId}`} className="flex items-center gap-3 px-3 py-2 text-sm hover:bg-zinc-50">
                  <StateBadge state={e.state} />
                  <span className="font-medium text-zinc-900">{e.name}</span>
                  {e.queueDepth !== null && <span className="text-xs text-zinc-500">queue {e.queueDepth}</span>}
                  <span className="min-w-0 flex-1 truncate text-xs text-zinc-500" title={e.reasons.join("; ")}>{e.reasons[0]}</span>
                  <span className="text-xs font-medium text-indigo-700">Act →</span>
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {o.stuckRuns.length > 0 && (
        <Section title={`Runs stuck (no event for ${o.stuckAfterSeconds} s)`} count={o.counts.stuck} testId="attention-stuck">
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
            {o.stuckRuns.slice(0, 8).map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${r.id}`} className="flex items-center gap-3 px-3 py-2 text-sm hover:bg-zinc-50">
                  <StatusBadge status={r.status} />
                  <span className="font-mono text-xs text-zinc-900">{shortId(r.id)}</span>
                  <span className="text-zinc-700">{r.deploymentSlug}</span>
                  {r.endpointName && <span className="text-xs text-zinc-500">on {r.endpointName}</span>}
                  <span className="flex-1 text-right text-xs text-amber-700">silent {formatDuration(r.silentMs)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {o.failedRuns.length > 0 && (
        <Section title="Runs failed in the last hour" count={o.counts.lastHour.failed} testId="attention-failed">
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
            {o.failedRuns.slice(0, 8).map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${r.id}`} className="flex items-center gap-3 px-3 py-2 text-sm hover:bg-zinc-50">
                  <StatusBadge status={r.status} />
                  <span className="font-mono text-xs text-zinc-900">{shortId(r.id)}</span>
                  <span className="text-zinc-700">{r.deploymentSlug}</span>
                  <span className="min-w-0 flex-1 truncate text-xs text-red-700">{r.error?.message}</span>
                  <span className="text-xs text-zinc-500">{formatRelative(r.lastEventAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {o.budgetWarnings.length > 0 && (
        <Section title="Budgets" count={o.budgetWarnings.length} testId="attention-budgets">
          <ul className="space-y-1 text-sm">
            {o.budgetWarnings.map((w, i) => (
              <li key={i}>{w.href ? <Link href={w.href} className="text-amber-800 hover:underline">{w.message}</Link> : w.message}</li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}

export function OverviewView() {
  const overview = useOverview();
  return (
    <>
      <PageHeader
        title="Overview"
        description="What needs attention now. Updates every few seconds."
        meta={overview.data && <span className="text-xs text-zinc-400">updated {new Date(overview.data.computedAt).toLocaleTimeString()}</span>}
      />
      <QueryView query={overview} errorTitle="Could not load the overview">
        {(o) => {
          const bad = o.endpoints.filter((e) => e.state === "down" || e.state === "degraded");
          return (
            <div className="space-y-6">
              {bad.length > 0 && (
                <div role="alert" data-testid="oncall-banner" className={`rounded-lg border px-4 py-3 text-sm font-medium ${bad.some((e) => e.state === "down") ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
                  {bad.map((e) => `${e.name} is ${e.state}`).join(" · ")}
                </div>
              )}
              <div className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-6">
                <Count label="Runs in flight" value={o.counts.live} href="/runs" />
                <Count label="Waiting" value={o.counts.queued} href="/runs" />
                <Count label="Running" value={o.counts.running} href="/runs?status=running" />
                <Count label="Stuck" value={o.counts.stuck} tone="amber" />
                <Count label="Runs, last hour" value={o.counts.lastHour.created} />
                <Count label="Failed, last hour" value={o.counts.lastHour.failed} tone="red" href="/runs?status=failed" />
              </div>
              <Card>
                <CardHeader title="Needs attention" />
                <CardBody>
                  <Attention o={o} />
                </CardBody>
              </Card>
              <Card>
                <CardHeader title="Last hour" description="Runs created per minute; failed ones in red" />
                <CardBody>
                  <LastHour data={o.lastHour} />
                </CardBody>
              </Card>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
