import { z } from "zod";

export const ReplayWebhookInput = z.object({ runId: z.string().min(1), deliveryId: z.string().min(1) });
export type ReplayWebhookInput = z.infer<typeof ReplayWebhookInput>;
