import { z } from "zod";
import { PageInput, pageParams } from "@/lib/api/pagination";

export const ListEndpointsInput = PageInput;
export type ListEndpointsInput = z.input<typeof ListEndpointsInput>;

/** `GET /api/v1/endpoints?limit=&cursor=` → the verb's input. */
export function listEndpointsQuery(url: URL): ListEndpointsInput {
  return pageParams(url);
}

export const GetEndpointInput = z.object({ id: z.string().min(1) });
export type GetEndpointInput = z.infer<typeof GetEndpointInput>;
