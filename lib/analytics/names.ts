// Names for the ids the rollup is keyed by, and a deployment filter given by slug or id.
import type { Ctx } from "@/lib/context";
import { dbOf } from "@/lib/context";
import { notFound } from "@/lib/errors";

export interface Names {
  deployments: Map<string, { name: string; slug: string }>;
  endpoints: Map<string, { name: string; provider: string; gpu: string | null }>;
}

export async function loadNames(ctx: Ctx): Promise<Names> {
  const q = dbOf(ctx);
  const [deps, eps] = await Promise.all([
    q.deployment.findMany({ select: { id: true, name: true, slug: true } }),
    q.endpoint.findMany({ select: { id: true, name: true, provider: true, gpu: true } }),
  ]);
  return { deployments: new Map(deps.map((d) => [d.id, d])), endpoints: new Map(eps.map((e) => [e.id, e])) };
}

export function labelOf(names: Names, dim: string, key: string): string {
  if (dim === "deployment") return names.deployments.get(key)?.name ?? key;
  if (dim === "endpoint") return key === "" ? "(no attempt)" : (names.endpoints.get(key)?.name ?? key);
  if (dim === "provider") return key === "" ? "(no attempt)" : key;
  return key;
}

/** A deployment filter (slug or id) → the id; 404 when there is no such deployment. */
export async function deploymentIdOf(ctx: Ctx, ref: string | null | undefined): Promise<string | null> {
  if (!ref) return null;
  const d = await dbOf(ctx).deployment.findFirst({ where: { OR: [{ slug: ref }, { id: ref }] }, select: { id: true } });
  if (!d) throw notFound("Deployment", ref);
  return d.id;
}
