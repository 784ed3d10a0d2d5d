import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/with-api";
import { systemCtx } from "@/lib/context";
import { recordProviderCallback } from "@/lib/runs/record-provider-callback";

// POST /api/v1/hooks/attempts/{attemptId}?token= – a provider's job callback (RunPod, RunComfy);
// authenticated by the per-attempt HMAC token Flowgate put in the URL it gave the provider.
export async function POST(req: NextRequest, ctx: { params: Promise<{ attemptId: string }> }) {
  try {
    const { attemptId } = await ctx.params;
    const input = { attemptId, token: req.nextUrl.searchParams.get("token"), body: () => req.text() };
    return NextResponse.json(await recordProviderCallback({ ctx: systemCtx(), input }));
  } catch (err) {
    return errorResponse(err, req);
  }
}
