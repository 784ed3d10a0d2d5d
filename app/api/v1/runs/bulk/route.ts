import { withApi, json, readJson } from "@/lib/api/with-api";
import { bulkRuns } from "@/lib/runs/bulk-runs";

// POST /api/v1/runs/bulk – cancel or retry the selected runs, each like its own single action (audited per run)
export const POST = withApi({ permission: "runs:write" }, async ({ req, ctx }) => {
  return json(await bulkRuns({ ctx, input: (await readJson(req)) as never }));
});
