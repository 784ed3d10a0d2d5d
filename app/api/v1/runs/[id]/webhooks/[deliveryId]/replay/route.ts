import { withApi, json } from "@/lib/api/with-api";
import { replayWebhook } from "@/lib/webhooks/deliver";

// POST /api/v1/runs/{id}/webhooks/{deliveryId}/replay – send a (dead) delivery again now
export const POST = withApi<{ id: string; deliveryId: string }>({ permission: "runs:write" }, async ({ actor, params }) => {
  await replayWebhook(actor, params.id, params.deliveryId);
  return json({ id: params.deliveryId, status: "retrying" }, 202);
});
