// What a backend needs to run a workflow: the custom node packs (each non-core class resolved to the
// pack providing it), the model files with their ComfyUI folder and download source, and what could
// not be named. Works on any workflow — API or UI format, with or without node definitions — and
// never fails for want of them: a UI node without a definition still yields its class, and any
// widget value with a model extension is taken as a model file.
//
// Pack resolution follows ComfyUI-Manager's order (fixtures' SOURCE.md): core → the endpoint's
// /object_info python_module → a remembered user choice → the packs listing (or preempting) the
// class → a pack whose nodename_pattern matches → the Comfy Registry → unknown. Where several packs
// claim a class, the fewest packs covering the whole workflow win, then the pack that preempts the
// class (Manager's own tie-breaker), then the most starred, then the first listed.
import { mapWidgetValues, type UiNode } from "@/lib/comfy-graph/convert-ui";
import { isModelInput, looksLikeModelFile, modelFolder } from "@/lib/comfy-graph/models";
import { getDef, isCoreModule } from "@/lib/comfy-graph/object-info";
import { getOwn, isPlainObject } from "@/lib/comfy-graph/own";
import type { ApiPrompt, ObjectInfo } from "@/lib/comfy-graph/types";
import { indexModelFolder, patternPacks, preemptingPacks, type IndexModel, type IndexPack, type NodeIndex } from "./node-index";

/** Frontend-only node types: they never reach the backend, so they need nothing installed there. */
const FRONTEND_ONLY = new Set([
  "Reroute", "PrimitiveNode", "Note", "MarkdownNote", "GetNode", "SetNode", "Note Plus (mtb)", "Label (rgthree)", "Bookmark (rgthree)",
  "Fast Groups Bypasser (rgthree)", "Fast Groups Muter (rgthree)", "Fast Bypasser (rgthree)", "Fast Muter (rgthree)", "Image Comparer (rgthree)",
]);
const MODE_MUTED = 2;
const MODE_BYPASS = 4;

export interface ModelUse {
  nodeId: string;
  classType: string;
  input: string;
  name: string;
  folder: string | null;
}

export interface Collected {
  classes: Map<string, string[]>;
  models: ModelUse[];
  /** properties.models of UI loader nodes: {name, url, directory} by file name. */
  hints: Map<string, { url?: string; directory?: string }>;
  /** Widget values of nodes without definitions that could not be tied to an input name. */
  unnamedInputs: { nodeId: string; classType: string; count: number }[];
}

export interface Resolutions {
  classes: Map<string, string>;
  models: Map<string, string>;
}

export interface RegistryHit {
  repository: string;
  title: string;
  registryId?: string;
}

export type PackSource = "object_info" | "index" | "registry" | "user";

export interface RequiredPack {
  repository: string | null;
  title: string;
  classes: string[];
  source: PackSource;
  /** What `comfy-node-install` gets: the Comfy Registry id when known, else the git URL. */
  install: string | null;
  registryId?: string;
  /** Other packs that also claim some of these classes (forks, bundles), most starred first. */
  alternatives?: string[];
}

export interface RequiredModel {
  nodeId: string;
  input: string;
  name: string;
  folder: string | null;
  url: string | null;
  source: "workflow" | "index" | "user" | null;
  size?: string;
  /** A gated or account-only download: the token the download needs. */
  token?: "HF_TOKEN" | "CIVITAI_TOKEN";
}

export interface Requirements {
  packs: RequiredPack[];
  unknownClasses: { classType: string; nodeIds: string[] }[];
  models: RequiredModel[];
  unnamedInputs: Collected["unnamedInputs"];
  coreClasses: number;
  index: { fetchedAt: string; source: string } | null;
  warnings: { code: string; message: string }[];
}

// ---------- collecting ----------

function addClass(c: Collected, classType: string, nodeId: string): void {
  if (FRONTEND_ONLY.has(classType)) return;
  const l = c.classes.get(classType);
  if (l) l.push(nodeId);
  else c.classes.set(classType, [nodeId]);
}

