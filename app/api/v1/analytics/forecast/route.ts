import { withApi, json } from "@/lib/api/with-api";
import { getForecast } from "@/lib/analytics/get-forecast";
import type { GetForecastInput } from "@/lib/analytics/get-forecast.types";

// GET /api/v1/analytics/forecast?deployment=&at= – projected month-end spend, and cost per run for a what-if
export const GET = withApi({ permission: "read" }, async ({ req, ctx }) => {
  const url = new URL(req.url);
  const input: Record<string, string> = {};
  for (const n of ["deployment", "at"]) {
    const v = url.searchParams.get(n);
    if (v) input[n] = v;
  }
  return json(await getForecast({ ctx, input: input as GetForecastInput }));
});
