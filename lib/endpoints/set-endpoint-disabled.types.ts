import { z } from "zod";

/** Drain (`disabled: true`) or enable an endpoint. */
export const SetEndpointDisabledInput = z.object({ id: z.string().min(1), disabled: z.boolean() });
export type SetEndpointDisabledInput = z.infer<typeof SetEndpointDisabledInput>;
