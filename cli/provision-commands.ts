// Offline requirements for the CLI: `flowgate analyze` lists packs, models and unknown classes even
// when a UI workflow cannot be converted, and `flowgate recipe` prints a worker image recipe. The
// node index comes from --node-index (a directory holding ComfyUI-Manager's JSON files, or their base
// URL), else FLOWGATE_NODE_INDEX_URL; without either, custom classes are listed as unknown.
import fs from "node:fs";
import path from "node:path";
import { buildNodeIndex, type NodeIndex } from "../lib/provision/node-index";
import { collect, resolve, type Requirements } from "../lib/provision/requirements";
import type { ApiPrompt, ObjectInfo } from "../lib/comfy-graph/index";

export async function cliNodeIndex(given: string | undefined): Promise<{ index: NodeIndex | null; note?: string }> {
  const where = given ?? process.env.FLOWGATE_NODE_INDEX_URL;
  if (!where) return { index: null, note: "no node index (--node-index DIR|URL or FLOWGATE_NODE_INDEX_URL): custom classes are not matched to packs" };
  try {
    if (!/^https?:\/\//.test(where)) {
      const read = (f: string, optional = true) => {
        const p = path.join(where, f);
        if (!fs.existsSync(p) && optional) return undefined;
        return JSON.parse(fs.readFileSync(p, "utf8"));
      };
      const index = buildNodeIndex(
        { extensionNodeMap: read("extension-node-map.json", false), customNodeList: read("custom-node-list.json"), githubStats: read("github-stats.json"), modelList: read("model-list.json") },
        { fetchedAt: fs.statSync(path.join(where, "extension-node-map.json")).mtime.toISOString(), source: path.resolve(where) },
      );
      return { index };
    }
    process.env.FLOWGATE_NODE_INDEX_URL = where;
    const { fetchNodeIndex } = await import("../lib/provision/index-store");
    return { index: await fetchNodeIndex() };
  } catch (e) {
    return { index: null, note: `node index not loaded from ${where}: ${(e as Error).message}` };
  }
}

export function cliRequirements(workflow: { original: unknown; prompt: ApiPrompt | null }, objectInfo: ObjectInfo, index: NodeIndex | null): Requirements {
  return resolve(collect(workflow, objectInfo), { objectInfo, index, resolutions: { classes: new Map(), models: new Map() } });
}

export function formatRequirements(r: Requirements): string[] {
  const out: string[] = [];
  out.push(`Custom node packs (${r.packs.length}):`);
  for (const p of r.packs) out.push(`  ${p.title}  ${p.repository ?? "(repository unknown)"}  [${p.source}]  ← ${p.classes.join(", ")}`);
  if (r.unknownClasses.length) {
    out.push(`Unknown classes (${r.unknownClasses.length}) — give their pack's git URL:`);
    for (const u of r.unknownClasses) out.push(`  ${u.classType}  (node${u.nodeIds.length > 1 ? "s" : ""} ${u.nodeIds.join(", ")})`);
  }
  out.push(`Model files (${r.models.length}):`);
  for (const m of r.models) out.push(`  ${m.folder ?? "?"}/${m.name}  ${m.url ?? "(no source known)"}${m.size ? `  ${m.size}` : ""}${m.token ? `  needs ${m.token}` : ""}`);
  return out;
}

/** `flowgate recipe FILE [--object-info F] [--node-index DIR|URL] [--image REF] [--out DIR]`: prints the Dockerfile (or writes all files to DIR). */
export async function recipeCommand(argv: string[]): Promise<number> {
  const opts: { file?: string; objectInfo?: string; nodeIndex?: string; image?: string; out?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    if (a === "--object-info") opts.objectInfo = next();
    else if (a === "--node-index") opts.nodeIndex = next();
    else if (a === "--image") opts.image = next();
    else if (a === "--out") opts.out = next();
    else if (a.startsWith("-")) {
      process.stderr.write(`Unknown option ${a}\nusage: flowgate recipe FILE [--object-info F] [--node-index DIR|URL] [--image REF] [--out DIR]\n`);
      return 2;
    } else opts.file = a;
  }
  if (!opts.file) {
    process.stderr.write("missing FILE\nusage: flowgate recipe FILE [--object-info F] [--node-index DIR|URL] [--image REF] [--out DIR]\n");
    return 2;
  }
  const { bundledObjectInfo, loadWorkflow, parseObjectInfo, WorkflowError } = await import("../lib/comfy-graph/index");
  const { buildRecipe } = await import("../lib/provision/recipe");
  try {
    const oi = opts.objectInfo ? parseObjectInfo(fs.readFileSync(opts.objectInfo, "utf8")) : bundledObjectInfo();
    const bytes = fs.readFileSync(opts.file);
    let workflow: { original: unknown; prompt: ApiPrompt | null };
    try {
      const l = loadWorkflow(bytes, { filename: opts.file, objectInfo: oi });
      workflow = { original: l.original, prompt: l.prompt };
    } catch (e) {
      if (!(e instanceof WorkflowError) || e.code !== "workflow_unconvertible") throw e;
      workflow = { original: JSON.parse(bytes.toString("utf8")), prompt: null };
    }
    const { index, note } = await cliNodeIndex(opts.nodeIndex);
    const req = cliRequirements(workflow, oi, index);
    const recipe = buildRecipe(req, { workflowName: path.basename(opts.file).replace(/\.(json|png|webp)$/i, ""), version: 1, image: opts.image });
    if (opts.out) {
      for (const [name, text] of Object.entries(recipe.files)) {
        const p = path.join(opts.out, name);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, text, { mode: name.endsWith(".sh") ? 0o755 : 0o644 });
      }
      process.stderr.write(`wrote ${Object.keys(recipe.files).length} files to ${opts.out}\n`);
    } else process.stdout.write(recipe.dockerfile);
    if (note) process.stderr.write(`note: ${note}\n`);
    for (const p of recipe.problems) process.stderr.write(`not included: ${p}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
