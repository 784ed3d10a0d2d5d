// A deployment's whsec_… signing key (created on first read), for receivers to verify signatures.
import { requirePermission } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { revealWebhookSecret } from "./deliver";
import { GetWebhookSecretInput } from "./get-webhook-secret.types";

export async function getWebhookSecret({ ctx, input }: VerbArgs<GetWebhookSecretInput>) {
  requirePermission(ctx.actor, "deployments:write");
  const { slug } = GetWebhookSecretInput.parse(input);
  // Created on first use; every reveal is an audit row (lib/webhooks/deliver.ts).
  return { secret: await revealWebhookSecret(ctx.actor, slug) };
}
