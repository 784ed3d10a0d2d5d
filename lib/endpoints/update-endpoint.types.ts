import { z } from "zod";
import { UpdateEndpointBody } from "./schemas";

export { UpdateEndpointBody };

/**
 * updateEndpoint's input: the endpoint's id and the changes (the PATCH body). The verb parses
 * `changes` with UpdateEndpointBody on its own, so error paths name the body's fields.
 */
export const UpdateEndpointInput = z.object({ id: z.string().min(1), changes: z.unknown() });
export type UpdateEndpointInput = { id: string; changes: z.input<typeof UpdateEndpointBody> };
