import { z } from "zod";
import { UpdateDeploymentBody } from "./schemas";

export { UpdateDeploymentBody };

/**
 * updateDeployment's input: the deployment's slug and the changes (the PATCH body). The verb parses
 * `changes` with UpdateDeploymentBody on its own, so error paths name the body's fields.
 */
export const UpdateDeploymentInput = z.object({ slug: z.string().min(1), changes: z.unknown() });
export type UpdateDeploymentInput = { slug: string; changes: z.input<typeof UpdateDeploymentBody> };
