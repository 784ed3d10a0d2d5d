// The deployment a write acts on: by slug, with slots and targets, refusing a deleted one.
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { deploymentInclude } from "./create-deployment";
import { deletedError } from "./messages";

export type LoadedDeployment = NonNullable<Awaited<ReturnType<typeof loadDeployment>>>;

function loadDeployment(slug: string) {
  return db().deployment.findUnique({ where: { slug }, include: deploymentInclude });
}

/** The deployment by slug, refusing one that was deleted (410 `deployment_deleted`). */
export async function liveDeployment(slug: string): Promise<LoadedDeployment> {
  const d = await loadDeployment(slug);
  if (!d) throw new ApiError("not_found", `Deployment "${slug}" does not exist.`);
  if (d.deletedAt) throw deletedError(d.slug, d.deletedAt);
  return d;
}
