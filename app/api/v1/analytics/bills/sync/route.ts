import { withApi, json, readJson } from "@/lib/api/with-api";
import { syncProviderBills } from "@/lib/analytics/sync-provider-bills";
import type { SyncProviderBillsInput } from "@/lib/analytics/sync-provider-bills.types";

// POST /api/v1/analytics/bills/sync {endpointId?, from?, to?} – fetch what RunPod billed per hour and store it.
// endpoints:operate (admin, engineer, on-call): it calls the provider with the endpoint's stored key
// and rewrites cached bills, but changes no configuration — the same class of action as a health check or restart.
export const POST = withApi({ permission: "endpoints:operate" }, async ({ req, ctx }) => {
  const hasBody = (req.headers.get("content-type") ?? "").includes("json") && req.headers.get("content-length") !== "0";
  const body = hasBody ? await readJson(req) : {};
  return json(await syncProviderBills({ ctx, input: (body ?? {}) as SyncProviderBillsInput }));
});