function addModel(c: Collected, m: ModelUse): void {
  if (!c.models.some((x) => x.nodeId === m.nodeId && x.input === m.input && x.name === m.name)) c.models.push(m);
}

function addHints(c: Collected, node: Record<string, unknown>): void {
  const models = getOwn<unknown>(getOwn(node, "properties"), "models");
  if (!Array.isArray(models)) return;
  for (const m of models) {
    if (!isPlainObject(m) || typeof m.name !== "string") continue;
    const prev = c.hints.get(m.name) ?? {};
    c.hints.set(m.name, { url: prev.url ?? (typeof m.url === "string" ? m.url : undefined), directory: prev.directory ?? (typeof m.directory === "string" ? m.directory : undefined) });
  }
}

/** Classes and model files of an API-format prompt (inputs are named). */
export function collectFromPrompt(prompt: ApiPrompt, objectInfo: ObjectInfo, into?: Collected): Collected {
  const c = into ?? emptyCollected();
  for (const [id, node] of Object.entries(prompt)) {
    if (!isPlainObject(node) || typeof node.class_type !== "string") continue;
    addClass(c, node.class_type, id);
    const inputs = isPlainObject(node.inputs) ? node.inputs : {};
    for (const [input, value] of Object.entries(inputs)) {
      if (isModelInput(node.class_type, input, value, objectInfo)) {
        addModel(c, { nodeId: id, classType: node.class_type, input, name: value as string, folder: modelFolder(node.class_type, input) });
      }
    }
  }
  return c;
}

function emptyCollected(): Collected {
  return { classes: new Map(), models: [], hints: new Map(), unnamedInputs: [] };
}

type GroupDefs = Record<string, unknown>;

/** Classes, model files and properties.models of a UI-format workflow, without converting it. */
export function collectFromUi(ui: Record<string, unknown>, objectInfo: ObjectInfo, opts: { into?: Collected; hintsOnly?: boolean } = {}): Collected {
  const c = opts.into ?? emptyCollected();
  const subgraphs = new Map<string, Record<string, unknown>>();
  const defs = getOwn<unknown>(getOwn(ui, "definitions"), "subgraphs");
  if (Array.isArray(defs)) for (const d of defs) if (isPlainObject(d) && typeof d.id === "string") subgraphs.set(d.id, d);
  const groups = (getOwn<unknown>(getOwn(ui, "extra"), "groupNodes") ?? {}) as GroupDefs;
  const seenSub = new Set<string>();

  const visit = (nodes: unknown, prefix: string, depth: number): void => {
    if (!Array.isArray(nodes) || depth > 16) return;
    for (const raw of nodes) {
      if (!isPlainObject(raw) || typeof raw.type !== "string") continue;
      const node = raw as unknown as UiNode & Record<string, unknown>;
      const id = `${prefix}${String(node.id ?? "?")}`;
      addHints(c, raw);
      if (opts.hintsOnly && !subgraphs.has(node.type)) continue;
      if (node.mode === MODE_MUTED || node.mode === MODE_BYPASS) continue;
      const sub = subgraphs.get(node.type);
      if (sub) {
        if (!opts.hintsOnly || !seenSub.has(node.type)) visit(sub.nodes, `${id}:`, depth + 1);
        seenSub.add(node.type);
        continue;
      }
      const gm = /^workflow[/>](.+)$/.exec(node.type);
      const group = gm ? getOwn<Record<string, unknown>>(groups, gm[1]!) : undefined;
      if (group && Array.isArray(group.nodes)) {
        visit((group.nodes as unknown[]).map((n, i) => (isPlainObject(n) ? { ...n, id: i } : n)), `${id}:`, depth + 1);
        continue;
      }
      collectUiNode(c, node, id, objectInfo);
    }
  };
  visit(ui.nodes, "", 0);
  return c;
}

