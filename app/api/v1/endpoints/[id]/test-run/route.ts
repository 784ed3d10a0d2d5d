import { withApi, json } from "@/lib/api/with-api";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";

// POST /api/v1/endpoints/{id}/test-run – health check, pre-flight and a tiny run (on-call action, audited)
export const POST = withApi<{ id: string }>({ permission: "endpoints:operate" }, async ({ ctx, params }) => {
  return json(await testEndpoint({ ctx, input: { id: params.id } }));
});
