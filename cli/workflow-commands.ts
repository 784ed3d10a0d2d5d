// `flowgate analyze | convert | validate` — offline workflow commands over lib/comfy-graph.
import { readFileSync } from "node:fs";
import {
  analyzeWorkflow,
  bundledObjectInfo,
  loadWorkflow,
  parseObjectInfo,
  validatePrompt,
  WorkflowError,
  type ObjectInfo,
  type PromptValidation,
} from "../lib/comfy-graph/index";
import { cliNodeIndex, cliRequirements, formatRequirements } from "./provision-commands";

interface Parsed {
  file?: string;
  objectInfo?: string;
  nodeIndex?: string;
  json: boolean;
  strictModels: boolean;
  error?: string;
}

function parseArgs(argv: string[]): Parsed {
  const out: Parsed = { json: false, strictModels: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") out.json = true;
    else if (a === "--object-info") {
      const v = argv[++i];
      if (!v) out.error = "--object-info needs a file";
      else out.objectInfo = v;
    } else if (a.startsWith("--object-info=")) out.objectInfo = a.slice("--object-info=".length);
    else if (a === "--node-index") {
      const v = argv[++i];
      if (!v) out.error = "--node-index needs a directory or URL";
      else out.nodeIndex = v;
    } else if (a.startsWith("--node-index=")) out.nodeIndex = a.slice("--node-index=".length);
    else if (a === "--lenient") out.strictModels = false;
    else if (a.startsWith("-") && a !== "-") out.error = `Unknown option ${a}`;
    else if (out.file === undefined) out.file = a;
    else out.error = `Unexpected argument ${a}`;
  }
  return out;
}

function readInput(file: string): Buffer {
  return file === "-" ? readFileSync(0) : readFileSync(file);
}

function loadObjectInfo(file: string | undefined): ObjectInfo {
  if (!file) return bundledObjectInfo();
  return parseObjectInfo(readFileSync(file, "utf8"));
}

function fail(err: unknown): number {
  if (err instanceof WorkflowError) {
    process.stderr.write(`error: ${err.message} [${err.code}]\n`);
    const nodes = err.details?.nodes;
    if (Array.isArray(nodes)) {
      for (const n of nodes as { id?: string; type?: string; message?: string }[]) process.stderr.write(`  node ${n.id} (${n.type}): ${n.message ?? ""}\n`);
    }
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT" || e?.code === "EISDIR" || e?.code === "EACCES") {
    process.stderr.write(`error: cannot read ${e.path ?? "file"} (${e.code})\n`);
    return 1;
  }
  process.stderr.write(`error: ${String(e?.message ?? err)}\n`);
  return 1;
}

