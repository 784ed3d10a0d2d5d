// loadWorkflow: any accepted upload (API JSON bare or wrapped, UI JSON, PNG/WebP with embedded
// workflow) → one LoadedWorkflow with an API-format prompt. For images the `prompt` chunk (what
// ComfyUI actually executed) is the prompt; the `workflow` chunk, when present, is kept as `original`.
import { looksLikeApiPrompt, looksLikeUiWorkflow, normalizeApiPrompt } from "./api-format";
import { convertUiToApi } from "./convert-ui";
import { WorkflowError } from "./errors";
import { isPng, isWebp, readPngTexts, readWebpTexts, type EmbeddedTexts } from "./image-metadata";
import { assertTreeShaped, DEFAULT_MAX_BYTES, MAX_NODES, parseJsonText } from "./json";
import { bundledObjectInfo } from "./bundled";
import { isPlainObject } from "./own";
import type { LoadedWorkflow, ObjectInfo, WorkflowWarning } from "./types";

export interface LoadOptions {
  filename?: string;
  objectInfo?: ObjectInfo;
  maxBytes?: number;
  /** Refuse (workflow_too_large) a workflow with more nodes than this before converting it; default MAX_NODES. */
  maxNodes?: number;
}

function tooManyNodes(count: number, maxNodes: number): WorkflowError {
  return new WorkflowError("workflow_too_large", `The workflow has ${count} nodes; the limit is ${maxNodes}`, { nodeCount: count, maxNodes });
}

/** Node count of an unwrapped workflow, counted without converting it: API entries, or UI nodes plus subgraph nodes. */
function assertNodeCount(u: Unwrapped, maxNodes: number): void {
  let count = 0;
  if (u.kind === "api") count = Object.keys(u.value).length;
  else {
    const nodes = u.value.nodes;
    count = Array.isArray(nodes) ? nodes.length : 0;
    const defs = isPlainObject(u.value.definitions) ? u.value.definitions.subgraphs : undefined;
    if (Array.isArray(defs)) for (const d of defs) if (isPlainObject(d) && Array.isArray(d.nodes)) count += d.nodes.length;
  }
  if (count > maxNodes) throw tooManyNodes(count, maxNodes);
}

type Unwrapped = { kind: "api"; value: Record<string, unknown> } | { kind: "ui"; value: Record<string, unknown> };

function unwrap(value: unknown, maxBytes: number): Unwrapped {
  let v = value;
  for (let hop = 0; hop < 6; hop++) {
    if (typeof v === "string") {
      if (v.length > maxBytes) throw new WorkflowError("workflow_too_large", `Workflow is larger than ${maxBytes} bytes`, { maxBytes });
      v = parseJsonText(v);
      assertTreeShaped(v);
      continue;
    }
    if (looksLikeUiWorkflow(v)) return { kind: "ui", value: v };
    if (looksLikeApiPrompt(v)) return { kind: "api", value: v };
    if (!isPlainObject(v)) break;
    if (Object.keys(v).length === 0) throw new WorkflowError("workflow_empty", "Workflow has no nodes");
    const input = v.input;
    if (v.prompt !== undefined && (isPlainObject(v.prompt) || typeof v.prompt === "string")) v = v.prompt;
    else if (isPlainObject(input) && input.workflow !== undefined) v = input.workflow;
    else if (v.workflow !== undefined && (isPlainObject(v.workflow) || typeof v.workflow === "string")) v = v.workflow;
    else break;
  }
  if (isPlainObject(v) && Object.keys(v).length === 0) throw new WorkflowError("workflow_empty", "Workflow has no nodes");
  throw new WorkflowError(
    "workflow_invalid",
    "Not a ComfyUI workflow: expected API format ({id: {class_type, inputs}}) or UI format ({nodes, links})",
  );
}

