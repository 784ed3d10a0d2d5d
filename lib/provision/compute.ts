// Requirements of one workflow (stored version or raw upload): collect, then resolve against the
// node index, the remembered user answers and, for what is still unknown, the Comfy Registry.
import { dbOf, type Ctx } from "@/lib/context";
import { knownObjectInfo } from "@/lib/workflows/object-info";
import type { ApiPrompt, ObjectInfo } from "@/lib/comfy-graph";
import { askRegistry, loadNodeIndex } from "./index-store";
import { collect, resolve, type Requirements, type Resolutions } from "./requirements";

export async function loadResolutions(ctx: Ctx): Promise<Resolutions> {
  const rows = await dbOf(ctx).provisionResolution.findMany({ select: { kind: true, key: true, url: true } });
  const r: Resolutions = { classes: new Map(), models: new Map() };
  for (const row of rows) (row.kind === "class" ? r.classes : r.models).set(row.key, row.url);
  return r;
}

export async function computeRequirements(ctx: Ctx, workflow: { original?: unknown; prompt?: ApiPrompt | null }, given?: ObjectInfo): Promise<Requirements> {
  const objectInfo = await knownObjectInfo(given);
  const [{ index, warning }, resolutions] = await Promise.all([loadNodeIndex(ctx), loadResolutions(ctx)]);
  const collected = collect(workflow, objectInfo);
  const opts = { objectInfo, index, resolutions };
  let result = resolve(collected, opts);
  if (result.unknownClasses.length > 0) {
    const registry = await askRegistry(result.unknownClasses.map((u) => u.classType));
    if ([...registry.values()].some(Boolean)) result = resolve(collected, { ...opts, registry });
  }
  if (warning) result.warnings.unshift({ code: "node_index_stale", message: warning });
  return result;
}
