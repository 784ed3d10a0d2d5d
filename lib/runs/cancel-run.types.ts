import { z } from "zod";

export const CancelRunInput = z.object({ runId: z.string().min(1) });
export type CancelRunInput = z.infer<typeof CancelRunInput>;
