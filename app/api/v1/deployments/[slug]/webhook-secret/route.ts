import { withApi, json } from "@/lib/api/with-api";
import { getWebhookSecret } from "@/lib/webhooks/get-webhook-secret";

// GET /api/v1/deployments/{slug}/webhook-secret – the whsec_… key receivers verify signatures with (each reveal is audited)
export const GET = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ ctx, params }) => {
  return json(await getWebhookSecret({ ctx, input: { slug: params.slug } }));
});
