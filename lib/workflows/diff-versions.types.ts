import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { MAX_PG_INT } from "@/lib/api/input";
import { VersionNumber } from "./get-workflow.types";

export const DiffVersionsInput = z.object({ workflowId: z.string().min(1), number: VersionNumber, against: VersionNumber });
export type DiffVersionsInput = z.infer<typeof DiffVersionsInput>;

/** `…/versions/{number}/diff?against=M` → the verb's input (`against` defaults to number − 1). */
export function diffVersionsQuery(workflowId: string, rawNumber: string, url: URL): DiffVersionsInput {
  const number = Number(rawNumber);
  const against = Number(url.searchParams.get("against") ?? number - 1);
  if (!Number.isInteger(number) || number < 1 || !Number.isInteger(against) || against < 1 || against > MAX_PG_INT) {
    throw new ApiError("bad_request", "Version numbers are positive integers; compare with ?against=N.");
  }
  return { workflowId, number, against };
}
