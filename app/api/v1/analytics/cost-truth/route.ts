import { withApi, json } from "@/lib/api/with-api";
import { getCostTruth } from "@/lib/analytics/get-cost-truth";
import type { GetCostTruthInput } from "@/lib/analytics/get-cost-truth.types";

// GET /api/v1/analytics/cost-truth?from=&to=&endpoint= – Flowgate's computed spend beside the provider's bill, per endpoint per hour
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const url = new URL(req.url);
  const input: Record<string, string> = {};
  for (const n of ["from", "to", "endpoint"]) {
    const v = url.searchParams.get(n);
    if (v) input[n] = v;
  }
  return json(await getCostTruth({ ctx, input: input as GetCostTruthInput }));
});
