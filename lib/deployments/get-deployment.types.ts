import { z } from "zod";

export const GetDeploymentInput = z.object({ slug: z.string().min(1) });
export type GetDeploymentInput = z.infer<typeof GetDeploymentInput>;
