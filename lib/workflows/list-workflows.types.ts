import { z } from "zod";
import { PageInput, pageParams } from "@/lib/api/pagination";

export const ListWorkflowsInput = PageInput;
export type ListWorkflowsInput = z.input<typeof ListWorkflowsInput>;

/** `GET /api/v1/workflows?limit=&cursor=` → the verb's input. */
export function listWorkflowsQuery(url: URL): ListWorkflowsInput {
  return pageParams(url);
}
