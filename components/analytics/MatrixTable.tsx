"use client";
// The provider decision matrix: one row per endpoint, sortable by any column, with how many runs
// back each row (so nobody over-reads five runs) and the recommendation line per deployment.
import { useState } from "react";
import { Badge, Button, Card, CardBody, CardHeader, EmptyState, Input, Label, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { downloadCsv, int, pct, secs, usd } from "./format";
import type { Matrix, MatrixRow } from "./queries";

type Col = { key: keyof MatrixRow; label: string; fmt: (r: MatrixRow) => string; numeric?: boolean; wrap?: boolean };
const COLS: Col[] = [
  { key: "name", label: "Endpoint", fmt: (r) => r.name, wrap: true },
  // Provider and GPU share a column (sorted by provider): the matrix must fit a laptop screen.
  { key: "provider", label: "Provider · GPU", fmt: (r) => (r.gpu ? `${r.provider} · ${r.gpu}` : r.provider), wrap: true },
  { key: "costPer1000Usd", label: "$ / 1,000 runs", fmt: (r) => usd(r.costPer1000Usd), numeric: true },
  { key: "costPer1000WithCapacityUsd", label: "incl. idle", fmt: (r) => usd(r.costPer1000WithCapacityUsd), numeric: true },
  { key: "p50Ms", label: "p50", fmt: (r) => secs(r.p50Ms), numeric: true },
  { key: "p95Ms", label: "p95", fmt: (r) => secs(r.p95Ms), numeric: true },
  { key: "coldStartP50Ms", label: "cold p50", fmt: (r) => secs(r.coldStartP50Ms), numeric: true },
  { key: "coldStartP95Ms", label: "cold p95", fmt: (r) => secs(r.coldStartP95Ms), numeric: true },
  { key: "successRate", label: "Success", fmt: (r) => pct(r.successRate), numeric: true },
  { key: "uptime", label: "Uptime", fmt: (r) => pct(r.uptime, 2), numeric: true },
  { key: "runs", label: "Runs", fmt: (r) => int(r.runs), numeric: true },
];
const TONE = { none: "neutral", low: "amber", medium: "blue", high: "green" } as const;

export function MatrixTable({ matrix, maxP95Ms, onMaxP95Ms }: { matrix: Matrix; maxP95Ms: number; onMaxP95Ms: (ms: number) => void }) {
  const [sort, setSort] = useState<{ key: keyof MatrixRow; dir: 1 | -1 }>({ key: "costPer1000Usd", dir: 1 });
  const rows = [...matrix.rows].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * sort.dir;
  });
  return (
    <Card data-testid="decision-matrix">
      <CardHeader
        title="Provider decision matrix"
        description="Measured from this period's runs. Cost per 1,000 succeeded runs includes failed, retried and hedged attempts; “incl. idle” adds the endpoint's idle or warm capacity."
        actions={
          <Button size="sm" variant="ghost" disabled={!rows.length} onClick={() => downloadCsv("decision-matrix", rows as unknown as Record<string, unknown>[])}>
            CSV
          </Button>
        }
      />
      <CardBody className="space-y-4">
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <Label htmlFor="p95-target">Latency target (p95, seconds)</Label>
            <Input id="p95-target" type="number" min={1} className="mt-1 w-32" value={Math.round(maxP95Ms / 1000)} onChange={(e) => onMaxP95Ms(Math.max(1, Number(e.target.value) || 1) * 1000)} />
          </div>
        </div>
        {matrix.recommendations.length > 0 && (
          <ul className="space-y-1.5" data-testid="recommendations">
            {matrix.recommendations.map((r) => (
              <li key={r.deploymentId} className="flex gap-2 text-sm text-zinc-800">
                <span aria-hidden className={r.endpointId ? "text-emerald-600" : "text-amber-600"}>
                  {r.endpointId ? "✓" : "!"}
                </span>
                {r.text}
              </li>
            ))}
          </ul>
        )}
        {rows.length ? (
          <div className="overflow-x-auto">
            <Table size="compact">
              <THead>
                <TR>
                  {COLS.map((c) => (
                    <TH key={c.key} className={c.numeric ? "text-right" : undefined} aria-sort={sort.key === c.key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
                      <button type="button" className="inline-flex items-center gap-1 hover:text-zinc-900" onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : 1 }))}>
                        {c.label}
                        {sort.key === c.key && <span aria-hidden>{sort.dir === 1 ? "▲" : "▼"}</span>}
                      </button>
                    </TH>
                  ))}
                  <TH>Confidence</TH>
                </TR>
              </THead>
              <TBody>
                {rows.map((r) => (
                  <TR key={r.endpointId}>
                    {COLS.map((c) => (
                      <TD key={c.key} wrap={c.wrap} className={c.numeric ? "text-right tabular-nums" : c.wrap ? "min-w-28" : undefined}>
                        {c.fmt(r)}
                      </TD>
                    ))}
                    <TD wrap className="min-w-44">
                      <Badge tone={TONE[r.confidence]}>{r.confidence}</Badge>
                      <span className="mt-0.5 block text-xs leading-snug text-zinc-500">{r.confidenceNote}</span>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        ) : (
          <EmptyState title="No runs to compare yet" description="Run a deployment on two or more endpoints: each one gets a row here with its measured cost and latency." />
        )}
      </CardBody>
    </Card>
  );
}
