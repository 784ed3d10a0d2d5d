import { z } from "zod";

export const SetDeploymentPausedInput = z.object({ slug: z.string().min(1), paused: z.boolean() });
export type SetDeploymentPausedInput = z.infer<typeof SetDeploymentPausedInput>;
