import { withApi, json } from "@/lib/api/with-api";
import { revealWebhookSecret } from "@/lib/webhooks/deliver";

// GET /api/v1/deployments/{slug}/webhook-secret – the whsec_… key receivers verify signatures with (each reveal is audited)
export const GET = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ actor, params }) => {
  return json({ secret: await revealWebhookSecret(actor, params.slug) });
});
