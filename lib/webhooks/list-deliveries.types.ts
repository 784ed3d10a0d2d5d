import { z } from "zod";

export const ListDeliveriesInput = z.object({ runId: z.string().min(1) });
export type ListDeliveriesInput = z.infer<typeof ListDeliveriesInput>;
