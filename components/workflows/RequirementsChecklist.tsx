"use client";
// What an endpoint needs to run the shown version, as a checklist: each custom node pack with the
// classes it provides, each model file with its ComfyUI folder, download source and size, and inputs
// to resolve what no index knows (a pack's git URL, a model's Hugging Face / Civitai URL), remembered
// for every workflow. The worker image recipe (Dockerfile, CI workflow, volume script) downloads as a zip.
import { useState } from "react";
import type { Requirements } from "../api";
import { formatRelative } from "../format";
import { useRequirements, useResolveRequirement } from "../queries";
import { Badge, Button, Card, CardHeader, ErrorCallout, Input, LoadingRows, Table, TBody, TD, TH, THead, type Tone } from "../ui";

const SOURCE_TONE: Record<string, Tone> = { object_info: "green", index: "blue", registry: "indigo", user: "violet", workflow: "green" };
const SOURCE_LABEL: Record<string, string> = { object_info: "endpoint", index: "Manager index", registry: "Comfy Registry", user: "you", workflow: "workflow" };

export function RequirementsChecklist({ workflowId, number }: { workflowId: string; number: number | undefined }) {
  const q = useRequirements(workflowId, number);
  const r = q.data;
  const recipeUrl = `/api/v1/workflows/${encodeURIComponent(workflowId)}/versions/${number}/recipe?provider=runpod&format=zip`;
  return (
    <Card data-testid="requirements">
      <CardHeader
        title="Backend requirements"
        description={
          r?.index
            ? `Custom node packs and model files this version needs · node index ${formatRelative(r.index.fetchedAt)}`
            : "Custom node packs and model files this version needs"
        }
        actions={
          <a href={recipeUrl} download className="inline-flex h-7 items-center rounded-md border border-zinc-300 bg-white px-2.5 text-xs font-medium text-zinc-800 shadow-xs hover:bg-zinc-50" data-testid="download-recipe">
            Download worker recipe (.zip)
          </a>
        }
      />
      {q.isError ? (
        <div className="p-4">
          <ErrorCallout error={q.error} title="Could not list the requirements" />
        </div>
      ) : !r ? (
        <LoadingRows rows={4} />
      ) : (
        <Checklist r={r} />
      )}
    </Card>
  );
}

