// A deployment's whsec_… signing key (created on first read), for receivers to verify signatures.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { deploymentWebhookSecret } from "./deliver";
import { GetWebhookSecretInput } from "./get-webhook-secret.types";

export async function getWebhookSecret({ ctx, input }: VerbArgs<GetWebhookSecretInput>) {
  requirePermission(ctx.actor, "deployments:write");
  const { slug } = GetWebhookSecretInput.parse(input);
  const d = await dbOf(ctx).deployment.findUnique({ where: { slug }, select: { id: true } });
  if (!d) throw notFound("Deployment", slug);
  return { secret: await deploymentWebhookSecret(d.id) };
}
