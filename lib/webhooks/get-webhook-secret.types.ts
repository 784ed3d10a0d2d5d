import { z } from "zod";

export const GetWebhookSecretInput = z.object({ slug: z.string().min(1) });
export type GetWebhookSecretInput = z.infer<typeof GetWebhookSecretInput>;
