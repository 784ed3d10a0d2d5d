import { withApi, json } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { deploymentWebhookSecret } from "@/lib/webhooks/deliver";

// GET /api/v1/deployments/{slug}/webhook-secret – the whsec_… key receivers verify signatures with
export const GET = withApi<{ slug: string }>({ permission: "deployments:write" }, async ({ params }) => {
  const d = await db().deployment.findUnique({ where: { slug: params.slug }, select: { id: true } });
  if (!d) throw notFound("Deployment", params.slug);
  return json({ secret: await deploymentWebhookSecret(d.id) });
});
