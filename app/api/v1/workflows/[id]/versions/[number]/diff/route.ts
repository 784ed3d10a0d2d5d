import { withApi, json } from "@/lib/api/with-api";
import { diffVersions } from "@/lib/workflows/diff-versions";
import { diffVersionsQuery } from "@/lib/workflows/diff-versions.types";

// GET /api/v1/workflows/{id}/versions/{number}/diff?against=M – nodes added, removed and changed since
// version M (default number−1), and for each deployment of the workflow which slots carry over
export const GET = withApi<{ id: string; number: string }>({ permission: "read" }, async ({ req, ctx, params }) => {
  return json(await diffVersions({ ctx, input: diffVersionsQuery(params.id, params.number, new URL(req.url)) }));
});