function Checklist({ r }: { r: Requirements }) {
  const missingModels = r.models.filter((m) => !m.url).length;
  const todo = r.unknownClasses.length + missingModels;
  return (
    <div className="divide-y divide-zinc-100">
      <p className="px-4 py-2.5 text-sm text-zinc-700" data-testid="requirements-summary">
        {r.packs.length} custom node pack{r.packs.length === 1 ? "" : "s"}, {r.models.length} model file{r.models.length === 1 ? "" : "s"}
        {todo > 0 ? (
          <span className="ml-2 text-amber-700">· {todo} to resolve below</span>
        ) : (
          <span className="ml-2 text-emerald-700">· everything known: the recipe installs it all</span>
        )}
      </p>
      {(r.packs.length > 0 || r.unknownClasses.length > 0) && (
        <Table size="compact">
          <THead>
            <tr>
              <TH>Node pack</TH>
              <TH>Classes</TH>
              <TH>Found by</TH>
            </tr>
          </THead>
          <TBody>
            {r.packs.map((p) => (
              <tr key={p.repository ?? p.title} data-testid="pack-row">
                <TD className="align-top">
                  <span className="mr-1.5 text-emerald-600">✓</span>
                  {p.repository ? (
                    <a href={p.repository} target="_blank" rel="noreferrer" className="font-medium text-zinc-900 hover:underline">
                      {p.title}
                    </a>
                  ) : (
                    <span className="font-medium">{p.title}</span>
                  )}
                  {p.install && <div className="ml-5 font-mono text-[11px] text-zinc-500">comfy-node-install {p.install}</div>}
                  {p.alternatives && p.alternatives.length > 0 && (
                    <div className="ml-5 text-[11px] text-zinc-400" title={p.alternatives.join("\n")}>
                      {p.alternatives.length} other pack{p.alternatives.length === 1 ? "" : "s"} claim some of these
                    </div>
                  )}
                </TD>
                <TD className="align-top font-mono text-xs text-violet-800">{p.classes.join(", ")}</TD>
                <TD className="align-top">
                  <Badge tone={SOURCE_TONE[p.source] ?? "neutral"}>{SOURCE_LABEL[p.source] ?? p.source}</Badge>
                </TD>
              </tr>
            ))}
            {r.unknownClasses.map((u) => (
              <tr key={u.classType} data-testid="unknown-class-row">
                <TD className="align-top">
                  <span className="mr-1.5 text-amber-600">?</span>
                  <span className="text-zinc-500">Unknown pack</span>
                  <Resolve kind="class" keyName={u.classType} placeholder="https://github.com/owner/ComfyUI-Pack" />
                </TD>
                <TD className="align-top font-mono text-xs text-violet-800">
                  {u.classType} <span className="text-zinc-400">{u.nodeIds.map((n) => `#${n}`).join(" ")}</span>
                </TD>
                <TD className="align-top">
                  <Badge tone="amber">unknown</Badge>
                </TD>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {r.models.length > 0 && (
        <Table size="compact">
          <THead>
            <tr>
              <TH>Model file</TH>
              <TH>Folder</TH>
              <TH>Source</TH>
              <TH className="text-right">Size</TH>
            </tr>
          </THead>
          <TBody>
            {r.models.map((m) => (
              <tr key={`${m.nodeId}.${m.input}`} data-testid="model-row">
                <TD className="align-top">
                  <span className={m.url ? "mr-1.5 text-emerald-600" : "mr-1.5 text-amber-600"}>{m.url ? "✓" : "?"}</span>
                  <span className="font-mono text-xs text-zinc-900">{m.name}</span>
                  <span className="ml-1.5 font-mono text-[11px] text-zinc-400">#{m.nodeId}</span>
                  {m.url ? (
                    <div className="ml-5 max-w-xs truncate text-[11px]">
                      <a href={m.url} target="_blank" rel="noreferrer" className="text-zinc-500 hover:underline" title={m.url}>
                        {m.url}
                      </a>
                    </div>
                  ) : (
                    <Resolve kind="model" keyName={m.name} placeholder="https://huggingface.co/… or https://civitai.com/…" />
                  )}
                </TD>
                <TD className="align-top font-mono text-xs">{m.folder ?? <span className="text-amber-700">unknown</span>}</TD>
                <TD className="align-top">
                  {m.source ? <Badge tone={SOURCE_TONE[m.source] ?? "neutral"}>{SOURCE_LABEL[m.source] ?? m.source}</Badge> : <Badge tone="amber">none</Badge>}
                  {m.token && (
                    <Badge tone="red" className="ml-1" title={`A gated download: the build needs ${m.token}`}>
                      {m.token}
                    </Badge>
                  )}
                </TD>
                <TD className="text-right align-top text-xs text-zinc-600">{m.size ?? "—"}</TD>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}

function Resolve({ kind, keyName, placeholder }: { kind: "class" | "model"; keyName: string; placeholder: string }) {
  const [url, setUrl] = useState("");
  const save = useResolveRequirement();
  return (
    <form
      className="ml-5 mt-1 flex max-w-xs items-center gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        if (url.trim()) save.mutate({ kind, key: keyName, url: url.trim() });
      }}
    >
      <Input
        aria-label={kind === "class" ? `Git URL of the pack providing ${keyName}` : `Download URL of ${keyName}`}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        placeholder={placeholder}
        className="h-7 text-xs"
      />
      <Button type="submit" size="sm" disabled={!url.trim() || save.isPending}>
        Save
      </Button>
      {save.isError && <span className="text-[11px] text-red-700">{(save.error as Error).message}</span>}
    </form>
  );
}
