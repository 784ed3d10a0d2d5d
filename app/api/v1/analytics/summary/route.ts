import { withApi, json } from "@/lib/api/with-api";
import { getSummary } from "@/lib/analytics/get-summary";
import { queryInput, type GetSummaryInput } from "@/lib/analytics/get-summary.types";

// GET /api/v1/analytics/summary?from=&to=&groupBy=&splitBy=&deployment=&endpoint=&provider= – spend, reliability, latency
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const input = queryInput(new URL(req.url), ["from", "to", "groupBy", "splitBy", "deployment", "endpoint", "provider"]);
  return json(await getSummary({ ctx, input: input as GetSummaryInput }));
});
