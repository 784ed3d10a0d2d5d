"use client";
// Upload a workflow: drop or pick a .json/.png/.webp file, or paste JSON. Shows the API's
// error message (e.g. nodes the UI→API conversion could not handle) when it is refused.
// With `workflowId` the file becomes that workflow's next version.
import { useRouter } from "next/navigation";
import { useRef, useState, type DragEvent } from "react";
import { ApiError } from "../api";
import { useUploadWorkflow } from "../queries";
import { Button, Card, CardBody, CardHeader, cn, ErrorCallout, Field, Input, Tabs, Textarea } from "../ui";
import { compactIds, groupNodeProblems, type NodeProblem } from "./upload-errors";

const ACCEPT = ".json,.png,.webp,application/json,image/png,image/webp";

export function UploadWorkflow({
  onCancel,
  workflowId,
  latestNumber,
}: {
  onCancel?: () => void;
  workflowId?: string;
  /** the workflow's newest version: an upload answered with it (or older) changed nothing */
  latestNumber?: number;
}) {
  const router = useRouter();
  const upload = useUploadWorkflow();
  const [mode, setMode] = useState<"file" | "paste">("file");
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [unchanged, setUnchanged] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  function pick(f: File | undefined | null) {
    if (!f) return;
    setLocalError(null);
    setUnchanged(null);
    upload.reset();
    if (!/\.(json|png|webp)$/i.test(f.name)) {
      setLocalError(`${f.name} is not a .json, .png or .webp file. Export the workflow from ComfyUI and try again.`);
      return;
    }
    setFile(f);
    if (!name) setName(f.name.replace(/\.(api\.)?(json|png|webp)$/i, "").replace(/[_-]+/g, " "));
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files?.[0]);
  }

  async function submit() {
    setLocalError(null);
    let result;
    try {
      if (mode === "file") {
        if (!file) return setLocalError("Choose a file first.");
        if (/\.json$/i.test(file.name)) {
          // JSON is read here so a malformed file is caught before it is sent
          let json: unknown;
          try {
            json = JSON.parse(await file.text());
          } catch (e) {
            return setLocalError(`${file.name} is not valid JSON: ${(e as Error).message}`);
          }
          result = await upload.mutateAsync(
            workflowId ? { json, workflowId } : { json, name: name.trim() || file.name.replace(/\.json$/i, "") },
          );
        } else {
          result = await upload.mutateAsync({ file, name: workflowId ? undefined : name.trim() || undefined, workflowId });
        }
      } else {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (e) {
          return setLocalError(`That is not valid JSON: ${(e as Error).message}`);
        }
        result = await upload.mutateAsync(workflowId ? { json, workflowId } : { json, name: name.trim() || "Pasted workflow" });
      }
    } catch {
      return; // shown from upload.error
    }
    if (workflowId && latestNumber !== undefined && result.version.number <= latestNumber) {
      setUnchanged(result.version.number);
      return;
    }
    router.push(`/workflows/${result.id}?v=${result.version.number}`);
    onCancel?.();
  }

  const details = upload.error instanceof ApiError ? (upload.error.details as Record<string, unknown> | undefined) : undefined;
  const unconverted = Array.isArray(details?.nodes) ? (details!.nodes as NodeProblem[]) : [];
  const groups = groupNodeProblems(unconverted);

  return (
    <Card>
      <CardHeader
        title={workflowId ? "Upload a new version" : "Upload a workflow"}
        description={
          workflowId
            ? "The changed export becomes the next version; deployments stay on theirs until you move them."
            : "API or UI format JSON, or a PNG/WebP exported by ComfyUI with the workflow embedded."
        }
        actions={onCancel && <Button size="sm" variant="ghost" onClick={onCancel}>Cancel</Button>}
      />
      <CardBody className="space-y-4">
        <Tabs
          tabs={[
            { value: "file", label: "File" },
            { value: "paste", label: "Paste JSON" },
          ]}
          value={mode}
          onChange={(m) => {
            setMode(m);
            setLocalError(null);
            upload.reset();
          }}
        />
        {mode === "file" ? (
          <div
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            onClick={() => inputRef.current?.click()}
            role="button"
            tabIndex={0}
            onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && inputRef.current?.click()}
            className={cn(
              "flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-10 text-center transition-colors",
              dragging ? "border-indigo-400 bg-indigo-50/60" : "border-zinc-200 hover:border-zinc-300 hover:bg-zinc-50",
            )}
            data-testid="workflow-dropzone"
          >
            <svg viewBox="0 0 24 24" className="size-8 text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
              <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {file ? (
              <p className="mt-3 text-sm font-medium text-zinc-900">
                {file.name} <span className="font-normal text-zinc-500">({Math.max(1, Math.round(file.size / 1024))} KB)</span>
              </p>
            ) : (
              <p className="mt-3 text-sm text-zinc-700">
                <span className="font-medium text-indigo-600">Choose a file</span> or drag it here
              </p>
            )}
            <p className="mt-1 text-xs text-zinc-500">.json, .png or .webp</p>
            <input
              ref={inputRef}
              type="file"
              accept={ACCEPT}
              className="sr-only"
              data-testid="workflow-file-input"
              onChange={(e) => pick(e.target.files?.[0])}
            />
          </div>
        ) : (
          <Textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            className="font-mono text-xs"
            placeholder='{"3": {"class_type": "KSampler", "inputs": {...}}, ...}'
            aria-label="Workflow JSON"
          />
        )}
        {!workflowId && (
          <Field label="Name" htmlFor="wf-name" hint="Uploading changed content under an existing name adds a new version.">
            <Input id="wf-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. SDXL portrait" />
          </Field>
        )}
        {localError && <ErrorCallout error={localError} />}
        {unchanged !== null && (
          <ErrorCallout tone="amber" error={`This file is identical to version ${unchanged}: no new version was made.`} />
        )}
        {upload.error &&
          (groups.length > 0 ? (
            // one callout, each cause once with its fix and the nodes it affects
            <ErrorCallout
              title={`The workflow was not accepted: ${unconverted.length} node${unconverted.length === 1 ? "" : "s"} cannot be converted to API format`}
            >
              <ul className="space-y-2 text-xs" data-testid="upload-error-groups">
                {groups.map((g, i) => (
                  <li key={i} data-testid="upload-error-group">
                    <p className="font-medium">
                      {g.count} node{g.count === 1 ? "" : "s"}: {g.cause}
                    </p>
                    <ul className="mt-0.5 space-y-0.5">
                      {g.types.map((t) => (
                        <li key={t.type}>
                          <code className="font-semibold">{t.type || "?"}</code> <span className="opacity-80">{compactIds(t.ids)}</span>
                        </li>
                      ))}
                    </ul>
                    {g.fix && <p className="mt-1 opacity-90">What to do: {g.fix}</p>}
                  </li>
                ))}
              </ul>
            </ErrorCallout>
          ) : (
            <ErrorCallout error={upload.error} title="The workflow was not accepted" />
          ))}
        <div className="flex justify-end">
          <Button variant="primary" onClick={submit} loading={upload.isPending} disabled={mode === "file" ? !file : !text.trim()}>
            {workflowId ? "Upload version" : "Upload"}
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}
