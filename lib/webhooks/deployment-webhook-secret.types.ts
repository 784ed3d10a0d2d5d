import { z } from "zod";

/** deploymentWebhookSecret's input; creating the secret is audited as `ctx.actor` (the worker's first delivery: the system). */
export const DeploymentWebhookSecretInput = z.object({ deploymentId: z.string().min(1) });
export type DeploymentWebhookSecretInput = z.infer<typeof DeploymentWebhookSecretInput>;
