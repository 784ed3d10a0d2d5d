import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/with-api";
import { checkRouteInput } from "@/lib/api/input";
import { requestCtx } from "@/lib/context";
import { systemActor } from "@/lib/auth/actor";
import { getSignedRunOutput } from "@/lib/runs/get-signed-run-output";
import { outputHeaders } from "@/lib/security/output-headers";

// GET /api/v1/runs/{id}/outputs/{outputId}/signed?exp=&sig= – an output file through a signed, expiring
// link (no bearer header: the signature is the authorization). Served with the same safe headers as
// the authenticated download: passive media inline, the rest a sandboxed attachment.
export async function GET(req: NextRequest, route: { params: Promise<{ id: string; outputId: string }> }) {
  try {
    const params = await route.params;
    checkRouteInput(params, req.url);
    const q = req.nextUrl.searchParams;
    const ctx = requestCtx(systemActor, req);
    const out = await getSignedRunOutput({ ctx, input: { runId: params.id, outputId: params.outputId, exp: q.get("exp"), sig: q.get("sig") } });
    return new Response(out.stream(), { headers: { ...outputHeaders({ contentType: out.contentType, filename: out.filename, size: out.size }), "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" } });
  } catch (err) {
    return errorResponse(err, req);
  }
}
