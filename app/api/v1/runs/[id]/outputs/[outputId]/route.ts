import { withApi } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { storage } from "@/lib/storage";

// GET /api/v1/runs/{id}/outputs/{outputId} – the output file with its content type
export const GET = withApi<{ id: string; outputId: string }>({ permission: "read" }, async ({ params }) => {
  const out = await db().runOutput.findFirst({ where: { id: params.outputId, runId: params.id } });
  if (!out) throw new ApiError("not_found", `Run ${params.id} has no output ${params.outputId}.`);
  const obj = await storage().get(out.storageKey);
  if (!obj) throw new ApiError("not_found", `The file of output ${params.outputId} is missing from storage.`);
  return new Response(obj.stream(), {
    headers: {
      "Content-Type": out.contentType,
      "Content-Length": String(obj.size),
      "Content-Disposition": `inline; filename="${out.filename.replace(/"/g, "")}"`,
      "Cache-Control": "private, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
