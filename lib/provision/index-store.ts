// Where the node index comes from: ComfyUI-Manager's files fetched at run time from
// FLOWGATE_NODE_INDEX_URL (default: the public repository's raw files; model list from
// FLOWGATE_MODEL_LIST_URL), compacted and cached in the database with the date they were fetched,
// and in memory per process. Refetched when older than FLOWGATE_NODE_INDEX_MAX_AGE_H (168) or on
// request; a failed fetch keeps the cached copy. The Comfy Registry (FLOWGATE_COMFY_REGISTRY_URL,
// "off" to disable) answers for classes the index does not know.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { audit } from "@/lib/audit/record";
import { dbOf, ctxLog, type Ctx } from "@/lib/context";
import { db } from "@/lib/db";
import { outboundFetch } from "@/lib/net";
import { buildNodeIndex, type NodeIndex } from "./node-index";
import type { RegistryHit } from "./requirements";

export const DEFAULT_NODE_INDEX_URL = "https://raw.githubusercontent.com/Comfy-Org/ComfyUI-Manager/main/";
export const DEFAULT_REGISTRY_URL = "https://api.comfy.org";

export function indexUrls() {
  let base = (process.env.FLOWGATE_NODE_INDEX_URL ?? "").trim() || DEFAULT_NODE_INDEX_URL;
  // (a local directory — file:///dir/ or /dir/ — is read from disk: a mirror for air-gapped installs)
  if (!base.endsWith("/")) base += "/";
  const modelList = (process.env.FLOWGATE_MODEL_LIST_URL ?? "").trim() || `${base}model-list.json`;
  return {
    extensionNodeMap: `${base}extension-node-map.json`,
    customNodeList: `${base}custom-node-list.json`,
    githubStats: `${base}github-stats.json`,
    modelList,
    source: modelList === `${base}model-list.json` ? base : `${base} + ${modelList}`,
  };
}

function snapshotId(source: string): string {
  return `nix_${createHash("sha256").update(source).digest("hex").slice(0, 24)}`;
}

function maxAgeMs(): number {
  const h = Number(process.env.FLOWGATE_NODE_INDEX_MAX_AGE_H ?? 168);
  return (Number.isFinite(h) && h > 0 ? h : 168) * 3_600_000;
}

let memo: { id: string; fetchedAt: number; index: NodeIndex } | undefined;
/** A failed fetch is not retried for a minute (an offline server answers at once instead of waiting each time). */
let failed: { id: string; at: number; message: string } | undefined;
const RETRY_AFTER_FAILURE_MS = 60_000;

/** A local mirror (air-gapped installs, tests): FLOWGATE_NODE_INDEX_URL=file:///dir/ or /dir/. */
function localPath(url: string): string | undefined {
  if (url.startsWith("file://")) return fileURLToPath(url);
  if (url.startsWith("/")) return url;
  return undefined;
}

async function fetchJson(url: string, optional: boolean): Promise<unknown> {
  try {
    const local = localPath(url);
    if (local) return JSON.parse(await fs.readFile(local, "utf8"));
    const res = await outboundFetch(url, { purpose: "endpoint", timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 });
    if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
    return JSON.parse(res.body.toString("utf8"));
  } catch (e) {
    if (optional) return undefined;
    throw e;
  }
}

/** Fetches and compacts the index (the node map is required, the other files are optional). */
export async function fetchNodeIndex(): Promise<NodeIndex> {
  const u = indexUrls();
  const [extensionNodeMap, customNodeList, githubStats, modelList] = await Promise.all([
    fetchJson(u.extensionNodeMap, false),
    fetchJson(u.customNodeList, true),
    fetchJson(u.githubStats, true),
    fetchJson(u.modelList, true),
  ]);
  return buildNodeIndex({ extensionNodeMap, customNodeList, githubStats, modelList }, { fetchedAt: new Date().toISOString(), source: u.source });
}

export interface LoadedIndex {
  index: NodeIndex | null;
  warning?: string;
}

