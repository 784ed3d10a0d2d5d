import { z } from "zod";

export const DeleteEndpointInput = z.object({ id: z.string().min(1) });
export type DeleteEndpointInput = z.infer<typeof DeleteEndpointInput>;
