// One stored output file of a run: its metadata and a stream of its bytes from Flowgate storage.
import { requirePermission } from "@/lib/auth/actor";
import { dbOf, type VerbArgs } from "@/lib/context";
import { ApiError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import { GetRunOutputInput } from "./get-run-output.types";

export async function getRunOutput({ ctx, input }: VerbArgs<GetRunOutputInput>) {
  requirePermission(ctx.actor, "read");
  const { runId, outputId } = GetRunOutputInput.parse(input);
  const out = await dbOf(ctx).runOutput.findFirst({ where: { id: outputId, runId } });
  if (!out) throw new ApiError("not_found", `Run ${runId} has no output ${outputId}.`);
  const obj = await storage().get(out.storageKey);
  if (!obj) throw new ApiError("not_found", `The file of output ${outputId} is missing from storage.`);
  return { contentType: out.contentType, filename: out.filename, size: obj.size, stream: () => obj.stream() };
}
