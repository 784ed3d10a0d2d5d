"use client";
// Cost before deploy: per candidate GPU, the expected cost per run and per 1,000 runs — measured from
// earlier runs of this workflow where there are some, else marked as estimates — and what keeping
// `workersMin` warm workers costs per day.
import { useState } from "react";
import { useCostPreview } from "../queries";
import { Badge, Card, CardHeader, ErrorCallout, Input, LoadingRows, Table, TBody, TD, TH, THead } from "../ui";

const usd = (n: number, digits = 2) => `$${n.toFixed(digits)}`;

export function CostPreviewCard({ workflowId, number }: { workflowId: string; number: number | undefined }) {
  const [workersMin, setWorkersMin] = useState(0);
  const q = useCostPreview(workflowId, number, workersMin);
  const p = q.data;
  return (
    <Card data-testid="cost-preview">
      <CardHeader
        title="Cost preview (RunPod serverless)"
        description={p ? (p.measuredRuns > 0 ? `From ${p.measuredRuns} earlier run${p.measuredRuns === 1 ? "" : "s"} of this workflow; other GPUs scaled by relative speed` : "No runs yet: every figure is an estimate") : "Expected cost per run"}
        actions={
          <label className="flex items-center gap-1.5 text-xs text-zinc-600">
            Always-on workers
            <Input type="number" min={0} max={100} value={workersMin} onChange={(e) => setWorkersMin(Math.max(0, Math.min(100, Number(e.target.value) || 0)))} className="h-7 w-16 text-xs" aria-label="workersMin" />
          </label>
        }
      />
      {q.isError ? (
        <div className="p-4">
          <ErrorCallout error={q.error} title="Could not compute the preview" />
        </div>
      ) : !p ? (
        <LoadingRows rows={4} />
      ) : (
        <Table size="compact">
          <THead>
            <tr>
              <TH>GPU</TH>
              <TH className="text-right">$/h</TH>
              <TH className="text-right">s/run</TH>
              <TH className="text-right">per run</TH>
              <TH className="text-right">per 1,000</TH>
              {workersMin > 0 && <TH className="text-right">warm/day</TH>}
              <TH>Basis</TH>
            </tr>
          </THead>
          <TBody>
            {p.lines.map((l) => (
              <tr key={l.gpuTypeId} title={l.note}>
                <TD className="text-xs">
                  {l.label} <span className="font-mono text-[11px] text-zinc-400">{l.gpuTypeId}</span>
                </TD>
                <TD className="text-right text-xs">{l.pricePerHourUsd.toFixed(2)}</TD>
                <TD className="text-right text-xs">{l.secondsPerRun.toFixed(1)}</TD>
                <TD className="text-right font-mono text-xs">{usd(l.costPerRunUsd, 4)}</TD>
                <TD className="text-right font-mono text-xs">{usd(l.costPer1000Usd)}</TD>
                {workersMin > 0 && <TD className="text-right font-mono text-xs">{usd(p.idlePerDay.find((x) => x.gpuTypeId === l.gpuTypeId)?.usdPerDay ?? 0)}</TD>}
                <TD>
                  <Badge tone={l.basis === "measured" ? "green" : l.basis === "scaled" ? "blue" : "amber"}>{l.basis}</Badge>
                </TD>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
