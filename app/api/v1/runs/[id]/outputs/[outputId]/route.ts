import { withApi } from "@/lib/api/with-api";
import { getRunOutput } from "@/lib/runs/get-run-output";
import { outputHeaders } from "@/lib/security/output-headers";

// GET /api/v1/runs/{id}/outputs/{outputId} – the output file (passive media inline, the rest as a download)
export const GET = withApi<{ id: string; outputId: string }>({ permission: "read" }, async ({ ctx, params }) => {
  const out = await getRunOutput({ ctx, input: { runId: params.id, outputId: params.outputId } });
  // Passive media inline, everything else (SVG, HTML, unknown) a sandboxed attachment: lib/security.
  return new Response(out.stream(), { headers: outputHeaders({ contentType: out.contentType, filename: out.filename, size: out.size }) });
});