export function formatValidation(v: PromptValidation): string {
  if (v.ok) return "ok";
  const lines: string[] = [];
  if (v.error) lines.push(`${v.error.type}: ${v.error.message}${v.error.type !== "prompt_outputs_failed_validation" && v.error.details ? ` (${v.error.details})` : ""}`);
  for (const [id, ne] of Object.entries(v.node_errors)) {
    lines.push(`Failed to validate node ${id} (${ne.class_type}), needed by output(s) ${ne.dependent_outputs.join(", ")}:`);
    for (const e of ne.errors) lines.push(`  * ${e.type}: ${e.message}: ${e.details}`);
  }
  return lines.join("\n");
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a.error || !a.file) {
    process.stderr.write(`${a.error ?? "missing FILE"}\nusage: flowgate analyze FILE [--object-info F] [--node-index DIR|URL] [--json]\n`);
    return 2;
  }
  try {
    const oi = loadObjectInfo(a.objectInfo);
    const bytes = readInput(a.file);
    const { index, note } = await cliNodeIndex(a.nodeIndex);
    let loaded;
    try {
      loaded = loadWorkflow(bytes, { filename: a.file, objectInfo: oi });
    } catch (e) {
      // Nodes without definitions: not convertible, but what the workflow needs can still be listed.
      if (!(e instanceof WorkflowError) || e.code !== "workflow_unconvertible") throw e;
      const original = unwrapUi(bytes);
      if (!original) throw e;
      const requirements = cliRequirements({ original, prompt: null }, oi, index);
      if (a.json) {
        process.stdout.write(JSON.stringify({ format: "ui", convertible: false, error: { code: e.code, message: e.message, details: e.details }, requirements }, null, 2) + "\n");
        return 0;
      }
      const out = [`${a.file}: UI format, not convertible to API format without the definitions of its custom nodes (${e.message.split(":")[0]})`];
      out.push(...formatRequirements(requirements));
      if (note) out.push(`Note: ${note}`);
      process.stdout.write(out.join("\n") + "\n");
      return 0;
    }
    const an = analyzeWorkflow(loaded, oi);
    const requirements = cliRequirements({ original: loaded.original, prompt: loaded.prompt }, oi, index);
    if (a.json) {
      process.stdout.write(JSON.stringify({ ...an, requirements }, null, 2) + "\n");
      return 0;
    }
    const out: string[] = [];
    out.push(`${a.file}: ${an.format.toUpperCase()} format (${loaded.source}), ${an.nodeCount} nodes`);
    out.push(`Outputs: ${an.outputs.map((o) => `${o.nodeId} ${o.classType}`).join(", ") || "none"}`);
    out.push(`Models (${an.models.length}):`);
    for (const m of an.models) out.push(`  ${m.folder ?? "?"}/${m.name}  (node ${m.nodeId}.${m.input})`);
    out.push(`Custom nodes (${an.customNodes.length}):`);
    for (const c of an.customNodes) out.push(`  ${c.classType}  (node${c.nodeIds.length > 1 ? "s" : ""} ${c.nodeIds.join(", ")})${c.pythonModule ? ` from ${c.pythonModule}` : ""}`);
    out.push(...formatRequirements(requirements));
    if (note && requirements.packs.length + requirements.unknownClasses.length > 0) out.push(`Note: ${note}`);
    out.push(`Suggested slots (${an.suggestedSlots.length}):`);
    for (const s of an.suggestedSlots) {
      const def = s.default === undefined ? "" : ` = ${JSON.stringify(s.default).slice(0, 60)}`;
      out.push(`  ${s.name}: ${s.type}  (node ${s.nodeId}.${s.input})${def}`);
    }
    if (an.warnings.length) {
      out.push(`Warnings (${an.warnings.length}):`);
      for (const w of an.warnings) out.push(`  [${w.code}] ${w.message}`);
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  } catch (e) {
    return fail(e);
  }
}

/** The UI document of a JSON upload (bare or wrapped), for listing requirements without converting. */
function unwrapUi(bytes: Buffer): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
  for (let hop = 0; hop < 6 && v && typeof v === "object"; hop++) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.nodes)) return o;
    v = typeof o.workflow === "string" ? JSON.parse(o.workflow) : (o.workflow ?? o.prompt);
  }
  return undefined;
}

export async function convertCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a.error || !a.file) {
    process.stderr.write(`${a.error ?? "missing FILE"}\nusage: flowgate convert FILE [--object-info F]\n`);
    return 2;
  }
  try {
    const oi = loadObjectInfo(a.objectInfo);
    const loaded = loadWorkflow(readInput(a.file), { filename: a.file, objectInfo: oi });
    for (const w of loaded.warnings) process.stderr.write(`warning: [${w.code}] ${w.message}\n`);
    process.stdout.write(JSON.stringify(loaded.prompt, null, 2) + "\n");
    return 0;
  } catch (e) {
    return fail(e);
  }
}

export async function validateCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a.error || !a.file || !a.objectInfo) {
    process.stderr.write(`${a.error ?? (!a.file ? "missing FILE" : "missing --object-info")}\nusage: flowgate validate FILE --object-info F [--lenient] [--json]\n`);
    return 2;
  }
  try {
    const oi = loadObjectInfo(a.objectInfo);
    const loaded = loadWorkflow(readInput(a.file), { filename: a.file, objectInfo: oi });
    const v = validatePrompt(loaded.prompt, oi, { acceptAnyModelFile: !a.strictModels });
    if (a.json) process.stdout.write(JSON.stringify(v, null, 2) + "\n");
    else if (v.ok) process.stdout.write("ok\n");
    else process.stdout.write(formatValidation(v) + "\n");
    return v.ok ? 0 : 1;
  } catch (e) {
    return fail(e);
  }
}
