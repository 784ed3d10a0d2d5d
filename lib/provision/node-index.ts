// ComfyUI-Manager's node and model index, compacted: which custom node pack provides which class
// (extension-node-map.json, with each pack's preemptions and nodename_pattern), the packs' titles and
// registry ids (custom-node-list.json), their popularity (github-stats.json) and well-known model files
// (model-list.json). Those files are GPL-3.0, so they are never bundled: `buildNodeIndex` reads them as
// fetched at run time (lib/provision/index-store.ts) from FLOWGATE_NODE_INDEX_URL.
import { getOwn, isPlainObject } from "@/lib/comfy-graph/own";

export const CORE_REPOSITORY = "https://github.com/comfyanonymous/ComfyUI";

export interface IndexPack {
  repository: string;
  title: string;
  /** Comfy Registry id (what `comfy-node-install` prefers), when the pack is published there. */
  registryId?: string;
  stars: number;
  lastUpdate?: string;
  preemptions?: string[];
  nodenamePattern?: string;
}

export interface IndexModel {
  name: string;
  filename: string;
  url: string;
  /** ComfyUI-Manager's save_path: a models/ sub-folder, or "default" (decided by `type`). */
  savePath: string;
  type: string;
  size?: string;
}

export interface NodeIndex {
  fetchedAt: string;
  source: string;
  packs: IndexPack[];
  /** class name → indexes into `packs`, in the order the map lists them. */
  classes: Record<string, number[]>;
  /** Classes ComfyUI itself provides (the map's entry for the ComfyUI repository). */
  core: string[];
  models: IndexModel[];
}

export interface RawIndexFiles {
  extensionNodeMap: unknown;
  customNodeList?: unknown;
  githubStats?: unknown;
  modelList?: unknown;
}

function normUrl(u: string): string {
  return u.trim().replace(/\.git$/, "").replace(/\/+$/, "");
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** Compacts the four Manager files into a NodeIndex. Malformed entries are skipped, never fatal. */
export function buildNodeIndex(raw: RawIndexFiles, meta: { fetchedAt: string; source: string }): NodeIndex {
  const map = isPlainObject(raw.extensionNodeMap) ? raw.extensionNodeMap : {};
  const list = getOwn<unknown>(raw.customNodeList, "custom_nodes");
  const meta2 = new Map<string, { title?: string; id?: string }>();
  if (Array.isArray(list)) {
    for (const p of list) {
      if (!isPlainObject(p)) continue;
      const refs = [str(p.reference), ...(Array.isArray(p.files) ? p.files.map(str) : [])].filter((x): x is string => !!x);
      for (const r of refs) meta2.set(normUrl(r), { title: str(p.title), id: str(p.id) });
    }
  }
  const stats = isPlainObject(raw.githubStats) ? raw.githubStats : {};
  const packs: IndexPack[] = [];
  const classes: Record<string, number[]> = Object.create(null);
  let core: string[] = [];
  for (const url of Object.keys(map)) {
    const entry = map[url];
    if (!Array.isArray(entry) || !Array.isArray(entry[0])) continue;
    const names = (entry[0] as unknown[]).filter((c): c is string => typeof c === "string" && c.length > 0);
    const info = isPlainObject(entry[1]) ? entry[1] : {};
    const repository = normUrl(url);
    if (repository === CORE_REPOSITORY) {
      core = names;
      continue;
    }
    const m = meta2.get(repository);
    const s = getOwn<unknown>(stats, url) ?? getOwn<unknown>(stats, repository);
    const stars = Number(getOwn(s, "stars"));
    const pack: IndexPack = {
      repository,
      title: str(info.title_aux) ?? m?.title ?? str(info.title) ?? repository.split("/").pop() ?? repository,
      stars: Number.isFinite(stars) ? stars : 0,
    };
    if (m?.id) pack.registryId = m.id;
    const lu = str(getOwn(s, "last_update"));
    if (lu) pack.lastUpdate = lu;
    if (Array.isArray(info.preemptions)) pack.preemptions = info.preemptions.filter((c): c is string => typeof c === "string");
    const pat = str(info.nodename_pattern);
    if (pat) pack.nodenamePattern = pat;
    const idx = packs.push(pack) - 1;
    for (const c of names) {
      const l = (classes[c] ??= []);
      if (!l.includes(idx)) l.push(idx);
    }
  }
  const models: IndexModel[] = [];
  const ml = getOwn<unknown>(raw.modelList, "models");
  if (Array.isArray(ml)) {
    for (const m of ml) {
      if (!isPlainObject(m)) continue;
      const filename = str(m.filename);
      const url = str(m.url);
      if (!filename || !url) continue;
      models.push({ name: str(m.name) ?? filename, filename, url, savePath: str(m.save_path) ?? "default", type: str(m.type) ?? "", ...(str(m.size) ? { size: str(m.size) } : {}) });
    }
  }
  return { ...meta, packs, classes, core, models };
}

/** Packs whose nodename_pattern matches the class (Manager's last resort before "unknown"). */
export function patternPacks(index: NodeIndex, classType: string): number[] {
  const out: number[] = [];
  index.packs.forEach((p, i) => {
    if (!p.nodenamePattern) return;
    try {
      if (new RegExp(p.nodenamePattern).test(classType)) out.push(i);
    } catch {
      /* a pattern JavaScript cannot compile is ignored */
    }
  });
  return out;
}

/** Packs that preempt the class: they win it over every other pack listing it. */
export function preemptingPacks(index: NodeIndex, classType: string): number[] {
  const out: number[] = [];
  index.packs.forEach((p, i) => {
    if (p.preemptions?.includes(classType)) out.push(i);
  });
  return out;
}

/** Manager's type → folder for save_path "default". */
const DEFAULT_FOLDERS: Record<string, string> = {
  checkpoint: "checkpoints", checkpoints: "checkpoints", unclip: "checkpoints", lora: "loras", vae: "vae", taesd: "vae_approx",
  controlnet: "controlnet", "t2i-adapter": "controlnet", "t2i-style": "style_models", clip: "text_encoders", t5: "text_encoders",
  clip_vision: "clip_vision", gligen: "gligen", upscale: "upscale_models", embeddings: "embeddings", unet: "diffusion_models",
  diffusion_model: "diffusion_models",
};

/** The models/ folder a model-list entry installs into (its first path segment). */
export function indexModelFolder(m: IndexModel): string | null {
  if (m.savePath && m.savePath !== "default") return m.savePath;
  return DEFAULT_FOLDERS[m.type.toLowerCase()] ?? null;
}