function fromImage(texts: EmbeddedTexts, source: "png" | "webp", opts: LoadOptions, maxBytes: number): LoadedWorkflow {
  const warnings: WorkflowWarning[] = [];
  let uiOriginal: Record<string, unknown> | undefined;
  if (texts.workflow !== undefined) {
    try {
      const u = unwrap(texts.workflow, maxBytes);
      if (u.kind === "ui") uiOriginal = u.value;
    } catch (e) {
      if (!(e instanceof WorkflowError) || texts.prompt === undefined) throw e;
      warnings.push({ code: "image_workflow_unreadable", message: `The embedded UI workflow could not be read (${e.message}); using the embedded prompt` });
    }
  }
  if (texts.prompt !== undefined) {
    const u = unwrap(texts.prompt, maxBytes);
    assertNodeCount(u, opts.maxNodes ?? MAX_NODES);
    if (u.kind === "api") {
      const prompt = normalizeApiPrompt(u.value);
      return {
        format: uiOriginal ? "ui" : "api",
        source,
        original: uiOriginal ?? u.value,
        prompt,
        warnings,
        nodeCount: Object.keys(prompt).length,
      };
    }
    if (!uiOriginal) uiOriginal = u.value;
  }
  if (uiOriginal) {
    assertNodeCount({ kind: "ui", value: uiOriginal }, opts.maxNodes ?? MAX_NODES);
    const { prompt, warnings: w } = convertUiToApi(uiOriginal, opts.objectInfo ?? bundledObjectInfo(), { maxNodes: opts.maxNodes ?? MAX_NODES });
    return { format: "ui", source, original: uiOriginal, prompt, warnings: [...warnings, ...w], nodeCount: Object.keys(prompt).length };
  }
  throw new WorkflowError("image_no_workflow", `The ${source.toUpperCase()} image has no embedded ComfyUI workflow (no "prompt" or "workflow" metadata)`);
}

export function loadWorkflow(input: Buffer | Uint8Array | string | unknown, opts: LoadOptions = {}): LoadedWorkflow {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let value: unknown = input;
  let source: "json" | "png" | "webp" = "json";

  if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) throw new WorkflowError("workflow_too_large", `Upload is larger than ${maxBytes} bytes`, { maxBytes, size: input.byteLength });
    if (input.byteLength === 0) throw new WorkflowError("workflow_empty", "Upload is empty");
    if (isPng(input)) return fromImage(readPngTexts(input, maxBytes), "png", opts, maxBytes);
    if (isWebp(input)) return fromImage(readWebpTexts(input), "webp", opts, maxBytes);
    if (/\.(png|webp|jpe?g)$/i.test(opts.filename ?? "")) {
      throw new WorkflowError("image_corrupt", `${opts.filename} is not a readable PNG or WebP image`);
    }
    value = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("utf8");
  }
  if (typeof value === "string") {
    if (Buffer.byteLength(value) > maxBytes) throw new WorkflowError("workflow_too_large", `Workflow is larger than ${maxBytes} bytes`, { maxBytes });
    value = parseJsonText(value);
  }
  if (value === undefined || value === null) throw new WorkflowError("workflow_empty", "No workflow given");
  // unwrap and the node count only look at the top levels (safe on any value), so an oversized
  // workflow is refused before the full walk below.
  let u: Unwrapped;
  try {
    u = unwrap(value, maxBytes);
  } catch (e) {
    assertTreeShaped(value); // a value too deep or cyclic is named as such, not as "not a workflow"
    throw e;
  }
  assertNodeCount(u, opts.maxNodes ?? MAX_NODES);
  assertTreeShaped(value);
  if (u.kind === "api") {
    const prompt = normalizeApiPrompt(u.value);
    return { format: "api", source, original: u.value, prompt, warnings: [], nodeCount: Object.keys(prompt).length };
  }
  const { prompt, warnings } = convertUiToApi(u.value, opts.objectInfo ?? bundledObjectInfo(), { maxNodes: opts.maxNodes ?? MAX_NODES });
  return { format: "ui", source, original: u.value, prompt, warnings, nodeCount: Object.keys(prompt).length };
}
