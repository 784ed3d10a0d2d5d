// A deployment's Standard Webhooks signing secret (whsec_…), created on first use, encrypted at rest.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { Actor } from "@/lib/auth/actor";
import type { VerbArgs } from "@/lib/context";
import { audit } from "@/lib/audit/record";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DeploymentWebhookSecretInput } from "./deployment-webhook-secret.types";

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * The deployment's signing secret, created on first use. Creating it is audited
 * (`deployment.webhook_secret.create`, by `actor`; the worker's first delivery creates it as the system).
 */
export async function deploymentWebhookSecret({ ctx, input }: VerbArgs<DeploymentWebhookSecretInput>): Promise<string> {
  const { deploymentId } = DeploymentWebhookSecretInput.parse(input);
  // Every delivery reads it: no lock or transaction once it exists.
  const d = await db().deployment.findUnique({ where: { id: deploymentId }, select: { webhookSecretEncrypted: true } });
  if (!d) throw notFound("Deployment", deploymentId);
  if (d.webhookSecretEncrypted) return decryptSecret(d.webhookSecretEncrypted);
  return (await webhookSecretOf(deploymentId, ctx.actor)).secret;
}

export async function webhookSecretOf(deploymentId: string, actor: Actor, onRead?: (tx: Prisma.TransactionClient) => Promise<unknown>) {
  return db().$transaction(async (tx) => {
    // Locks the row: two first uses agree on one secret, and only the one that created it audits it.
    const rows = await tx.$queryRaw<{ webhookSecretEncrypted: string | null }[]>`SELECT "webhookSecretEncrypted" FROM "Deployment" WHERE id = ${deploymentId} FOR UPDATE`;
    if (!rows.length) throw notFound("Deployment", deploymentId);
    if (rows[0].webhookSecretEncrypted) {
      await onRead?.(tx);
      return { secret: decryptSecret(rows[0].webhookSecretEncrypted), created: false };
    }
    const secret = newWebhookSecret();
    await tx.deployment.update({ where: { id: deploymentId }, data: { webhookSecretEncrypted: encryptSecret(secret) } });
    await audit(tx, actor, "deployment.webhook_secret.create", { type: "deployment", id: deploymentId });
    return { secret, created: true };
  });
}
