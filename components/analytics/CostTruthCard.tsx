"use client";
// Cost truth: Flowgate's computed spend per endpoint beside what the provider billed for the same
// hours (RunPod serverless reports it), the difference highlighted; a "Fetch bills now" button for
// users who may operate endpoints; CSV of the rows shown.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge, Button, Card, CardBody, CardHeader, EmptyState, ErrorCallout, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { useCan } from "@/components/shell/RoleContext";
import { AXIS, GRID, PALETTE, downloadCsv, usd, usdExact } from "./format";
import { useSyncBills, type CostTruth, type CostTruthEndpoint } from "./queries";

const tick = { fill: AXIS, fontSize: 11 };
const tooltipStyle = { contentStyle: { fontSize: 12, borderRadius: 6, border: "1px solid #d4d4d8", background: "#ffffff", color: "#18181b" }, labelStyle: { color: "#18181b", fontWeight: 600 } };
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "never");

function Difference({ usdDiff, percent }: { usdDiff: number | null; percent: number | null }) {
  if (usdDiff === null) return <span className="text-zinc-500">no bill</span>;
  const text = `${usdDiff > 0 ? "+" : ""}${usd(usdDiff, 4)}${percent === null ? "" : ` (${percent > 0 ? "+" : ""}${percent.toLocaleString("en-US")} %)`}`;
  const tone = percent === null ? (usdDiff === 0 ? "green" : "amber") : Math.abs(percent) <= 1 ? "green" : Math.abs(percent) <= 10 ? "amber" : "red";
  return (
    <Badge tone={tone} title={`billed − computed = ${usdExact(usdDiff)}`}>
      {text}
    </Badge>
  );
}

function csvRows(data: CostTruth) {
  return data.endpoints.flatMap((e) =>
    e.buckets.map((b) => ({ endpoint: e.name, endpointId: e.endpointId, provider: e.provider, hour: b.bucketStart, attempts: b.attempts, computedUsd: b.computedUsd, billedUsd: b.billedUsd, differenceUsd: b.differenceUsd, differencePercent: b.differencePercent })),
  );
}

export function CostTruthCard({ data }: { data: CostTruth }) {
  const mayFetch = useCan("endpoints:operate");
  const sync = useSyncBills();
  const billed = data.endpoints.filter((e) => e.billedUsd !== null);
  const chart = billed.map((e: CostTruthEndpoint) => ({ endpoint: e.name, "Flowgate computed": e.computedUsd, "Provider billed": e.billedUsd }));
  const failed = sync.data?.endpoints.filter((e) => e.status === "failed") ?? [];
  return (
    <Card data-testid="cost-truth">
      <CardHeader
        title="Cost truth"
        description={`Flowgate's computed spend (attempts, by the hour they started on the provider) beside what the provider billed for the same hours; difference = billed − computed. Bills last fetched: ${when(data.lastFetchedAt)}.`}
        actions={
          <div className="flex gap-2">
            {mayFetch && (
              <Button size="sm" variant="secondary" onClick={() => sync.mutate()} disabled={sync.isPending}>
                {sync.isPending ? "Fetching…" : "Fetch bills now"}
              </Button>
            )}
            <Button size="sm" variant="ghost" disabled={!billed.length} onClick={() => downloadCsv("cost-truth", csvRows(data))} aria-label="Download Cost truth as CSV">
              CSV
            </Button>
          </div>
        }
      />
      <CardBody className="space-y-4">
        {sync.error ? <ErrorCallout error={sync.error} /> : null}
        {sync.data && (
          <p className="text-sm text-zinc-600" role="status">
            Fetched {sync.data.endpoints.filter((e) => e.status === "ok").reduce((s, e) => s + e.buckets, 0)} hourly bill(s) from {sync.data.endpoints.filter((e) => e.status === "ok").length} endpoint(s)
            {failed.length ? `; failed: ${failed.map((e) => `${e.name} (${e.error?.code})`).join(", ")}` : ""}.
          </p>
        )}
        {billed.length ? (
          <>
            <div style={{ height: 200 }}>
              <ResponsiveContainer>
                <BarChart data={chart} margin={{ top: 8, left: 8, right: 8 }} barCategoryGap="30%">
                  <CartesianGrid stroke={GRID} vertical={false} />
                  <XAxis dataKey="endpoint" tick={tick} />
                  <YAxis tick={tick} tickFormatter={(v: number) => usd(v, 3)} width={64} />
                  <Tooltip {...tooltipStyle} formatter={(v) => usdExact(Number(v))} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar dataKey="Flowgate computed" fill={PALETTE[0]} maxBarSize={56} isAnimationActive={false} />
                  <Bar dataKey="Provider billed" fill={PALETTE[1]} maxBarSize={56} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <div className="overflow-x-auto">
              <Table size="compact">
                <THead>
                  <TR>
                    <TH>Endpoint</TH>
                    <TH>Provider / GPU</TH>
                    <TH className="text-right">Computed</TH>
                    <TH className="text-right">Billed</TH>
                    <TH>Difference</TH>
                    <TH>Last fetched</TH>
                  </TR>
                </THead>
                <TBody>
                  {data.endpoints.map((e) => (
                    <TR key={e.endpointId}>
                      <TD className="font-medium text-zinc-800">{e.name}</TD>
                      <TD className="text-zinc-600">
                        {e.provider}
                        {e.gpu ? ` · ${e.gpu}` : ""}
                      </TD>
                      <TD className="text-right tabular-nums" title={usdExact(e.computedUsd)}>{usd(e.computedUsd, 4)}</TD>
                      <TD className="text-right tabular-nums" title={usdExact(e.billedUsd)}>{usd(e.billedUsd, 4)}</TD>
                      <TD>
                        <Difference usdDiff={e.differenceUsd} percent={e.differencePercent} />
                      </TD>
                      <TD className="text-xs text-zinc-500">{when(e.lastFetchedAt)}</TD>
                    </TR>
                  ))}
                  <TR>
                    <TD className="font-semibold text-zinc-900">Total</TD>
                    <TD />
                    <TD className="text-right font-semibold tabular-nums">{usd(data.total.computedUsd, 4)}</TD>
                    <TD className="text-right font-semibold tabular-nums">{usd(data.total.billedUsd, 4)}</TD>
                    <TD>
                      <Difference usdDiff={data.total.differenceUsd} percent={data.total.differencePercent} />
                    </TD>
                    <TD />
                  </TR>
                </TBody>
              </Table>
            </div>
            <p className="text-xs text-zinc-500">
              The difference covers only the hours with a bill (an endpoint without one shows &ldquo;no bill&rdquo;). A positive difference is what the provider billed beyond Flowgate&apos;s formula — on RunPod mostly the idle timeout a worker stays up (and is billed) after each job, which Flowgate does not model per attempt.
            </p>
          </>
        ) : (
          <EmptyState
            title="No provider bills yet"
            description={`Only RunPod serverless endpoints report bills; Flowgate fetches them every hour${mayFetch ? ", or now with “Fetch bills now”" : ""}. ${data.endpoints.length ? `${data.endpoints.length} endpoint(s) can report one.` : "No RunPod endpoint is configured."}`}
            className="py-8"
          />
        )}
      </CardBody>
    </Card>
  );
}
