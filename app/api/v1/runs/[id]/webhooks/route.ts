import { withApi, json } from "@/lib/api/with-api";
import { listDeliveries } from "@/lib/webhooks/list-deliveries";

// GET /api/v1/runs/{id}/webhooks – the run's webhook deliveries with every try (status, duration)
export const GET = withApi<{ id: string }>({ permission: "read" }, async ({ ctx, params }) => {
  return json(await listDeliveries({ ctx, input: { runId: params.id } }));
});
