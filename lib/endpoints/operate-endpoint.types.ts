import { z } from "zod";

/** An on-call action that calls the provider. */
export const OperateEndpointInput = z.object({ id: z.string().min(1), action: z.enum(["restart", "purge-queue"]) });
export type OperateEndpointInput = z.infer<typeof OperateEndpointInput>;

/** What the provider said (`removed`: jobs taken out of the queue by a purge). */
export const OperateEndpointOutput = z.object({ message: z.string(), removed: z.number().optional() });
export type OperateEndpointOutput = z.infer<typeof OperateEndpointOutput>;
