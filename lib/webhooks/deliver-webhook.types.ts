import { z } from "zod";

/** One delivery try (the worker's webhook job); `ctx` is the system's. */
export const DeliverWebhookInput = z.object({ deliveryId: z.string().min(1) });
export type DeliverWebhookInput = z.infer<typeof DeliverWebhookInput>;
