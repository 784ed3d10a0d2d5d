import { z } from "zod";

export const GetRunOutputInput = z.object({ runId: z.string().min(1), outputId: z.string().min(1) });
export type GetRunOutputInput = z.infer<typeof GetRunOutputInput>;
