import { withApi, json } from "@/lib/api/with-api";
import { getOverview } from "@/lib/oncall/get-overview";

// GET /api/v1/overview – what needs attention now: stuck and failed runs, unhealthy endpoints, counts, the last hour
export const GET = withApi({ permission: "read" }, async ({ ctx }) => {
  return json(await getOverview({ ctx, input: {} }));
});