/** The index for the configured source: memory, else the database, else fetched (and stored). */
export async function loadNodeIndex(ctx: Ctx, opts: { refresh?: boolean } = {}): Promise<LoadedIndex> {
  const { source } = indexUrls();
  const id = snapshotId(source);
  const fresh = (t: number) => Date.now() - t < maxAgeMs();
  if (!opts.refresh && memo?.id === id && fresh(memo.fetchedAt)) return { index: memo.index };
  const row = await dbOf(ctx).nodeIndexSnapshot.findUnique({ where: { id }, select: { fetchedAt: true } });
  if (!opts.refresh && row && fresh(row.fetchedAt.getTime())) {
    if (memo?.id === id && memo.fetchedAt === row.fetchedAt.getTime()) return { index: memo.index };
    const full = await dbOf(ctx).nodeIndexSnapshot.findUnique({ where: { id } });
    if (full) {
      const index = JSON.parse(full.body) as NodeIndex;
      memo = { id, fetchedAt: full.fetchedAt.getTime(), index };
      return { index };
    }
  }
  try {
    if (!opts.refresh && failed?.id === id && Date.now() - failed.at < RETRY_AFTER_FAILURE_MS) throw new Error(failed.message);
    const index = await fetchNodeIndex();
    failed = undefined;
    const fetchedAt = new Date(index.fetchedAt);
    const body = JSON.stringify(index);
    await db().$transaction(async (tx) => {
      await tx.nodeIndexSnapshot.upsert({
        where: { id },
        create: { id, source, body, packCount: index.packs.length, fetchedAt },
        update: { body, packCount: index.packs.length, fetchedAt },
      });
      await audit(tx, ctx.actor, "node_index.refresh", { type: "node_index", id }, undefined, {
        before: row ? { fetchedAt: row.fetchedAt.toISOString() } : undefined,
        after: { source, fetchedAt: index.fetchedAt, packs: index.packs.length, models: index.models.length },
      });
    });
    memo = { id, fetchedAt: fetchedAt.getTime(), index };
    return { index };
  } catch (e) {
    if (failed?.id !== id || Date.now() - failed.at >= RETRY_AFTER_FAILURE_MS) failed = { id, at: Date.now(), message: (e as Error).message };
    const message = `ComfyUI-Manager's node index could not be fetched from ${source}: ${(e as Error).message}`;
    ctxLog(ctx).warn(message);
    if (row) {
      const full = await dbOf(ctx).nodeIndexSnapshot.findUnique({ where: { id } });
      if (full) {
        const index = JSON.parse(full.body) as NodeIndex;
        memo = { id, fetchedAt: full.fetchedAt.getTime(), index };
        return { index, warning: `${message}; using the copy fetched ${full.fetchedAt.toISOString()}` };
      }
    }
    return { index: null, warning: message };
  }
}

/** Forget the in-memory copy (tests switching FLOWGATE_NODE_INDEX_URL). */
export function forgetNodeIndex(): void {
  memo = undefined;
  failed = undefined;
  registryMemo.clear();
}

const registryMemo = new Map<string, RegistryHit | null>();

/**
 * Asks the Comfy Registry which pack provides each class (`GET /comfy-nodes/{name}/node`); answers
 * are remembered per process. Failures count as "not known", never as errors.
 */
export async function askRegistry(classes: string[]): Promise<Map<string, RegistryHit | null>> {
  const out = new Map<string, RegistryHit | null>();
  const base = (process.env.FLOWGATE_COMFY_REGISTRY_URL ?? "").trim() || DEFAULT_REGISTRY_URL;
  if (base === "off" || classes.length === 0) return out;
  await Promise.all(
    classes.slice(0, 50).map(async (cls) => {
      if (registryMemo.has(cls)) return out.set(cls, registryMemo.get(cls)!);
      let hit: RegistryHit | null = null;
      try {
        const res = await outboundFetch(`${base.replace(/\/+$/, "")}/comfy-nodes/${encodeURIComponent(cls)}/node`, { purpose: "endpoint", timeoutMs: 10_000, maxBytes: 1024 * 1024 });
        if (res.status === 200) {
          const body = JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
          const repository = typeof body.repository === "string" ? body.repository.replace(/\.git$/, "") : undefined;
          if (repository && /^https?:\/\//.test(repository)) hit = { repository, title: typeof body.name === "string" ? body.name : repository.split("/").pop()!, ...(typeof body.id === "string" ? { registryId: body.id } : {}) };
        }
      } catch {
        hit = null;
      }
      registryMemo.set(cls, hit);
      out.set(cls, hit);
    }),
  );
  return out;
}
