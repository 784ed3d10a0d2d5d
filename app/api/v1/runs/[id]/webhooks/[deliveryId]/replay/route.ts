import { withApi, json } from "@/lib/api/with-api";
import { replayWebhook } from "@/lib/webhooks/replay-webhook";

// POST /api/v1/runs/{id}/webhooks/{deliveryId}/replay – send a (dead) delivery again now
export const POST = withApi<{ id: string; deliveryId: string }>({ permission: "runs:write" }, async ({ ctx, params }) => {
  await replayWebhook({ ctx, input: { runId: params.id, deliveryId: params.deliveryId } });
  return json({ id: params.deliveryId, status: "retrying" }, 202);
});
