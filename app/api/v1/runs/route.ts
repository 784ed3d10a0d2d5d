import { withApi, json } from "@/lib/api/with-api";
import { listRuns } from "@/lib/runs/list-runs";
import { listRunsQuery } from "@/lib/runs/list-runs.types";

// GET /api/v1/runs?deployment=&status=&since= – runs, newest first
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  return json(await listRuns({ ctx, input: listRunsQuery(new URL(req.url)) }));
});
