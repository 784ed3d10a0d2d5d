import { z } from "zod";
import { PageInput, pageParams } from "@/lib/api/pagination";

export const ListDeploymentsInput = PageInput.extend({
  workflowId: z.string().min(1).nullish(),
  /** deleted deployments too */
  includeDeleted: z.boolean().default(false),
});
export type ListDeploymentsInput = z.input<typeof ListDeploymentsInput>;

/** `GET /api/v1/deployments?workflowId=&includeDeleted=true&limit=&cursor=` → the verb's input. */
export function listDeploymentsQuery(url: URL): ListDeploymentsInput {
  return {
    ...pageParams(url),
    workflowId: url.searchParams.get("workflowId") || null,
    includeDeleted: ["1", "true"].includes(url.searchParams.get("includeDeleted") ?? ""),
  };
}
