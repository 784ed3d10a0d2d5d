// A deployment's whsec_… signing key (created on first read), for receivers to verify signatures.
// Each reveal to a person is audited (`deployment.webhook_secret.reveal`), or `….create` when this
// call created it: one row either way.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { audit } from "@/lib/audit/record";
import { webhookSecretOf } from "./deployment-webhook-secret";
import { GetWebhookSecretInput } from "./get-webhook-secret.types";

export async function getWebhookSecret({ ctx, input }: VerbArgs<GetWebhookSecretInput>) {
  const { actor } = ctx;
  requirePermission(actor, "deployments:write");
  const { slug } = GetWebhookSecretInput.parse(input);
  const d = await dbOf(ctx).deployment.findUnique({ where: { slug }, select: { id: true } });
  if (!d) throw notFound("Deployment", slug);
  const r = await webhookSecretOf(d.id, actor, (tx) => audit(tx, actor, "deployment.webhook_secret.reveal", { type: "deployment", id: d.id }, { slug }));
  return { secret: r.secret };
}
