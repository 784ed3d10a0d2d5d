import { withApi } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { storage } from "@/lib/storage";
import { outputHeaders } from "@/lib/security/output-headers";

// GET /api/v1/runs/{id}/outputs/{outputId} – the output file (passive media inline, the rest as a download)
export const GET = withApi<{ id: string; outputId: string }>({ permission: "read" }, async ({ params }) => {
  const out = await db().runOutput.findFirst({ where: { id: params.outputId, runId: params.id } });
  if (!out) throw new ApiError("not_found", `Run ${params.id} has no output ${params.outputId}.`);
  const obj = await storage().get(out.storageKey);
  if (!obj) throw new ApiError("not_found", `The file of output ${params.outputId} is missing from storage.`);
  // Passive media inline, everything else (SVG, HTML, unknown) a sandboxed attachment: lib/security.
  return new Response(obj.stream(), { headers: outputHeaders({ contentType: out.contentType, filename: out.filename, size: obj.size }) });
});
