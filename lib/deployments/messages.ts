// The errors a paused or deleted deployment answers with: what happened and how to go on.
import { ApiError } from "@/lib/errors";

export function deletedError(slug: string, deletedAt: Date): ApiError {
  return new ApiError(
    "deployment_deleted",
    `Deployment "${slug}" was deleted on ${deletedAt.toISOString()} and accepts no runs or changes. Its runs stay readable (GET /api/v1/runs?deployment=${slug}); slugs are not reused, so deploy again under a new slug.`,
    { slug, deletedAt: deletedAt.toISOString() },
  );
}

export function pausedError(slug: string): ApiError {
  return new ApiError(
    "deployment_paused",
    `Deployment "${slug}" is paused and accepts no new runs (runs already accepted carry on). Resume it with "Resume" on its dashboard page, POST /api/v1/deployments/${slug}/resume, or PATCH /api/v1/deployments/${slug} {"paused": false}.`,
    { slug, resume: { method: "POST", path: `/api/v1/deployments/${slug}/resume` } },
  );
}
