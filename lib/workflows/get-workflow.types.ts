import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { MAX_PG_INT } from "@/lib/api/input";

export const GetWorkflowInput = z.object({ id: z.string().min(1) });
export type GetWorkflowInput = z.infer<typeof GetWorkflowInput>;

export const VersionNumber = z.number().int().min(1).max(MAX_PG_INT);

export const GetWorkflowVersionInput = z.object({ workflowId: z.string().min(1), number: VersionNumber });
export type GetWorkflowVersionInput = z.infer<typeof GetWorkflowVersionInput>;

/** A version number from a path segment: a positive integer, else 400 bad_request. */
export function versionNumberParam(raw: string): number {
  const number = Number(raw);
  if (!Number.isInteger(number) || number < 1) throw new ApiError("bad_request", "The version number must be a positive integer.");
  return number;
}
