import type { z } from "zod";
import { CreateDeploymentInput } from "./schemas";

/** createDeployment's input: the request body of `POST /api/v1/deployments` (lib/deployments/schemas.ts). */
export { CreateDeploymentInput };
export type CreateDeploymentInputArg = z.input<typeof CreateDeploymentInput>;
