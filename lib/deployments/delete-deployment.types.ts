import { z } from "zod";

export const DeleteDeploymentInput = z.object({ slug: z.string().min(1) });
export type DeleteDeploymentInput = z.infer<typeof DeleteDeploymentInput>;