function collectUiNode(c: Collected, node: UiNode, id: string, objectInfo: ObjectInfo): void {
  if (FRONTEND_ONLY.has(node.type)) return;
  addClass(c, node.type, id);
  const def = getDef(objectInfo, node.type);
  const named = mapWidgetValues(node, def);
  const values = Array.isArray(node.widgets_values) ? node.widgets_values : [];
  if (named) {
    for (const [input, value] of named) {
      if (isModelInput(node.type, input, value, objectInfo)) addModel(c, { nodeId: id, classType: node.type, input, name: value as string, folder: modelFolder(node.type, input) });
    }
    return;
  }
  // No definition and no widget names: any value with a model extension is a model file.
  if (values.length > 0) c.unnamedInputs.push({ nodeId: id, classType: node.type, count: values.length });
  values.forEach((value, i) => {
    if (looksLikeModelFile(value)) addModel(c, { nodeId: id, classType: node.type, input: `widgets_values[${i}]`, name: value, folder: guessFolder(node.type) });
  });
}

/** A model named by position only: the folder from the class name (…LoraLoader → loras, …). */
function guessFolder(classType: string): string | null {
  return modelFolder(classType, "model_name");
}

// ---------- resolving ----------

const GATED_HF = [/huggingface\.co\/black-forest-labs\/FLUX\.1-(dev|Fill-dev|Redux-dev|Canny-dev|Depth-dev|Kontext-dev)/i, /huggingface\.co\/stabilityai\/stable-diffusion-3/i, /huggingface\.co\/stabilityai\/stable-cascade/i, /huggingface\.co\/meta-llama\//i, /huggingface\.co\/stabilityai\/stable-video-diffusion/i];

export function tokenFor(url: string | null): RequiredModel["token"] {
  if (!url) return undefined;
  if (/^https?:\/\/(www\.)?civitai\.(com|green)\//i.test(url)) return "CIVITAI_TOKEN";
  if (GATED_HF.some((re) => re.test(url))) return "HF_TOKEN";
  return undefined;
}

function packRef(p: IndexPack): Pick<RequiredPack, "repository" | "title" | "install" | "registryId"> {
  return { repository: p.repository, title: p.title, install: p.registryId ?? p.repository, ...(p.registryId ? { registryId: p.registryId } : {}) };
}

function repoTitle(url: string): string {
  return url.replace(/\.git$/, "").replace(/\/+$/, "").split("/").pop() || url;
}

/** custom_nodes.<dir>[.…] → <dir>; the index pack whose repository ends in it. */
function packFromModule(index: NodeIndex | null, pythonModule: string): { repository: string | null; title: string; pack?: IndexPack } {
  const dir = pythonModule.replace(/^custom_nodes\./, "").split(".")[0]!.replace(/@.*$/, "");
  const lower = dir.toLowerCase();
  const pack = index?.packs.filter((p) => repoTitle(p.repository).toLowerCase() === lower).sort((a, b) => b.stars - a.stars)[0];
  return pack ? { repository: pack.repository, title: pack.title, pack } : { repository: null, title: dir };
}

export interface ResolveOptions {
  objectInfo: ObjectInfo;
  index: NodeIndex | null;
  resolutions: Resolutions;
  registry?: Map<string, RegistryHit | null>;
}

/** The classes still unknown after everything but the Comfy Registry (what to ask it about). */
export function classesForRegistry(c: Collected, o: ResolveOptions): string[] {
  return resolve(c, o).unknownClasses.map((u) => u.classType);
}

export function resolve(c: Collected, o: ResolveOptions): Requirements {
  const { objectInfo, index, resolutions } = o;
  const warnings: Requirements["warnings"] = [];
  const core = new Set(index?.core ?? []);
  const packs = new Map<string, RequiredPack>();
  const byKey = (key: string, make: () => RequiredPack): RequiredPack => {
    let p = packs.get(key);
    if (!p) packs.set(key, (p = make()));
    return p;
  };
  const unknown: Requirements["unknownClasses"] = [];
  const candidates = new Map<string, number[]>();
  const preempts = new Set<string>();
  let coreClasses = 0;

  for (const [classType, nodeIds] of c.classes) {
    const def = getDef(objectInfo, classType);
    if (def && isCoreModule(def.python_module)) {
      coreClasses++;
      continue;
    }
    if (!def && core.has(classType)) {
      coreClasses++;
      continue;
    }
    if (def && typeof def.python_module === "string") {
      const m = packFromModule(index, def.python_module);
      const p = byKey(m.repository ?? `module:${m.title}`, () => ({ ...(m.pack ? packRef(m.pack) : { repository: m.repository, title: m.title, install: m.repository }), classes: [], source: "object_info" }));
      p.classes.push(classType);
      continue;
    }
    const user = resolutions.classes.get(classType);
    if (user) {
      const p = byKey(user, () => ({ repository: user, title: repoTitle(user), install: user, classes: [], source: "user" }));
      p.classes.push(classType);
      continue;
    }
    if (index) {
      const pre = preemptingPacks(index, classType);
      for (const i of pre) preempts.add(`${i}:${classType}`);
      const listed = [...new Set([...pre, ...(index.classes[classType] ?? [])])];
      const found = listed.length > 0 ? listed : patternPacks(index, classType);
      if (found.length > 0) {
        candidates.set(classType, found);
        continue;
      }
    }
    const hit = o.registry?.get(classType);
    if (hit) {
      const p = byKey(hit.repository, () => ({ repository: hit.repository, title: hit.title, install: hit.registryId ?? hit.repository, ...(hit.registryId ? { registryId: hit.registryId } : {}), classes: [], source: "registry" }));
      p.classes.push(classType);
      continue;
    }
    unknown.push({ classType, nodeIds });
  }

  // Fewest packs covering every class with index candidates: classes with one candidate fix their
  // pack; the rest join a chosen pack when one claims them, else the pack claiming most of the
  // still uncovered classes (then the most starred, then the first listed).
  if (index && candidates.size > 0) {
    const chosen = new Set<number>();
    for (const cands of candidates.values()) if (cands.length === 1) chosen.add(cands[0]!);
    let open = [...candidates.keys()].filter((cls) => !candidates.get(cls)!.some((i) => chosen.has(i)));
    while (open.length > 0) {
      const score = new Map<number, number>();
      for (const cls of open) for (const i of candidates.get(cls)!) score.set(i, (score.get(i) ?? 0) + 1);
      const pre = (i: number) => open.filter((cls) => preempts.has(`${i}:${cls}`)).length;
      const best = [...score.entries()].sort((a, b) => b[1] - a[1] || pre(b[0]) - pre(a[0]) || index.packs[b[0]]!.stars - index.packs[a[0]]!.stars || a[0] - b[0])[0]![0];
      chosen.add(best);
      open = open.filter((cls) => !candidates.get(cls)!.includes(best));
    }
    for (const [cls, cands] of candidates) {
      const isPre = (i: number) => (preempts.has(`${i}:${cls}`) ? 1 : 0);
      const pick = cands.filter((i) => chosen.has(i)).sort((a, b) => isPre(b) - isPre(a) || index.packs[b]!.stars - index.packs[a]!.stars || a - b)[0]!;
      const pack = index.packs[pick]!;
      const p = byKey(pack.repository, () => ({ ...packRef(pack), classes: [], source: "index" }));
      p.classes.push(cls);
      const alts = cands.filter((i) => i !== pick).sort((a, b) => index.packs[b]!.stars - index.packs[a]!.stars).map((i) => index.packs[i]!.repository);
      if (alts.length) p.alternatives = [...new Set([...(p.alternatives ?? []), ...alts])].slice(0, 5);
    }
  }
  if (!index && c.classes.size > coreClasses) warnings.push({ code: "node_index_unavailable", message: "ComfyUI-Manager's node index could not be loaded, so custom classes are not matched to packs" });

  const models = resolveModels(c, index, resolutions);
  for (const m of models) {
    if (!m.url) warnings.push({ code: "model_source_unknown", message: `No download source known for ${m.name}: give a Hugging Face or Civitai URL` });
    if (!m.folder) warnings.push({ code: "model_folder_unknown", message: `The models/ folder of ${m.name} (node ${m.nodeId}) could not be told` });
  }
  return {
    packs: [...packs.values()].map((p) => ({ ...p, classes: p.classes.sort() })).sort((a, b) => a.title.localeCompare(b.title)),
    unknownClasses: unknown.sort((a, b) => a.classType.localeCompare(b.classType)),
    models,
    unnamedInputs: c.unnamedInputs,
    coreClasses,
    index: index ? { fetchedAt: index.fetchedAt, source: index.source } : null,
    warnings,
  };
}

const GENERIC_NAMES = /^(diffusion_pytorch_model|pytorch_model|model|config|adapter_model)(\.fp16)?\.(safetensors|bin|pt|pth|ckpt)$/i;

function resolveModels(c: Collected, index: NodeIndex | null, resolutions: Resolutions): RequiredModel[] {
  const out: RequiredModel[] = [];
  const byFile = new Map<string, IndexModel[]>();
  for (const m of index?.models ?? []) {
    const l = byFile.get(m.filename);
    if (l) l.push(m);
    else byFile.set(m.filename, [m]);
  }
  for (const m of c.models) {
    const base = m.name.split(/[\\/]/).pop()!;
    const hint = c.hints.get(m.name) ?? c.hints.get(base);
    // By file name; a generic name (diffusion_pytorch_model.safetensors, …) or one listed with
    // several different URLs for the folder is not guessed.
    const listed = GENERIC_NAMES.test(base) ? [] : (byFile.get(base) ?? []);
    const inFolder = m.folder ? listed.filter((x) => indexModelFolder(x)?.split("/")[0] === m.folder) : listed;
    const pool = inFolder.length > 0 ? inFolder : m.folder ? [] : listed;
    const sameFolder = new Set(pool.map((x) => x.url)).size === 1 ? pool[0] : undefined;
    let folder = m.folder ?? hint?.directory ?? (sameFolder ? (indexModelFolder(sameFolder)?.split("/")[0] ?? null) : null);
    if (folder === "") folder = null;
    const user = resolutions.models.get(m.name) ?? resolutions.models.get(base);
    let url: string | null = null;
    let source: RequiredModel["source"] = null;
    if (hint?.url) [url, source] = [hint.url, "workflow"];
    else if (user) [url, source] = [user, "user"];
    else if (sameFolder) [url, source] = [sameFolder.url, "index"];
    const r: RequiredModel = { nodeId: m.nodeId, input: m.input, name: m.name, folder, url, source };
    if (sameFolder?.size && (source === "index" || sameFolder.url === url)) r.size = sameFolder.size;
    const token = tokenFor(url);
    if (token) r.token = token;
    out.push(r);
  }
  return out;
}

/** One entry per file (a model loaded by several nodes is downloaded once). */
export function uniqueModels(models: RequiredModel[]): RequiredModel[] {
  const seen = new Map<string, RequiredModel>();
  for (const m of models) {
    const key = `${m.folder ?? "?"}/${m.name}`;
    if (!seen.has(key)) seen.set(key, m);
  }
  return [...seen.values()];
}

/** Collects from whatever a workflow version holds: the prompt when there is one, the UI for hints. */
export function collect(input: { original?: unknown; prompt?: ApiPrompt | null }, objectInfo: ObjectInfo): Collected {
  const c = emptyCollected();
  const ui = isPlainObject(input.original) && Array.isArray(input.original.nodes) ? input.original : undefined;
  if (input.prompt && Object.keys(input.prompt).length > 0) {
    collectFromPrompt(input.prompt, objectInfo, c);
    if (ui) collectFromUi(ui, objectInfo, { into: c, hintsOnly: true });
  } else if (ui) collectFromUi(ui, objectInfo, { into: c });
  else if (isPlainObject(input.original)) collectFromPrompt(input.original as ApiPrompt, objectInfo, c);
  return c;
}
