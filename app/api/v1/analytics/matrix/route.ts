import { withApi, json } from "@/lib/api/with-api";
import { getMatrix } from "@/lib/analytics/get-matrix";
import { queryInput } from "@/lib/analytics/get-summary.types";
import type { GetMatrixInput } from "@/lib/analytics/get-matrix.types";

// GET /api/v1/analytics/matrix?from=&to=&deployment=&maxP95Ms= – the provider decision matrix
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const input = queryInput(new URL(req.url), ["from", "to", "deployment", "endpoint", "provider", "maxP95Ms"]);
  return json(await getMatrix({ ctx, input: input as GetMatrixInput }));
});
