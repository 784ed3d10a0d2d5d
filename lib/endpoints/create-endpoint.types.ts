import type { z } from "zod";
import { CreateEndpointInput } from "./schemas";

/** createEndpoint's input: the request body of `POST /api/v1/endpoints` (lib/endpoints/schemas.ts). */
export { CreateEndpointInput };
export type CreateEndpointInputArg = z.input<typeof CreateEndpointInput>;
