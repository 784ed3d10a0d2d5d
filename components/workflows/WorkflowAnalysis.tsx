"use client";
// A version's analysis: parse warnings, output nodes, custom nodes and the model files it loads.
import type { WorkflowVersion } from "../api";
import { formatDateTime } from "../format";
import { Badge, Card, CardHeader, LoadingRows, Table, TBody, TD, TH, THead } from "../ui";

export function AnalysisCards({ version, loading }: { version?: WorkflowVersion; loading: boolean }) {
  if (loading || !version)
    return (
      <Card>
        <LoadingRows rows={5} />
      </Card>
    );
  const a = version.analysis;
  return (
    <>
      {a.warnings.length > 0 && (
        <Card className="border-amber-200">
          <CardHeader title={`Warnings (${a.warnings.length})`} description="Found while parsing and analysing this version." />
          <ul className="divide-y divide-zinc-100">
            {a.warnings.map((w, i) => (
              <li key={i} className="flex items-start gap-3 px-4 py-2.5 text-sm">
                <Badge tone="amber" className="mt-px font-mono">
                  {w.code}
                </Badge>
                <span className="text-zinc-700">
                  {w.message}
                  {w.nodeId && <span className="ml-1 font-mono text-xs text-zinc-500">#{w.nodeId}</span>}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader title={`Outputs (${a.outputs.length})`} description="Nodes whose results a run returns." />
          {a.outputs.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">No output nodes: a run of this version would produce nothing.</p>
          ) : (
            <ul className="divide-y divide-zinc-100">
              {a.outputs.map((o) => (
                <li key={o.nodeId} className="flex items-center justify-between px-4 py-2 text-sm">
                  <span className="font-medium text-zinc-800">{o.classType}</span>
                  <span className="font-mono text-xs text-zinc-500">#{o.nodeId}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <CardHeader
            title={`Custom nodes (${a.customNodes.length})`}
            description="Not in ComfyUI core: endpoints must have them installed."
          />
          {a.customNodes.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">None — this version runs on a stock ComfyUI.</p>
          ) : (
            <ul className="divide-y divide-zinc-100">
              {a.customNodes.map((c) => (
                <li key={c.classType} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
                  <span className="truncate font-medium text-violet-800">{c.classType}</span>
                  <span className="shrink-0 font-mono text-xs text-zinc-500">{c.nodeIds.map((n) => `#${n}`).join(" ")}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card>
        <CardHeader title={`Models (${a.models.length})`} description="Files the endpoint must have, by ComfyUI model folder." />
        {a.models.length === 0 ? (
          <p className="px-4 py-6 text-sm text-zinc-500">This version loads no model files.</p>
        ) : (
          <Table>
            <THead>
              <tr>
                <TH>File</TH>
                <TH>Folder</TH>
                <TH>Input</TH>
              </tr>
            </THead>
            <TBody>
              {a.models.map((m, i) => (
                <tr key={i}>
                  <TD className="max-w-xs truncate font-mono text-xs text-zinc-800" title={m.name}>
                    {m.name}
                  </TD>
                  <TD>{m.folder ? <Badge tone="blue">{m.folder}</Badge> : <span className="text-xs text-zinc-400">unknown</span>}</TD>
                  <TD className="font-mono text-xs text-zinc-500">
                    #{m.nodeId}.{m.input}
                  </TD>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {version.createdAt && <p className="text-xs text-zinc-400">Version {version.number} uploaded {formatDateTime(version.createdAt)}.</p>}
    </>
  );
}
